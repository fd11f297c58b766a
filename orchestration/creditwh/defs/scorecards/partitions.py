"""Evaluation quarters (季度评估) as Dagster partitions: one per quarter, keyed by its first day."""

from __future__ import annotations

from datetime import date

import dagster as dg

from creditwh.periods import QUARTER_START_MONTHS_CRON, quarter_of, quarter_start

QUARTERS = dg.TimeWindowPartitionsDefinition(
    start="2024-01-01",
    cron_schedule=f"0 0 1 {QUARTER_START_MONTHS_CRON} *",
    fmt="%Y-%m-%d",
    timezone="Asia/Shanghai",
)


def quarter_of_partition(partition_key: str) -> str:
    """'2025-10-01' -> '2025Q4' (the marts' period_quarter)."""
    return quarter_of(date.fromisoformat(partition_key))


def partition_of_quarter(quarter: str) -> str:
    """'2025Q4' -> '2025-10-01'."""
    return quarter_start(quarter).isoformat()
