"""The Dagster code location: it only assembles what defs/ defines."""

from __future__ import annotations

import dagster as dg

from creditwh.defs.dbt.assets import dbt_downstream, dbt_public, dbt_staging
from creditwh.defs.landing.assets import land_extracts
from creditwh.defs.quality.checks import build_gx_checks
from creditwh.defs.resources import build_resources

defs = dg.Definitions(
    assets=[land_extracts, dbt_staging, dbt_downstream, dbt_public],
    asset_checks=build_gx_checks(),
    resources=build_resources(),
    # DuckDB allows one writer: steps that write the warehouse run one at a time.
    executor=dg.in_process_executor,
)
