"""The published marts: a read-only DuckDB file and Parquet folders for BI tools, swapped in
atomically after every blocking gate upstream has passed (creditwh.warehouse.publishing)."""


import dagster as dg
import duckdb

from creditwh.defs.dbt.assets import dbt_downstream, dbt_public
from creditwh.defs.resources import WarehouseResource
from creditwh.warehouse.publishing import PublishError, publish
from creditwh.report.lookup import fold_pending_queries

PUBLISHED_FROM = sorted(
    (key for key in (*dbt_downstream.keys, *dbt_public.keys) if key.path[0] in ("marts", "public")),
    key=lambda key: key.to_user_string(),
)


def _fold_lookups(context: dg.AssetExecutionContext, settings) -> None:
    """Look-ups registered while the run held the warehouse, into audit.query_log; a failure here
    must not stop the publication: they stay pending for the next holder of the lock."""
    try:
        if folded := fold_pending_queries(settings):
            context.log.info(f"{folded} look-ups made during the run entered in audit.query_log")
    except (duckdb.Error, OSError, ValueError) as exc:
        context.log.warning(f"look-ups made during the run stay pending: {exc.__class__.__name__}")


class PublishConfig(dg.Config):
    # `creditwh run --allow-shrink`: publish even when a table would lose most of the rows the last
    # publication held; without it such a publication is refused (an empty or half-mounted raw folder).
    allow_shrink: bool = False


@dg.asset(
    key=["published", "marts"],
    group_name="published",
    deps=PUBLISHED_FROM,
    kinds={"duckdb", "parquet"},
    # in backticks: the UI renders a description as Markdown, where <schema> would be an HTML tag, unseen
    description="The marts and public schemas for BI tools: `<warehouse dir>/published/credit_marts.duckdb` "
                "(open it read-only) and `published/current/<schema>.<table>/data.parquet`. Built only when "
                "every blocking gate upstream passed; swapped in atomically, so readers never see half of it.",
)
def published_marts(context: dg.AssetExecutionContext, config: PublishConfig,
                    warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.holding(context, "publish") as settings:
        _fold_lookups(context, settings)
        try:
            publication = publish(settings, run_id=context.run.run_id, allow_shrink=config.allow_shrink)
        except PublishError as exc:
            raise dg.Failure(description=f"not published: {exc}") from exc
    context.log.info(f"published {len(publication.tables)} tables to {publication.duckdb_path.parent}")
    return dg.MaterializeResult(metadata={
        "duckdb": dg.MetadataValue.path(str(publication.duckdb_path)),
        "parquet": dg.MetadataValue.path(str(publication.parquet_dir)),
        "publication": publication.manifest["publication"],
        # the publication the DuckDB file was patched from; "built whole" when there was none to start from
        "patched_from": publication.manifest["patched_from"] or "built whole",
        "as_of": publication.manifest["as_of"],
        "tables": dg.MetadataValue.json(publication.tables),
        "dagster/row_count": sum(publication.tables.values()),
    })
