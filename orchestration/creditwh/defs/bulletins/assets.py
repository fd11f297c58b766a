"""The monthly bulletin (月度监测通报) as a partitioned asset: materialise a month in the UI and the files
appear under <warehouse dir>/bulletins/<month>/, linked from the run."""

import dagster as dg

from creditwh.defs.bulletins.partitions import MONTHS
from creditwh.defs.resources import WarehouseResource

BULLETIN_FORMATS = (".xlsx", ".html", ".csv")
MARTS_READ = [
    dg.AssetKey(["marts", name])
    for name in ("rpt_reporting_coverage_monthly", "rpt_reporting_coverage_rules", "rpt_timeliness_evaluation_rules",
                 "fct_disclosure_timeliness", "rpt_rejected_files", "rpt_records_without_period",
                 "dim_region_hierarchy")
]


class BulletinConfig(dg.Config):
    region: str = ""  # a region code (370300 淄博市) for that region and what lies under it; empty = all


@dg.asset(
    key=["bulletins", "monthly_bulletin"],
    group_name="bulletins",
    partitions_def=MONTHS,
    deps=MARTS_READ,
    kinds={"excel", "html"},
    description="双公示信息报送月度监测通报: 总体情况, 点名通报 (零报送 first), 部门排名, 重错码与实时共享, "
                "问题数据清单, 退回文件, 无法归期 and a 12-month trend of one month, as .xlsx, .html and .csv files "
                "the credit office forwards to the departments.",
)
def monthly_bulletin(context: dg.AssetExecutionContext, config: BulletinConfig,
                     warehouse: WarehouseResource) -> dg.MaterializeResult:
    from creditwh.bulletin import BulletinError, load_bulletin, write_bulletin  # pandas, XlsxWriter: not at load

    month = context.partition_key
    region = config.region.strip() or None
    try:
        # as a look-up: a run that starts meanwhile waits for it, and it never opens the file a run writes
        with warehouse.reading(context, "bulletin") as con:
            bulletin = load_bulletin(con, month, region)
    except BulletinError as exc:  # an empty month, an unknown region: said, not a stack trace
        raise dg.Failure(description=f"月度监测通报 {month}: {exc}", allow_retries=False) from None
    folder = warehouse.settings().warehouse_dir / "bulletins" / month
    stem = f"双公示月度监测通报_{month}" + (f"_{region}" if region else "")
    written = [write_bulletin(bulletin, folder / f"{stem}{suffix}") for suffix in BULLETIN_FORMATS]
    total = bulletin.overview.iloc[-1]
    context.log.info(f"bulletin {month}: {total['records']} records, {total['named_units']} named -> {folder}")
    return dg.MaterializeResult(metadata={
        "month": month,
        "region": region or "all",
        "records": int(total["records"]),
        "zero_delivery_units": int(total["zero_delivery_units"]),
        "named_units": int(total["named_units"]),
        "problem_records": len(bulletin.problems),
        **{f"file{path.suffix}": dg.MetadataValue.path(str(path)) for path in written},
    })
