"""Dates as day ordinals, vectorised: a pool of ISO strings from 1940 to 2045, and the State
Council working days."""

from __future__ import annotations

import functools
from datetime import date

import numpy as np

BASE = date(1940, 1, 1).toordinal()
LAST = date(2045, 12, 31).toordinal()


@functools.lru_cache(maxsize=1)
def _date_pool() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    days = [date.fromordinal(o) for o in range(BASE, LAST + 1)]
    return (np.array([d.isoformat() for d in days], dtype=object),
            np.array([d.year for d in days], dtype=np.int64),
            np.array([d.year * 10000 + d.month * 100 + d.day for d in days], dtype=np.int64))


def iso_dates(ords: np.ndarray) -> list[str]:
    return _date_pool()[0][np.asarray(ords, dtype=np.int64) - BASE].tolist()


def years_of(ords: np.ndarray) -> np.ndarray:
    return _date_pool()[1][np.asarray(ords, dtype=np.int64) - BASE]


def yyyymmdd(ords: np.ndarray) -> np.ndarray:
    return _date_pool()[2][np.asarray(ords, dtype=np.int64) - BASE]


def iso_date(o: int) -> str:
    return date.fromordinal(int(o)).isoformat()


@functools.lru_cache(maxsize=65536)
def validity_end(o: int, years: int) -> str:
    """The last day of a validity of ``years`` from day ``o``: the day before its anniversary."""
    d = date.fromordinal(o)
    try:
        e = d.replace(year=d.year + years)
    except ValueError:  # 29 Feb
        e = d.replace(year=d.year + years, day=28)
    return date.fromordinal(e.toordinal() - 1).isoformat()


def add_months(o: int, months: int) -> int:
    """Day ``o`` plus ``months``, clamped to the month end (like dbt's month arithmetic)."""
    d = date.fromordinal(o)
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    last = (date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1)
    return min(date(y, m, 1).toordinal() + d.day - 1, last)


def working_days(first: int, last: int) -> np.ndarray:
    """State Council working days (chinesecalendar); Mon-Fri outside the years it covers."""
    try:
        import chinese_calendar
    except ImportError:  # pragma: no cover - chinesecalendar is a project dependency
        chinese_calendar = None
    out = []
    for o in range(first, last + 1):
        d = date.fromordinal(o)
        try:
            ok = chinese_calendar.is_workday(d) if chinese_calendar else d.weekday() < 5
        except NotImplementedError:
            ok = d.weekday() < 5
        if ok:
            out.append(o)
    return np.array(out, dtype=np.int64)


@functools.lru_cache(maxsize=65536)
def months_later(o: int, months: int) -> str:
    return iso_date(add_months(o, months))
