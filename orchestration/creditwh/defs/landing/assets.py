"""Landing assets: the raw schema, brought up to date with the delivered files in one transaction."""


import dagster as dg
from pydantic import Field

from creditwh import progress
from creditwh.defs.resources import WarehouseResource
from creditwh.landing.contract import load_contract
from creditwh.landing.land import land
from creditwh.quality.background_import import import_great_expectations_in_the_background

KINDS = list(load_contract())

RAW_SPECS = [
    dg.AssetSpec(
        ["raw", "extract_files"], group_name="raw",
        description="每个交付文件一行: every delivered file, its hash, status and reason (landing manifest).",
    ),
    dg.AssetSpec(
        ["raw", "parse_rejects"], group_name="raw",
        description="Lines that could not be split into the header's columns, identity numbers masked.",
    ),
    dg.AssetSpec(
        ["raw", "rejected_file_senders"], group_name="raw",
        description="被整体拒收文件的数据来源单位和报送时间: what charges a rejected file to its department and month.",
    ),
] + [
    dg.AssetSpec(
        ["raw", kind], group_name="raw",
        description=f"Rows of the {kind} extracts as delivered (Chinese headers; identity numbers keyed and masked).",
    )
    for kind in KINDS
]


class LandingConfig(dg.Config):
    full_refresh: bool = Field(
        default=False,
        description="Read every delivered file again (creditwh run --full-refresh), not only new or changed ones.",
    )


@dg.multi_asset(specs=RAW_SPECS, name="land_extracts", compute_kind="duckdb")
def land_extracts(context: dg.AssetExecutionContext, config: LandingConfig, warehouse: WarehouseResource):
    """Land every file under CREDIT_RAW_DIR into the raw schema (extracts.md): only new or changed
    files are read; the others keep what an earlier landing made of them."""
    with warehouse.writing(context, "landing") as settings, warehouse.connect() as con:
        settings.warn_if_development_key()
        import_great_expectations_in_the_background()  # for the gates, while DuckDB reads the files
        outcomes = land(con, settings.raw_dir, settings.pii_key, scratch_root=settings.scratch_dir,
                        full_refresh=config.full_refresh, duckdb_config=settings.duckdb_config,
                        on_file=lambda done, total, read: progress.report("landing", done, total, read))
    loaded = [o for o in outcomes if o.status == "loaded"]
    rejects = sum(o.rows_parse_rejected for o in loaded)
    by_status = {s: sum(1 for o in outcomes if o.status == s) for s in ("loaded", "duplicate", "rejected")}
    unchanged = sum(1 for o in outcomes if o.reused)
    context.log.info(f"landed {len(outcomes)} files from {settings.raw_dir}: {by_status}")
    yield dg.MaterializeResult(
        asset_key=["raw", "extract_files"],
        metadata={
            "dagster/row_count": len(outcomes),
            "raw_dir": str(settings.raw_dir),
            **{f"files_{s}": n for s, n in by_status.items()},
            "files_new_or_changed": len(outcomes) - unchanged,
            "files_unchanged": unchanged,
            "files_removed": len(outcomes.removed),
            "landing": f"full: {outcomes.full_landing_reason}" if outcomes.full_landing_reason else "incremental",
            "rejected_files": dg.MetadataValue.md(
                "\n".join(f"- `{o.file_path}`: {o.reason}" for o in outcomes if o.status != "loaded") or "none"
            ),
        },
    )
    yield dg.MaterializeResult(asset_key=["raw", "parse_rejects"], metadata={"dagster/row_count": rejects})
    yield dg.MaterializeResult(asset_key=["raw", "rejected_file_senders"],
                               metadata={"files": by_status["rejected"]})
    for kind in KINDS:
        rows = sum(o.rows_read - o.rows_parse_rejected for o in loaded if o.kind == kind)
        yield dg.MaterializeResult(asset_key=["raw", kind], metadata={"dagster/row_count": rows})
