"""The Dagster code location: it only assembles what defs/ defines."""

from __future__ import annotations

import dagster as dg

from creditwh.defs.automation.jobs import quarterly_evaluation_job, warehouse_refresh_job
from creditwh.defs.automation.schedules import monthly_monitoring_schedule, quarterly_evaluation_schedule
from creditwh.defs.automation.sensors import raw_files_sensor
from creditwh.defs.bulletins.assets import monthly_bulletin
from creditwh.defs.dbt.assets import dbt_downstream, dbt_public, dbt_staging
from creditwh.defs.landing.assets import land_extracts
from creditwh.defs.publishing.assets import published_marts
from creditwh.defs.quality.checks import build_gx_checks
from creditwh.defs.resources import build_resources
from creditwh.defs.scorecards.assets import timeliness_scorecard

defs = dg.Definitions(
    assets=[land_extracts, dbt_staging, dbt_downstream, dbt_public, published_marts, timeliness_scorecard,
            monthly_bulletin],
    asset_checks=build_gx_checks(),
    jobs=[warehouse_refresh_job, quarterly_evaluation_job],
    schedules=[monthly_monitoring_schedule, quarterly_evaluation_schedule],
    sensors=[raw_files_sensor],
    resources=build_resources(),
    # DuckDB allows one writer: steps that write the warehouse run one at a time.
    executor=dg.in_process_executor,
)
