"""Monitoring months (月度监测) as Dagster partitions, keyed like the CLI's --month ('2026-03'): the
months of the evaluation quarters (the scorecard's partitions), so a month the holiday calendar
cannot hold, or before the first evaluated quarter, is no partition."""

from __future__ import annotations

import dagster as dg

from creditwh.defs.scorecards.partitions import QUARTERS
from creditwh.periods import quarter_months

MONTHS = dg.StaticPartitionsDefinition(
    [month for quarter in QUARTERS.get_partition_keys() for month in quarter_months(quarter)]
)
