"""What `creditwh run` prints while it works, without running it: the phase lines, the log file,
the gates in words, and a raw folder that holds extracts only."""

from __future__ import annotations

import io
import logging
import sys
from datetime import datetime

from creditwh import progress
from creditwh.cli import _finding_words
from creditwh.cli_output import PhaseProgress, logs_to_file, run_log_path
from creditwh.warehouse.settings import REPO_ROOT


def _shown(reports: list[tuple], live: bool = False) -> str:
    out = io.StringIO()
    handler = PhaseProgress(out, live=live)
    progress.LOGGER.addHandler(handler)
    try:
        for report in reports:
            progress.report(*report)
    finally:
        progress.LOGGER.removeHandler(handler)
        handler.close()
    return out.getvalue()


def test_not_on_a_terminal_each_phase_is_one_line_once_it_ends():
    shown = _shown([("landing", 0, 3, 0), ("landing", 2, 3, 2_000_000), ("landing", 3, 3, 3_000_000),
                    ("landing", 3, 3, 3_000_000),  # landing's closing report: nothing new
                    ("dbt staging", 0, 5), ("dbt staging", 5, 5), ("gates staging", 0, 2), ("gates staging", 1, 2)])
    lines = shown.splitlines()
    assert [line.split()[0:2] for line in lines] == [["landing", "3"], ["dbt", "staging"], ["gates", "staging"]]
    assert "3 of 3 files, 3.0 MB at" in lines[0] and "MB/s" in lines[0]
    assert "5 of 5 models" in lines[1]
    assert "1 of 2 gates" in lines[2]  # an unfinished phase (a failed gate) shows where it stopped
    assert "\r" not in shown


def test_on_a_terminal_the_phase_line_is_redrawn_in_place():
    shown = _shown([("dbt public", 0, 2), ("dbt public", 1, 2), ("dbt public", 2, 2)], live=True)
    assert shown.count("\r") == 3 and shown.endswith("\n") and shown.count("\n") == 1
    assert [line.split()[:3] for line in shown.split("\r")[1:]] == [["dbt", "public", str(n)] for n in range(3)]


def test_the_log_file_gets_the_run_output_once_and_without_colour(tmp_path, capsys):
    log = tmp_path / "logs" / "run.log"
    dagster_logger = logging.getLogger("dagster")
    with logs_to_file(log, verbose=False):
        print("\x1b[32mOK created sql table model marts.x\x1b[0m")
        print("to stderr", file=sys.stderr)
        assert dagster_logger.propagate is False  # no second copy through the root logger's handler
    assert dagster_logger.propagate is True
    assert log.read_text(encoding="utf-8") == "OK created sql table model marts.x\nto stderr\n"
    assert capsys.readouterr().out == ""


def test_each_run_has_a_log_file_of_its_own(tmp_path):
    now = datetime(2026, 3, 31, 9, 30, 5)
    first = run_log_path(tmp_path, now)
    assert first == tmp_path / "logs" / "run-20260331-093005.log"
    first.parent.mkdir()
    first.write_text("an earlier run in the same second")
    assert run_log_path(tmp_path, now).name == "run-20260331-093005-2.log"


def test_a_gate_finding_reads_as_rows_and_what_the_expectation_asks():
    line = "- unexpected_rows_expectation: 1 rows (non-blocking) — a repair refers to a record the warehouse holds"
    assert _finding_words(line) == "1 row — a repair refers to a record the warehouse holds"
    assert _finding_words("- expect_table_row_count_to_be_between: observed 0") == "observed 0"


def test_raw_samples_holds_only_extracts_and_the_files_that_show_a_contract_case():
    """Every file of raw_samples/ is landed: a note or a script there would be a rejected file."""
    documented = (REPO_ROOT / "tools" / "raw_samples.md").read_text(encoding="utf-8")
    raw = REPO_ROOT / "raw_samples"
    strays = [p.relative_to(raw).as_posix() for p in raw.rglob("*") if p.is_file()
              and p.suffix not in (".csv", ".xlsx") and f"`{p.relative_to(raw).as_posix()}`" not in documented]
    assert strays == []


def test_failed_and_warned_gates_are_named_by_table_with_their_findings():
    from creditwh.cli import _gate_lines
    from creditwh.pipeline import RunReport

    failed = "staging/stg_extracts__penalties:gx_stg_extracts__penalties"
    warned = "intermediate/int_repairs__matched:gx_int_repairs__matched"
    report = RunReport(success=False, checks_failed=[(failed, "suite: 4/6 passed")],
                       checks_warned=[(warned, "suite: 5/6 passed")])
    report.gate_failures = {
        failed: ["- expect_column_values_to_not_be_null(submitted_at): 1060 of 1721 rows (non-blocking) — 报送时间 parses",
                 "- unexpected_rows_expectation: 1091 rows — at most 50% of the rows carry a defect"],
        warned: ["- unexpected_rows_expectation: 1 rows (non-blocking) — orphaned repairs"],
    }
    assert _gate_lines(report) == [
        "  FAILED staging.stg_extracts__penalties: 1091 rows — at most 50% of the rows carry a defect",
        "  WARNED staging.stg_extracts__penalties: 1060 of 1721 rows — 报送时间 parses",
        "  WARNED intermediate.int_repairs__matched: 1 row — orphaned repairs",
    ]
