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


# --- monitoring months (月度监测通报) ---

from creditwh.periods import (  # noqa: E402
    is_month, last_complete_month, month_bounds, month_of, month_start, months_up_to, previous_month,
)


@pytest.mark.parametrize("text, ok", [("2026-03", True), ("2025-12", True), ("2026-3", False), ("2026-13", False),
                                      ("2026-00", False), ("202603", False), ("2026Q1", False), (202603, False)])
def test_a_month_is_written_yyyy_mm(text, ok):
    assert is_month(text) is ok


def test_month_arithmetic_crosses_the_year():
    assert previous_month("2026-01") == "2025-12"
    assert month_start("2026-03") == date(2026, 3, 1) and month_of(date(2026, 3, 31)) == "2026-03"
    assert months_up_to("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]
    assert len(months_up_to("2026-03", 12)) == 12 and months_up_to("2026-03", 12)[0] == "2025-04"
    assert month_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert month_bounds("2025-12") == (date(2025, 12, 1), date(2025, 12, 31))


@pytest.mark.parametrize("as_of, month", [
    (date(2026, 2, 27), "2026-01"), (date(2026, 2, 28), "2026-02"), (date(2026, 3, 1), "2026-02"),
    (date(2026, 1, 15), "2025-12"), (date(2025, 12, 31), "2025-12"),
])
def test_the_last_complete_month_ends_on_or_before_the_as_of_date(as_of, month):
    assert last_complete_month(as_of) == month
