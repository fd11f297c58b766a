"""Monitoring months (月度监测) as Dagster partitions: one per month, keyed like the CLI's --month ('2026-03')."""

from __future__ import annotations

import dagster as dg

MONTHS = dg.MonthlyPartitionsDefinition(start_date="2024-01", fmt="%Y-%m", timezone="Asia/Shanghai")
