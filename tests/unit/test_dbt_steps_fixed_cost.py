"""What a dbt step does besides building: a build that runs the data tests but not the unit tests (the
suite runs those, test_dbt_unit_tests.py), on the threads it is given, writing no artifacts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from creditwh.defs.dbt import assets
from creditwh.rules import DBT_PROJECT_DIR


def test_the_steps_builds_run_their_data_tests_and_no_unit_test(tmp_path):
    # the steps whose models have unit tests, in one dbt command
    select = f"{assets.STAGING_SELECT} {assets.DOWNSTREAM_SELECT}"
    listed = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "ls", "--resource-type", "all", *assets.PRODUCTION_ONLY,
         "--select", select, "--output", "json", "--output-keys", "resource_type", "--quiet",
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
         "--vars", json.dumps({"as_of": "2026-03-31", "warehouse_path": str(tmp_path / "credit.duckdb")})],
        cwd=DBT_PROJECT_DIR, capture_output=True, text=True, timeout=600,
    )
    assert listed.returncode == 0, listed.stdout + listed.stderr
    kinds = {json.loads(line)["resource_type"] for line in listed.stdout.splitlines() if line.startswith("{")}
    assert "test" in kinds and "model" in kinds
    assert "unit_test" not in kinds, kinds


def test_a_step_builds_on_the_threads_it_is_given_and_writes_no_artifacts():
    from creditwh.warehouse.settings import Settings

    args = assets.dbt_build_args(Settings.from_env({"CREDIT_DBT_THREADS": "3", "CREDIT_AS_OF": "2026-03-31"}))
    assert args[args.index("--threads") + 1] == "3"
    assert "--no-write-json" in args  # the run_results.json and manifest.json nothing reads
    assert args[args.index("--log-level-file") + 1] == "info"  # no SQL statement by statement in dbt.log
    # the as-of date reaches dbt in its environment: a new date in --vars would make dbt parse anew
    assert "as_of" not in json.loads(args[args.index("--vars") + 1])
