"""Evaluation quarters (季度评估) as Dagster partitions, keyed and labelled like the marts' period_quarter
('2025Q4'): from the configured first quarter (dbt var evaluation_first_quarter) to the last quarter
of the holiday calendar's years. A quarter the calendar does not hold has no working days to count,
so no partition."""

from __future__ import annotations

import dagster as dg

from creditwh.periods import quarters_from
from creditwh.rules import calendar_years, dbt_vars


def evaluation_quarters(first: str, years: list[int]) -> list[str]:
    """The quarters from ``first`` through the end of the last of ``years`` that follows ``first``'s
    year without a gap (working days are counted across years: a hole ends the calendar)."""
    year = int(first[:4])
    if year not in years:
        return []
    while year + 1 in years:
        year += 1
    return quarters_from(first, f"{year}Q4")


QUARTERS = dg.StaticPartitionsDefinition(evaluation_quarters(str(dbt_vars()["evaluation_first_quarter"]),
                                                             calendar_years()))
