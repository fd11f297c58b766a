"""A date in a year without a known State Council schedule stops the run, naming the year; adding
the year's schedule to seeds/holiday_schedule.csv (data, no code) lets it through."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from creditwh.rules import DBT_PROJECT_DIR

from .helpers import penalty_record, query, run, write_records


def test_a_year_outside_the_calendar_stops_the_run_until_its_schedule_is_added(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    write_records(raw / "penalty" / "2027.csv", [
        penalty_record("济市监罚〔2027〕1号", decided="2026-12-31", submitted="2027-01-05 09:00"),
        penalty_record("济市监罚〔2026〕9号", decided="2026-12-01", submitted="2026-12-02 09:00"),
    ])

    report, warehouse = run(raw, tmp_path, monkeypatch, as_of="2027-01-31")

    assert not report.ok
    [(step, message)] = report.steps_failed
    assert step == "dbt_downstream"
    assert "No State Council holiday schedule for year 2027" in message
    assert "seeds/holiday_schedule.csv" in message
    assert re.findall(r"year (\d{4})", message) == ["2027"]  # only the uncovered year is named
    built = {name for (name,) in query(warehouse, "select table_name from duckdb_tables() where schema_name = 'marts'")}
    assert "fct_disclosure_timeliness" not in built, "nothing is measured on a guessed calendar"

    # The 2027 schedule arrives as data: a copy of the project with rows added to the seed (a
    # made-up schedule, for the test): New Year's Day off, Saturday 01-02 a make-up working day.
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", ".user.yml"))
    with (project / "seeds" / "holiday_schedule.csv").open("a", encoding="utf-8") as seed:
        seed.write("2027-01-01,holiday,元旦\n2027-01-02,make_up_workday,元旦\n")
    dbt = Path(sys.executable).parent / "dbt"
    build = subprocess.run(
        [str(dbt), "build", "--select", "holiday_schedule+", "--vars", "{as_of: '2027-01-31'}",
         "--project-dir", str(project), "--profiles-dir", str(project)],
        env={**os.environ, "CREDIT_WAREHOUSE": str(warehouse)}, capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stdout[-3000:]

    # working days after Thu 2026-12-31 up to Tue 2027-01-05: Sat 01-02 (make-up), Mon 01-04, Tue 01-05
    assert query(warehouse, """
        select doc_no, working_days_elapsed, is_on_time from marts.fct_disclosure_timeliness order by doc_no""") == [
        ("济市监罚〔2026〕9号", 1, True),
        ("济市监罚〔2027〕1号", 3, True),
    ]
    assert query(warehouse, """
        select calendar_date::varchar, day_type, schedule_source from intermediate.int_calendar__working_days
        where calendar_date between '2027-01-01' and '2027-01-04' order by 1""") == [
        ("2027-01-01", "holiday", "seeds/holiday_schedule.csv"),
        ("2027-01-02", "make_up_workday", "seeds/holiday_schedule.csv"),
        ("2027-01-03", "weekend", "seeds/holiday_schedule.csv"),
        ("2027-01-04", "workday", "seeds/holiday_schedule.csv"),
    ]


def test_an_as_of_date_in_a_year_outside_the_calendar_stops_the_run_even_without_records_in_it(tmp_path, monkeypatch):
    # chinesecalendar 1.11 ends with 2026: every figure as of 2027 would count 2027 working days
    raw = tmp_path / "raw"
    write_records(raw / "penalty" / "2026.csv", [
        penalty_record("济市监罚〔2026〕9号", decided="2026-12-01", submitted="2026-12-02 09:00"),
    ])

    report, _ = run(raw, tmp_path, monkeypatch, as_of="2027-03-31")

    assert not report.ok
    [(step, message)] = report.steps_failed
    assert step == "dbt_downstream"
    assert re.findall(r"year (\d{4})", message) == ["2027"]
    assert "2027-03-31" in message


def test_a_date_after_the_as_of_date_asks_for_no_calendar_year(tmp_path, monkeypatch):
    # 2027 and 2052 are after the as-of date: defects of their rows, not years to look up
    raw = tmp_path / "raw"
    write_records(raw / "penalty" / "typos.csv", [
        penalty_record("济市监罚〔2026〕1号", decided="2026-12-01", submitted="2027-01-05 09:00"),
        penalty_record("济市监罚〔2026〕2号", decided="2052-12-01", submitted="2026-12-02 09:00"),
        penalty_record("济市监罚〔2026〕3号", decided="2026-12-01", submitted="2026-12-02 09:00"),
    ])

    report, warehouse = run(raw, tmp_path, monkeypatch, as_of="2026-12-31")

    assert report.ok, (report.steps_failed, report.checks_failed)
    assert query(warehouse, """
        select doc_no, working_days_elapsed, is_on_time, defects from marts.fct_disclosure_timeliness order by doc_no""") == [
        ("济市监罚〔2026〕1号", None, False, "DATE_ORDER:submission_after_as_of"),
        ("济市监罚〔2026〕2号", None, False, "DATE_ORDER:decision_after_as_of,DATE_ORDER:decision_after_submission"),
        ("济市监罚〔2026〕3号", 1, True, ""),
    ]


def test_a_date_before_the_calendar_s_first_year_asks_for_no_calendar_year(tmp_path, monkeypatch):
    # 1995 typed for 2025: chinesecalendar starts in 2004 (双公示 in 2015); no working day can be
    # counted without guessing, so none is: the record is late, and the province's run goes on
    raw = tmp_path / "raw"
    write_records(raw / "penalty" / "typos.csv", [
        penalty_record("济市监罚〔2025〕1号", decided="1995-11-03", submitted="2025-11-04 09:00"),
        penalty_record("济市监罚〔2025〕2号", decided="2025-11-03", submitted="2025-11-04 09:00"),
    ])

    report, warehouse = run(raw, tmp_path, monkeypatch, as_of="2026-03-31")

    assert report.ok, (report.steps_failed, report.checks_failed)
    assert query(warehouse, """
        select doc_no, working_days_elapsed, is_on_time from marts.fct_disclosure_timeliness order by doc_no""") == [
        ("济市监罚〔2025〕1号", None, False),
        ("济市监罚〔2025〕2号", 1, True),
    ]
