"""SIGKILL `creditwh run` at any point, run it again, and the warehouse is the one an
uninterrupted run builds, table by table: nothing landed twice, nothing half-built left.

One warehouse is killed four times in a row — during landing, during dbt, during the quality
gates, during the publication — each time restarted on what the previous kill left, then run to
the end and compared with a warehouse built without interruption from the same extracts.
The kill points are found by watching the run (its output and the files it writes), never by
sleeping for a guessed time.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import dagster as dg
import pytest

from creditwh.warehouse.settings import REPO_ROOT
from creditwh.warehouse.table_fingerprints import table_fingerprints

from .cli_runs import CliProcess, assert_quiet_run_on_samples, cli_env


def _landing_in_progress(warehouse: Path):
    """Landing has read part of the files, into its open warehouse transaction: a GB18030 file
    of the samples has been transcoded into the scratch folder."""
    return lambda: any((warehouse.parent / ".scratch").glob("landing-*/*.utf8.csv"))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _gates_in_progress(run: CliProcess, warehouse: Path):
    """The marts are built (dbt's downstream step has finished) and a mart gate has written its result."""
    seen: dict[str, float] = {}

    def check() -> bool:
        if "t" not in seen:
            if not any("Finished dbt command" in line and "fqn:creditwh.marts" in line for line in run.lines):
                return False
            seen["t"] = time.time()
        return any(_mtime(p) >= seen["t"] for p in (warehouse.parent / "quality").glob("marts.*.json"))
    return check


def _publication_in_progress(warehouse: Path):
    return lambda: any((warehouse.parent / "published").glob("*.building"))


@pytest.fixture(scope="module")
def raw() -> Path:
    return REPO_ROOT / "raw_samples"


def test_killed_runs_leave_a_warehouse_equal_to_an_uninterrupted_run(raw, tmp_path):
    uninterrupted = tmp_path / "a" / "credit.duckdb"
    killed = tmp_path / "b" / "credit.duckdb"
    # the reference run goes alongside: each run has its own warehouse directory and lock
    # the reference run is the default, quiet one: its output is also what `./dev run` shows
    reference = CliProcess(["run"], cli_env(raw, uninterrupted))

    env = cli_env(raw, killed)
    kills = [
        ("landing", lambda run: _landing_in_progress(killed)),
        ("dbt", lambda run: lambda: run.saw("START sql table model marts.")),
        ("gates", lambda run: _gates_in_progress(run, killed)),
        ("publication", lambda run: _publication_in_progress(killed)),
    ]
    for phase, make_condition in kills:
        run = CliProcess(["run", "--verbose", "--log-level", "INFO"], env)  # dbt's lines tell the phase
        run.wait_for(make_condition(run), f"the {phase} phase", interval=0.02)
        run.kill()
        # where the run was when it died
        if phase == "landing":
            assert list((killed.parent / ".scratch").glob("landing-*")), "landing had not started or had finished"
        elif phase in ("dbt", "gates"):
            marts_done = any("Finished dbt command" in line and "fqn:creditwh.marts" in line for line in run.lines)
            assert marts_done == (phase == "gates")
            assert not run.saw("--select fqn:creditwh.public"), "the run had got past the mart gates"

    # what the kills left: a half-built publication and a landing scratch folder at most
    assert list((killed.parent / "published").glob("*.building")), "the publication kill left nothing to clean"
    assert not (killed.parent / "published" / "credit_marts.duckdb").exists(), "a killed publication was swapped in"

    final = CliProcess(["run", "--log-level", "WARNING"], env)
    assert final.finish() == 0, final.output[-4000:]
    assert reference.finish() == 0, reference.output[-4000:]
    assert_quiet_run_on_samples(reference, uninterrupted)
    # in the Dagster home the UI shows: the four killed runs failed (marked by the next run), the last one succeeded
    with dg.DagsterInstance.from_config(str(killed.parent / "dagster_home")) as instance:
        statuses = [run.status for run in reversed(instance.get_runs())]
    assert statuses == [dg.DagsterRunStatus.FAILURE] * 4 + [dg.DagsterRunStatus.SUCCESS]

    a, b = table_fingerprints(uninterrupted), table_fingerprints(killed)
    assert sorted(a) == sorted(b), set(a) ^ set(b)
    assert [name for name in a if a[name] != b[name]] == []
    assert a["raw.extract_files"][0] == len([p for p in raw.rglob("*") if p.is_file()])

    # the publication is the uninterrupted run's, and nothing half-built is left anywhere
    pub_a = table_fingerprints(uninterrupted.parent / "published" / "credit_marts.duckdb", ("marts", "public"))
    pub_b = table_fingerprints(killed.parent / "published" / "credit_marts.duckdb", ("marts", "public"))
    assert pub_a == pub_b and pub_a
    manifest = json.loads((killed.parent / "published" / "published.json").read_text(encoding="utf-8"))
    assert manifest["tables"] == {name: rows for name, (rows, _) in pub_b.items()}
    assert not list((killed.parent / "published").glob("*.building"))
    assert [p.name for p in (killed.parent / ".scratch").iterdir()] == []
