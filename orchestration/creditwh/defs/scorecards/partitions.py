"""Evaluation quarters (季度评估) as Dagster partitions: one per quarter, keyed by its first day."""

from __future__ import annotations

from datetime import date

import dagster as dg

QUARTERS = dg.TimeWindowPartitionsDefinition(
    start="2024-01-01",
    cron_schedule="0 0 1 1,4,7,10 *",
    fmt="%Y-%m-%d",
    timezone="Asia/Shanghai",
)


def quarter_of_partition(partition_key: str) -> str:
    """'2025-10-01' -> '2025Q4' (the marts' period_quarter)."""
    first_day = date.fromisoformat(partition_key)
    return f"{first_day.year}Q{(first_day.month - 1) // 3 + 1}"


def partition_of_quarter(quarter: str) -> str:
    """'2025Q4' -> '2025-10-01'."""
    return date(int(quarter[:4]), 3 * int(quarter[5]) - 2, 1).isoformat()
