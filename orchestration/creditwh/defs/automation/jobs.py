"""Jobs: the whole warehouse refresh, and the refresh plus one quarter's scorecard."""

from __future__ import annotations

import dagster as dg

from creditwh.defs.scorecards.partitions import QUARTERS

SCORECARDS = dg.AssetSelection.groups("scorecards")
BULLETINS = dg.AssetSelection.groups("bulletins")  # partitioned by month: materialised on their own

# landing -> staging -> gates -> intermediate -> marts -> gates
warehouse_refresh_job = dg.define_asset_job(
    "warehouse_refresh",
    selection=dg.AssetSelection.all() - SCORECARDS - BULLETINS,
    description="Land every extract and rebuild the warehouse, quality gates included (月度监测).",
)

quarterly_evaluation_job = dg.define_asset_job(
    "quarterly_evaluation",
    selection=dg.AssetSelection.all() - BULLETINS,
    partitions_def=QUARTERS,
    description="Rebuild the warehouse and write the quarter's scorecard files (季度评估).",
)
