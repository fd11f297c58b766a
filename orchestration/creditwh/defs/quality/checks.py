"""Great Expectations suites (expectations/<schema>.<table>.json) as blocking asset checks.

A failing blocking expectation fails its check, and Dagster then skips every asset
downstream of the checked one: what the pipeline guarantees is broken, so the line stops
before it reaches a mart. A department's bad rows are defects of those rows, not a stop; only
a staging table whose defective rows exceed CREDIT_MAX_DEFECTIVE_ROW_SHARE stops the line.
"""


import dagster as dg

from creditwh.defs.resources import WarehouseResource
from creditwh.settings import REPO_ROOT

EXPECTATIONS_DIR = REPO_ROOT / "expectations"


def defective_row_share_expectation(max_share: float) -> dict:
    """Blocking when more than `max_share` of the table's rows carry a defect code: a broken
    export or extract, not one department's typo. The rows it counts are the defective ones."""
    query = (
        "select * from {batch} where len(defects) > 0 and (select count(*) from {batch} where len(defects) > 0)"
        f" > {max_share!r} * (select count(*) from {{batch}})"
    )
    return {
        "type": "unexpected_rows_expectation",
        "kwargs": {"unexpected_rows_query": query},
        "meta": {"notes": f"at most {max_share:.0%} of the rows carry a defect (CREDIT_MAX_DEFECTIVE_ROW_SHARE)"},
    }


def _run_settings_expectations(schema: str, settings) -> list[dict]:
    # every staging table flags its rows' defects in `defects`
    return [defective_row_share_expectation(settings.max_defective_row_share)] if schema == "staging" else []


def _gx_check(schema: str, table: str, suite_path) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey([schema, table]),
        name=f"gx_{table}",
        blocking=True,
        description=f"Great Expectations suite {suite_path.name} on {schema}.{table}.",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        # Great Expectations takes ~6 s to import: load it when a check runs, not when the
        # code location loads.
        from creditwh.quality.gx_duckdb import validate_table

        settings = warehouse.settings()
        outcome = validate_table(
            settings.warehouse_path, schema, table, suite_path,
            results_dir=settings.warehouse_dir / "quality", duckdb_config=settings.duckdb_config,
            extra_expectations=_run_settings_expectations(schema, settings),
        )
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description=outcome.summary(),
            metadata={
                "expectations": len(outcome.outcomes),
                "failed_blocking": len(outcome.failed_blocking()),
                "failed_non_blocking": len(outcome.failed_non_blocking()),
                "result_json": str(outcome.result_path) if outcome.result_path else "",
                "failures": dg.MetadataValue.md(
                    "\n".join(
                        f"- {o.label}: {o.detail()}{'' if o.blocking else ' (non-blocking)'} — {o.description}"
                        for o in outcome.outcomes if not o.success
                    ) or "none"
                ),
            },
        )

    return _check


def build_gx_checks() -> list[dg.AssetChecksDefinition]:
    checks = []
    for suite_path in sorted(EXPECTATIONS_DIR.glob("*.json")):
        schema, table = suite_path.stem.split(".", 1)
        checks.append(_gx_check(schema, table, suite_path))
    return checks
