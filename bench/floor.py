"""Run bench/floor.sql: the hand-written DuckDB floor of rpt_timeliness_quarterly."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import duckdb

from creditwh.rules import dbt_vars

FLOOR_SQL = Path(__file__).with_name("floor.sql")


def write_calendar(path: Path, first_year: int = 2004) -> Path:
    """The State Council working days chinesecalendar knows, as the floor's input."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["calendar_date", "is_working_day"])
        day = date(first_year, 1, 1)
        while True:
            try:
                working = chinese_calendar.is_workday(day)
            except NotImplementedError:
                break
            writer.writerow([day.isoformat(), "true" if working else "false"])
            day += timedelta(days=1)
    return path


def floor_script(raw_dir: Path, calendar_csv: Path, as_of: date) -> str:
    rules = dbt_vars()
    weights = rules["timeliness_score_weights"]
    grade_case = "CASE " + " ".join(
        f"WHEN score >= {t['min_score']} THEN '{t['grade']}'" for t in rules["evaluation_grade_thresholds"]
    ) + " END"
    return FLOOR_SQL.read_text(encoding="utf-8").format(
        raw_dir=raw_dir.as_posix(), calendar_csv=calendar_csv.as_posix(), as_of=as_of.isoformat(),
        deadline=rules["disclosure_deadline_working_days"], w_timeliness=weights["timeliness"],
        w_compliance=weights["compliance"], w_completeness=weights["completeness"],
        grade_case=grade_case, late_share=rules["rectification_late_share"],
    )


def run_floor(raw_dir: Path, calendar_csv: Path, as_of: date, database: str = ":memory:") -> list[tuple]:
    """The floor's rpt_timeliness_quarterly rows, sorted by quarter and department."""
    con = duckdb.connect(database)
    try:
        con.execute(floor_script(raw_dir, calendar_csv, as_of))
        return con.execute("SELECT * FROM rpt_timeliness_quarterly ORDER BY period_quarter, source_dept_code").fetchall()
    finally:
        con.close()
