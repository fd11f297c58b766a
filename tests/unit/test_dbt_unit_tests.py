"""The dbt unit tests of the rule macros (`unit_tests:` in the models' YAML): working days, the
7-working-day deadline, USCC, dates, code lists, publication windows, credit tiers.

dbt runs a unit test on fixtures, but reads the column types of the model's inputs from the
warehouse: they are built first, empty (`dbt run --empty`), in a throwaway DuckDB whose raw schema
an empty landing made."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import chinese_calendar
import duckdb
import pytest
import yaml

from creditwh.codes import is_valid_uscc
from creditwh.landing.land import land
from creditwh.rules import DBT_PROJECT_DIR

DBT = Path(sys.executable).parent / "dbt"
AS_OF = "2026-03-31"


def _dbt(workdir: Path, *args: str, extra_vars: str = "") -> subprocess.CompletedProcess:
    """A dbt command against the throwaway warehouse, its target and logs kept out of the project's."""
    env = {**os.environ, "CREDIT_WAREHOUSE": str(workdir / "credit.duckdb"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [str(DBT), *args, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs"),
         "--vars", f"{{as_of: '{AS_OF}'{extra_vars}}}"],
        env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    """A warehouse with every relation of the project, and no rows."""
    workdir = tmp_path_factory.mktemp("dbt_unit_tests")
    (workdir / "raw").mkdir()
    con = duckdb.connect(str(workdir / "credit.duckdb"))
    try:
        land(con, workdir / "raw", pii_key=b"unit tests" * 4)
    finally:
        con.close()
    built = _dbt(workdir, "build", "--empty", "--resource-type", "seed", "--resource-type", "model",
                 "--exclude", "fqn:creditwh.public")
    assert built.returncode == 0, built.stdout[-4000:]
    return workdir


def test_the_rule_macros_pass_their_dbt_unit_tests(warehouse):
    result = _dbt(warehouse, "test", "--select", "test_type:unit")
    assert result.returncode == 0, result.stdout[-6000:]
    passed, total = re.search(r"Done\. PASS=(\d+) .* TOTAL=(\d+)", result.stdout).groups()
    assert passed == total != "0", result.stdout[-2000:]


def test_a_broken_rule_fails_its_unit_test(warehouse):
    # the deadline one working day shorter: "exactly seven" is no longer on time
    result = _dbt(warehouse, "test", "--select", "int_submissions__working_days,test_type:unit",
                  extra_vars=", disclosure_deadline_working_days: 6")
    assert result.returncode != 0
    assert "FAIL 1 int_submissions__working_days::int_submissions__working_days_applies_the_7_working_day_deadline" \
        in result.stdout, result.stdout[-4000:]


# --- the fixtures tell the truth: their calendar is chinesecalendar's, their codes GB 32100's ------

def _unit_tests(yml: str) -> list[dict]:
    return yaml.safe_load((DBT_PROJECT_DIR / yml).read_text(encoding="utf-8"))["unit_tests"]


def _given_rows(unit_test: dict, input_ref: str) -> list[dict]:
    given = next(g for g in unit_test["given"] if g["input"] == input_ref)
    return list(csv.DictReader(io.StringIO(given["rows"])))


def test_the_calendar_fixtures_are_the_state_council_schedule():
    calendars = [
        _given_rows(_unit_tests("models/intermediate/calendar/int_calendar__working_days.yml")[0],
                    "ref('int_calendar__chinesecalendar')"),
        _given_rows(_unit_tests("models/intermediate/timeliness/int_submissions__working_days.yml")[0],
                    "ref('int_calendar__working_days')"),
    ]
    for rows in calendars:
        for row in rows:
            day = date.fromisoformat(row["calendar_date"])
            assert (row["is_working_day"] == "true") == chinese_calendar.is_workday(day), day


def test_the_uscc_fixtures_are_what_gb_32100_says():
    unit_test = _unit_tests("models/marts/core/dim_department.yml")[0]
    expected = list(csv.DictReader(io.StringIO(unit_test["expect"]["rows"])))
    for row in expected:
        assert is_valid_uscc(row["source_dept_code"]) == (row["is_valid_code"] == "true"), row
