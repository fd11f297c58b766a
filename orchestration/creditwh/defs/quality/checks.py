"""Great Expectations suites (expectations/<schema>.<table>.json) as blocking asset checks.

A failing blocking expectation fails its check, and Dagster then skips every asset
downstream of the checked one: bad data stops the line before it reaches a mart.
"""


import dagster as dg

from creditwh.defs.resources import WarehouseResource
from creditwh.settings import REPO_ROOT

EXPECTATIONS_DIR = REPO_ROOT / "expectations"


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
