"""Evaluation periods (季度评估): quarters written '2025Q4', months written '2025-10'.

The one place for quarter arithmetic; the scorecard, its Dagster partitions and the schedules
read it. No Dagster here.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

QUARTER_PATTERN = re.compile(r"\d{4}Q[1-4]", re.ASCII)
QUARTER_START_MONTHS = (1, 4, 7, 10)
QUARTER_START_MONTHS_CRON = ",".join(map(str, QUARTER_START_MONTHS))  # a cron month field: '1,4,7,10'


def is_quarter(text: object) -> bool:
    """'2025Q4' is; '2025-4', '2025Q5' and 2025 are not."""
    return isinstance(text, str) and QUARTER_PATTERN.fullmatch(text) is not None


def _year_and_number(quarter: str) -> tuple[int, int]:
    return int(quarter[:4]), int(quarter[5])


def quarter_of(day: date) -> str:
    """2025-11-15 -> '2025Q4'."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_start(quarter: str) -> date:
    """'2025Q4' -> 2025-10-01."""
    year, number = _year_and_number(quarter)
    return date(year, QUARTER_START_MONTHS[number - 1], 1)


def next_quarter(quarter: str) -> str:
    """'2025Q4' -> '2026Q1'."""
    year, number = _year_and_number(quarter)
    return f"{year + 1}Q1" if number == 4 else f"{year}Q{number + 1}"


def previous_quarter(quarter: str) -> str:
    """'2026Q1' -> '2025Q4'."""
    return quarter_of(quarter_start(quarter) - timedelta(days=1))


def quarters_from(first: str, last: str) -> list[str]:
    """'2025Q3', '2026Q1' -> ['2025Q3', '2025Q4', '2026Q1']; [] when last comes before first."""
    quarters, quarter = [], first
    while quarter <= last:  # 'YYYYQn' sorts as the quarters do
        quarters.append(quarter)
        quarter = next_quarter(quarter)
    return quarters


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """'2025Q4' -> (2025-10-01, 2025-12-31): its first and last day."""
    return quarter_start(quarter), quarter_start(next_quarter(quarter)) - timedelta(days=1)


def quarter_months(quarter: str) -> list[str]:
    """'2025Q4' -> ['2025-10', '2025-11', '2025-12']."""
    first = quarter_start(quarter)
    return [f"{first.year}-{month:02d}" for month in range(first.month, first.month + 3)]


def month_before(day: date) -> str:
    """2025-11-01 -> '2025-10'; 2026-01-01 -> '2025-12'."""
    last_day_before = day.replace(day=1) - timedelta(days=1)
    return f"{last_day_before.year}-{last_day_before.month:02d}"


def quarter_evaluated_on(day: date) -> str:
    """The quarter an evaluation run on `day` scores: the one its day before belongs to
    (2026-01-01 -> '2025Q4'; on a quarter's first day, the quarter just ended)."""
    return quarter_of(day - timedelta(days=1))


# Monitoring months (月度监测), written '2026-03': the bulletin and its Dagster partitions.
MONTH_PATTERN = re.compile(r"\d{4}-(0[1-9]|1[0-2])", re.ASCII)


def is_month(text: object) -> bool:
    """'2026-03' is; '2026-3', '2026-13', '202603' and 2026 are not."""
    return isinstance(text, str) and MONTH_PATTERN.fullmatch(text) is not None


def month_start(month: str) -> date:
    """'2026-03' -> 2026-03-01."""
    return date(int(month[:4]), int(month[5:7]), 1)


def month_of(day: date) -> str:
    """2026-03-15 -> '2026-03'."""
    return f"{day.year}-{day.month:02d}"


def previous_month(month: str) -> str:
    """'2026-01' -> '2025-12'."""
    return month_before(month_start(month))


def months_up_to(month: str, count: int) -> list[str]:
    """The `count` months ending with `month`, oldest first: ('2026-02', 3) -> ['2025-12', '2026-01', '2026-02']."""
    months = [month]
    while len(months) < count:
        months.insert(0, previous_month(months[0]))
    return months


def month_bounds(month: str) -> tuple[date, date]:
    """'2026-02' -> (2026-02-01, 2026-02-28): its first and last day."""
    first = month_start(month)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def last_complete_month(as_of: date) -> str:
    """The last month that ends on or before `as_of` (rules.md, 应归尽归): 2026-02-27 -> '2026-01',
    2026-02-28 -> '2026-02'."""
    return month_before(as_of + timedelta(days=1))
