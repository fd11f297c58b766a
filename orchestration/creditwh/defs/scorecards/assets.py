"""The quarterly scorecard (季度评估成绩单) as a partitioned asset: materialise a quarter in the
UI and the files appear under <warehouse dir>/scorecards/<quarter>/, linked from the run."""


import dagster as dg

from creditwh.defs.resources import WarehouseResource
from creditwh.defs.scorecards.partitions import QUARTERS

SCORECARD_FORMATS = (".xlsx", ".html", ".csv")
MARTS_READ = [
    dg.AssetKey(["marts", name])
    for name in ("fct_disclosure_timeliness", "rpt_timeliness_quarterly", "rpt_timeliness_quarterly_region",
                 "rpt_timeliness_quarterly_trend", "rpt_timeliness_evaluation_rules",
                 "rpt_timeliness_evaluation_grades", "dim_department", "dim_region_hierarchy",
                 "rpt_reporting_coverage_monthly")
]


class ScorecardConfig(dg.Config):
    region: str = ""  # a region code (370100 济南市) for that region and what lies under it; empty = all


@dg.asset(
    key=["scorecards", "timeliness_scorecard"],
    group_name="scorecards",
    partitions_def=QUARTERS,
    deps=MARTS_READ,
    kinds={"excel", "html"},
    description="双公示信息报送质量季度评估: department and region rankings with totals, 许可/处罚 split, change "
                "from the previous quarter, problem counts, 点名通报, trend and the 问题数据清单 of one quarter "
                "(partition 2025Q4), as .xlsx, .html and .csv files for evaluators.",
)
def timeliness_scorecard(context: dg.AssetExecutionContext, config: ScorecardConfig,
                         warehouse: WarehouseResource) -> dg.MaterializeResult:
    # pandas and XlsxWriter: not at definitions load
    from creditwh.scorecard import ScorecardError, load_scorecard, write_scorecard

    quarter = context.partition_key  # '2025Q4', as the marts' period_quarter
    region = config.region.strip() or None
    try:
        # as a look-up: a run that starts meanwhile waits for it, and it never opens the file a run writes
        with warehouse.reading(context, "scorecard") as con:
            scorecard = load_scorecard(con, quarter, region)
    except ScorecardError as exc:
        # an empty quarter or an unknown region: the reason, for the person who chose the partition
        raise dg.Failure(description=f"双公示季度评估 {quarter}: {exc}", allow_retries=False) from None
    folder = warehouse.settings().warehouse_dir / "scorecards" / quarter
    stem = f"双公示季度评估_{quarter}" + (f"_{region}" if region else "")
    written = [write_scorecard(scorecard, folder / f"{stem}{suffix}") for suffix in SCORECARD_FORMATS]
    departments = scorecard.departments
    context.log.info(f"scorecard {quarter}: {len(departments)} departments -> {folder}")
    return dg.MaterializeResult(metadata={
        "quarter": quarter,
        "region": region or "all",
        "departments": len(departments),
        "needs_rectification": int(departments["needs_rectification"].sum()),
        "problem_records": len(scorecard.problems),
        **{f"file{path.suffix}": dg.MetadataValue.path(str(path)) for path in written},
    })
