"""月度监测 on the 1st of every month, 季度评估 on the 1st after each quarter, China time.

Both rebuild the warehouse, and DuckDB allows one writer: on the first day of a quarter only
the quarterly run goes (it refreshes the month's figures as well), so the two never overlap.
"""

from __future__ import annotations

import dagster as dg

from creditwh.defs.automation.jobs import quarterly_evaluation_job, warehouse_refresh_job
from creditwh.defs.scorecards.partitions import QUARTERS
from creditwh.periods import QUARTER_START_MONTHS, QUARTER_START_MONTHS_CRON, month_before, quarter_evaluated_on


@dg.schedule(
    cron_schedule="0 2 1 * *",
    execution_timezone="Asia/Shanghai",
    job=warehouse_refresh_job,
    description="月度监测: on the 1st, rebuild the warehouse so the month before is complete in the marts.",
)
def monthly_monitoring_schedule(context: dg.ScheduleEvaluationContext):
    scheduled = context.scheduled_execution_time
    if scheduled.month in QUARTER_START_MONTHS:
        return dg.SkipReason("first day of a quarter: quarterly_evaluation_schedule refreshes the month in its run")
    month = month_before(scheduled.date())
    return dg.RunRequest(run_key=f"monthly-{month}", tags={"creditwh/period_month": month})


@dg.schedule(
    cron_schedule=f"0 2 1 {QUARTER_START_MONTHS_CRON} *",
    execution_timezone="Asia/Shanghai",
    job=quarterly_evaluation_job,
    description="季度评估: on the 1st after a quarter, rebuild the warehouse and write the quarter's scorecard.",
)
def quarterly_evaluation_schedule(context: dg.ScheduleEvaluationContext):
    quarter = quarter_evaluated_on(context.scheduled_execution_time.date())
    if quarter not in QUARTERS.get_partition_keys():
        return dg.SkipReason(f"{quarter} is not an evaluation quarter: the holiday calendar does not hold it "
                             "(add the State Council schedule to seeds/holiday_schedule.csv) or it comes before "
                             "the dbt var evaluation_first_quarter")
    return dg.RunRequest(run_key=f"quarterly-{quarter}", partition_key=quarter)
