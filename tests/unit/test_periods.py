"""Quarter arithmetic (creditwh.periods) on readable cases."""

from __future__ import annotations

from datetime import date

import pytest

from creditwh.periods import (
    is_quarter, month_before, next_quarter, previous_quarter, quarter_bounds, quarter_evaluated_on, quarter_months,
    quarter_of, quarter_start, quarters_from,
)


def test_a_quarter_has_three_months():
    assert quarter_months("2025Q4") == ["2025-10", "2025-11", "2025-12"]
    assert quarter_months("2026Q1") == ["2026-01", "2026-02", "2026-03"]


@pytest.mark.parametrize("quarter, first, last", [
    ("2025Q4", date(2025, 10, 1), date(2025, 12, 31)),
    ("2024Q1", date(2024, 1, 1), date(2024, 3, 31)),
    ("2025Q2", date(2025, 4, 1), date(2025, 6, 30)),
    ("2025Q3", date(2025, 7, 1), date(2025, 9, 30)),
])
def test_quarter_bounds(quarter, first, last):
    assert quarter_bounds(quarter) == (first, last)
    assert quarter_start(quarter) == first


@pytest.mark.parametrize("day, quarter", [
    (date(2025, 10, 1), "2025Q4"), (date(2025, 12, 31), "2025Q4"), (date(2026, 1, 1), "2026Q1"),
    (date(2025, 3, 31), "2025Q1"), (date(2025, 4, 1), "2025Q2"), (date(2025, 9, 30), "2025Q3"),
])
def test_the_quarter_of_a_day(day, quarter):
    assert quarter_of(day) == quarter


def test_previous_and_next_quarter_cross_the_year():
    assert previous_quarter("2026Q1") == "2025Q4"
    assert previous_quarter("2025Q4") == "2025Q3"
    assert next_quarter("2025Q4") == "2026Q1"
    assert next_quarter("2025Q1") == "2025Q2"


def test_an_evaluation_run_scores_the_quarter_just_ended():
    assert quarter_evaluated_on(date(2026, 1, 1)) == "2025Q4"
    assert quarter_evaluated_on(date(2025, 10, 1)) == "2025Q3"
    assert quarter_evaluated_on(date(2025, 10, 2)) == "2025Q4"


def test_month_before():
    assert month_before(date(2025, 11, 1)) == "2025-10"
    assert month_before(date(2026, 1, 1)) == "2025-12"
    assert month_before(date(2025, 3, 15)) == "2025-02"


@pytest.mark.parametrize("text, ok", [
    ("2025Q4", True), ("2025Q1", True), ("2025-4", False), ("2025Q5", False), ("2025Q0", False),
    ("2025q4", False), (" 2025Q4", False), ("２０２５Q4", False), (2025, False), (None, False),
])
def test_is_quarter(text, ok):
    assert is_quarter(text) is ok


def test_quarters_from_one_to_another():
    assert quarters_from("2025Q3", "2026Q1") == ["2025Q3", "2025Q4", "2026Q1"]
    assert quarters_from("2025Q4", "2025Q4") == ["2025Q4"]
    assert quarters_from("2026Q1", "2025Q4") == []
