"""Rule data that Python needs too. It lives in the dbt project (vars and seeds), once."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import yaml

from creditwh.warehouse.settings import REPO_ROOT

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"


def seed_rows(name: str, seeds_dir: Path = SEEDS_DIR) -> list[dict[str, str]]:
    """A dbt seed's rows as dbt loads them: dbt_project/seeds/<name>.csv, every value text."""
    with (seeds_dir / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def dbt_vars(project_dir: Path = DBT_PROJECT_DIR) -> dict:
    doc = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8"))
    return doc.get("vars", {})


def empty_markers() -> list[str]:
    """Cell values that mean 'empty' (extracts.md): '', 无, /, -, NULL."""
    return [str(m) for m in dbt_vars()["empty_markers"]]


def calendar_years() -> list[int]:
    """The years the holiday calendar holds, in order: those of the chinesecalendar library and those
    seeds/holiday_schedule.csv announces (int_calendar__working_days); working days are only known there."""
    from chinese_calendar.constants import holidays  # the library's announced days, by date

    announced = {int(row["calendar_date"][:4]) for row in seed_rows("holiday_schedule")}
    return sorted({day.year for day in holidays} | announced)
