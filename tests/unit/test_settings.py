"""CREDIT_* settings: CREDIT_AS_OF is a calendar date written YYYY-MM-DD, nothing else; every
command refuses anything else in one line, without a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from creditwh.codes import make_uscc
from creditwh.warehouse.settings import REPO_ROOT, Settings, SettingsError

COMPANY = make_uscc("9", "1", "370102", "MA3C1234")
BAD_AS_OF = ["20260331", "2026-W14-2", "2026-02-30", "garbage", "2026-3-31", "２０２６-03-31", "2026-03-31T00:00"]


def test_as_of_is_taken_only_as_yyyy_mm_dd():
    assert Settings.from_env({"CREDIT_AS_OF": "2026-03-31"}).as_of == date(2026, 3, 31)
    for text in BAD_AS_OF:
        with pytest.raises(SettingsError, match="YYYY-MM-DD"):
            Settings.from_env({"CREDIT_AS_OF": text})


def test_shrink_limit_is_a_share():
    assert Settings.from_env({}).shrink_limit == 0.5
    assert Settings.from_env({"CREDIT_SHRINK_LIMIT": "0.9"}).shrink_limit == 0.9
    for text in ("1.5", "-0.1", "half"):
        with pytest.raises(SettingsError, match="CREDIT_SHRINK_LIMIT"):
            Settings.from_env({"CREDIT_SHRINK_LIMIT": text})



def test_the_defective_row_share_that_stops_a_staging_gate_is_a_share():
    assert Settings.from_env({}).max_defective_row_share == 0.5
    assert Settings.from_env({"CREDIT_MAX_DEFECTIVE_ROW_SHARE": "0.2"}).max_defective_row_share == 0.2
    for text in ("20%", "1.5", "-0.1", "nan"):
        with pytest.raises(SettingsError, match="CREDIT_MAX_DEFECTIVE_ROW_SHARE"):
            Settings.from_env({"CREDIT_MAX_DEFECTIVE_ROW_SHARE": text})


def test_dbt_threads_are_a_whole_number_handed_to_every_dbt_step():
    assert Settings.from_env({}).dbt_threads == 1
    assert Settings.from_env({"CREDIT_DBT_THREADS": "2"}).dbt_threads == 2
    for text in ("0", "-1", "two", "1.5", "٢"):
        with pytest.raises(SettingsError, match="CREDIT_DBT_THREADS"):
            Settings.from_env({"CREDIT_DBT_THREADS": text})


COMMANDS = [
    ["run"], ["publish"], ["scorecard", "--quarter", "2025Q4", "--out", "x.csv"], ["bulletin", "--out", "x.csv"],
    ["profile", COMPANY, "--purpose", "双随机抽查"],
    ["report", COMPANY, "--purpose", "双随机抽查", "--out", "x.html"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: argv[0])
@pytest.mark.parametrize("as_of", ["20260331", "2026-02-30"])
def test_every_command_refuses_a_bad_as_of_in_one_line(argv, as_of, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "orchestration"), "CREDIT_AS_OF": as_of,
           "CREDIT_WAREHOUSE": str(tmp_path / "wh" / "credit.duckdb"), "CREDIT_RAW_DIR": str(tmp_path / "raw")}
    result = subprocess.run([sys.executable, "-m", "creditwh.cli", *argv], env=env, cwd=tmp_path,
                            capture_output=True, text=True)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2, result.stderr
    assert lines == [f"creditwh {argv[0]}: CREDIT_AS_OF must be a calendar date written YYYY-MM-DD "
                     f"(e.g. 2026-03-31), got {as_of!r}"]
    assert not (tmp_path / "wh").exists()  # nothing was started


def test_the_dagster_home_is_beside_the_warehouse_unless_given(tmp_path):
    warehouse = tmp_path / "wh" / "credit.duckdb"
    assert Settings.from_env({"CREDIT_WAREHOUSE": str(warehouse)}).dagster_home == tmp_path / "wh" / "dagster_home"
    given = tmp_path / "home"
    for variable in ("CREDIT_DAGSTER_HOME", "DAGSTER_HOME"):
        assert Settings.from_env({"CREDIT_WAREHOUSE": str(warehouse), variable: str(given)}).dagster_home == given
    both = {"CREDIT_DAGSTER_HOME": str(given), "DAGSTER_HOME": str(given) + "/"}
    assert Settings.from_env(both).dagster_home == given  # the same folder, written two ways


def test_two_different_dagster_homes_are_refused():
    with pytest.raises(SettingsError, match="CREDIT_DAGSTER_HOME .* and DAGSTER_HOME .* name different folders"):
        Settings.from_env({"CREDIT_DAGSTER_HOME": "/srv/a", "DAGSTER_HOME": "/srv/b"})
