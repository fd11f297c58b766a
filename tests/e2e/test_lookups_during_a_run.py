"""Look-ups never break a run, and careless operation is refused: real `creditwh` processes.

- report / profile / scorecard hammered through a whole `creditwh run`: the run succeeds, every
  look-up is answered (from the last publication, saying so) or refused clearly, and every answered
  report and profile is in audit.query_log afterwards;
- a run that starts while a look-up holds the warehouse waits for it and succeeds;
- what a user types into a look-up is stored masked;
- --out problems are one-line errors, and only files actually written are logged;
- an empty raw folder over the warehouse publishes nothing without --allow-shrink.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from creditwh.codes import make_ric
from creditwh.warehouse.lock import read_holder, warehouse_lock
from creditwh.warehouse.settings import REPO_ROOT

from .cli_runs import PATIENCE, CliProcess, built_by_cli, cli_env, penalties
from .helpers import COMPANY_A, PENALTY_HEADER, query, write_csv

PENALTIES = 120  # over the shrink guard's floor of 100 rows
CLERK_ID = make_ric("370102", date(1983, 2, 14), 113)
SOURCE_PUBLICATION, SOURCE_WAREHOUSE = "数据来源：发布版", "数据来源：数据仓库"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_by_cli(tmp_path_factory, "lookups", PENALTIES)


def lookup(env: dict[str, str], *argv: str) -> tuple[int, str, str]:
    result = subprocess.run([sys.executable, "-m", "creditwh.cli", *argv], env=env, cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=PATIENCE)
    return result.returncode, result.stdout, result.stderr


def register(warehouse: Path, purpose_like: str) -> list[tuple]:
    return query(warehouse, f"""select command, purpose, out_file, answered_from from audit.query_log
                                where purpose like '{purpose_like}' order by logged_at""")


def test_what_a_user_types_is_stored_masked(built, tmp_path):
    raw, warehouse = built
    env = cli_env(raw, warehouse)
    code, out, err = lookup(env, "profile", COMPANY_A, "--purpose", f"核查申请人 {CLERK_ID} 的材料",
                            "--operator", f"张科员{CLERK_ID}")
    assert code == 0, err
    rows = query(warehouse, "select operator, purpose from audit.query_log where purpose like '核查申请人%'")
    masked = CLERK_ID[:6] + "*" * 8 + CLERK_ID[-4:]
    assert rows == [(f"张科员{masked}", f"核查申请人 {masked} 的材料")]
    assert CLERK_ID not in out + err and masked in out
    # while a run holds the warehouse the entry waits beside it: masked there too
    with warehouse_lock(warehouse.parent, "a run (test)"):
        code, out, err = lookup(env, "profile", COMPANY_A, "--purpose", f"复核 {CLERK_ID}")
        assert code == 0, err
        pending = [p.read_text(encoding="utf-8") for p in (warehouse.parent / "query_log.pending").glob("*.json")]
    assert len(pending) == 1 and CLERK_ID not in pending[0] and masked in json.loads(pending[0])["purpose"]


def test_a_lookup_while_a_run_holds_the_warehouse_answers_from_the_publication(built, tmp_path):
    raw, warehouse = built
    env = cli_env(raw, warehouse)
    manifest = json.loads((warehouse.parent / "published" / "published.json").read_text(encoding="utf-8"))
    with warehouse_lock(warehouse.parent, "creditwh run (test)"):
        code, out, err = lookup(env, "report", COMPANY_A, "--out", str(tmp_path / "r.html"), "--purpose", "窗口查询")
        assert code == 0, err
        assert f"{SOURCE_PUBLICATION} {manifest['publication']}（数据截至 2026-03-31" in out
        assert "数据仓库正在构建" in out and f"pid {os.getpid()}" in out
        code, out, err = lookup(env, "scorecard", "--quarter", "2025Q4", "--out", str(tmp_path / "s.csv"))
        assert code == 0, err
        assert SOURCE_PUBLICATION in out and (tmp_path / "s.csv").exists()
        assert register(warehouse, "窗口查询") == []  # not yet: the warehouse is held
    # the next look-up that finds the warehouse free enters what waited, then its own
    code, out, err = lookup(env, "profile", COMPANY_A, "--purpose", "窗口查询-后")
    assert code == 0 and SOURCE_WAREHOUSE in out, err
    assert [row[0] for row in register(warehouse, "窗口查询%")] == ["report", "profile"]
    assert register(warehouse, "窗口查询")[0][3] == f"publication {manifest['publication']}"
    assert not list((warehouse.parent / "query_log.pending").glob("*.json"))


def test_without_a_publication_a_lookup_during_a_run_is_refused_clearly(tmp_path):
    warehouse = tmp_path / "wh" / "credit.duckdb"
    env = cli_env(tmp_path / "raw", warehouse)
    with warehouse_lock(warehouse.parent, "creditwh run (test)"):
        code, out, err = lookup(env, "profile", COMPANY_A, "--purpose", "窗口查询")
    assert code == 3 and "尚无发布版" in err and "--wait" in err and "Traceback" not in err
    assert not warehouse.exists()


def test_a_run_that_starts_while_a_lookup_holds_the_warehouse_waits_for_it(built):
    raw, warehouse = built
    with warehouse_lock(warehouse.parent, "creditwh profile (test)", kind="lookup"):
        run = CliProcess(["run", "--log-level", "WARNING"], cli_env(raw, warehouse))
        run.wait_for(lambda: run.saw("waiting for the warehouse lock"), "the run waiting for the look-up")
        assert "creditwh profile (test)" in run.output
    assert run.finish() == 0, run.output[-4000:]


def test_lookups_hammering_through_a_run_never_break_it(built, tmp_path):
    raw, warehouse = built
    write_csv(raw / "penalty" / "2025-11.csv", PENALTY_HEADER, penalties(500, 30))  # the run has work to do
    env = cli_env(raw, warehouse)
    run = CliProcess(["run", "--log-level", "WARNING"], env)
    run.wait_for(lambda: (read_holder(warehouse.parent / ".creditwh.lock") or {}).get("pid") == run.proc.pid,
                 "the run holding the lock")
    waiter = CliProcess(["profile", COMPANY_A, "--purpose", "锤击-wait", "--wait"], env)
    kinds = [
        lambda i: ["profile", COMPANY_A, "--purpose", f"锤击-{i}"],
        lambda i: ["report", COMPANY_A, "--out", str(tmp_path / f"r{i}.html"), "--purpose", f"锤击-{i}"],
        lambda i: ["scorecard", "--quarter", "2025Q4", "--out", str(tmp_path / f"s{i}.csv")],
    ]
    results = []
    while run.running():
        argv = kinds[len(results) % len(kinds)](len(results))
        results.append((argv, *lookup(env, *argv)))
    assert run.finish() == 0, run.output[-4000:]
    assert waiter.finish() == 0, waiter.output
    assert "waiting for the warehouse lock" in waiter.output and SOURCE_WAREHOUSE in waiter.output

    assert results, "no look-up was made during the run"
    for argv, code, out, err in results:
        assert code == 0, (argv, out, err)  # answered: a publication exists, so nothing is refused
        assert SOURCE_PUBLICATION in out or SOURCE_WAREHOUSE in out, (argv, out)
        assert "Traceback" not in err
    from_publication = sum(SOURCE_PUBLICATION in out for _, _, out, _ in results)
    print(f"{len(results)} look-ups during the run, {from_publication} answered from the publication")
    assert from_publication
    logged = register(warehouse, "锤击-%")
    answered = [(argv[0], argv[argv.index("--purpose") + 1], SOURCE_PUBLICATION in out)
                for argv, _, out, _ in results if argv[0] != "scorecard"]
    assert sorted((command, purpose, source.startswith("publication")) for command, purpose, _, source in logged
                  if purpose != "锤击-wait") == sorted(answered)
    assert [source for _, purpose, _, source in logged if purpose == "锤击-wait"] == ["warehouse"]
    assert not list((warehouse.parent / "query_log.pending").glob("*.json"))


def test_out_problems_are_one_line_and_only_written_files_are_logged(built, tmp_path):
    raw, warehouse = built
    env = cli_env(raw, warehouse)
    folder = tmp_path / "existing"
    folder.mkdir()
    for argv in (["report", COMPANY_A, "--purpose", "输出-1", "--out", str(folder)],
                 ["report", COMPANY_A, "--purpose", "输出-1", "--out", str(tmp_path / "none" / "r.html")],
                 ["scorecard", "--quarter", "2025Q4", "--out", str(folder)],
                 ["scorecard", "--quarter", "2025Q4", "--out", str(tmp_path / "a-file.csv" / "s.csv")]):
        if argv[-1].endswith("a-file.csv/s.csv"):
            (tmp_path / "a-file.csv").write_text("x")
        code, out, err = lookup(env, *argv)
        assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, (argv, err)
    assert register(warehouse, "输出-1") == []  # refused before anything was looked up

    # a place that cannot be written even by root: the look-up is answered and logged, the file is not
    code, out, err = lookup(env, "report", COMPANY_A, "--purpose", "输出-2", "--out", "/proc/creditwh-report.html")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert "wrote" not in out
    assert [(command, out_file) for command, _, out_file, _ in register(warehouse, "输出-2")] == [("report", None)]
    code, out, err = lookup(env, "scorecard", "--quarter", "2025Q4", "--out", "/proc/creditwh-scorecard.csv")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


def test_an_empty_raw_folder_does_not_empty_the_publication(built, tmp_path):
    raw, warehouse = built
    published = warehouse.parent / "published"
    before = json.loads((published / "published.json").read_text(encoding="utf-8"))
    rows = before["tables"]["public.penalty_disclosures"]
    assert rows >= PENALTIES
    empty = tmp_path / "unmounted"
    empty.mkdir()
    env = cli_env(empty, warehouse)
    run = CliProcess(["run", "--log-level", "WARNING"], env)
    assert run.finish() == 1, run.output[-4000:]
    assert f"public.penalty_disclosures {rows} → 0 rows" in run.output and "--allow-shrink" in run.output
    assert "nothing published" in run.output
    assert json.loads((published / "published.json").read_text(encoding="utf-8")) == before
    # a look-up still answers from what was published, not from the emptied warehouse
    code, out, err = lookup(env, "profile", COMPANY_A, "--purpose", "空目录之后")
    assert code == 0 and SOURCE_PUBLICATION in out, (out, err)
    # the publish command refuses too, until told the loss is intended
    refused = CliProcess(["publish"], env)
    assert refused.finish() == 2 and f"{rows} → 0 rows" in refused.output, refused.output
    allowed = CliProcess(["run", "--log-level", "WARNING", "--allow-shrink"], env)  # through Dagster's config
    assert allowed.finish() == 0, allowed.output[-4000:]
    after = json.loads((published / "published.json").read_text(encoding="utf-8"))
    assert after["tables"]["public.penalty_disclosures"] == 0
