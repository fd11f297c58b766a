"""Great Expectations suites as blocking asset checks: expectations/<schema>.<table>.json for one
table, expectations/<schema>.json for every table of the schema (the dbt models built into it,
those to come included). A table's check runs both. A gated table is checked here only: its keys and
not-nulls too; dbt tests hold the seeds, the ungated models and the relationships (README, quality gates).

A failing blocking expectation fails its check with ERROR severity, and Dagster then skips every
asset downstream of the checked one: what the pipeline guarantees is broken, so the line stops
before it reaches a mart. A failing non-blocking expectation alone fails it with WARN severity:
reported (yellow in the UI), stopping nothing. A department's bad rows are defects of those rows,
not a stop; only a staging table whose defective rows exceed CREDIT_MAX_DEFECTIVE_ROW_SHARE stops the line.
"""


import hashlib
from collections.abc import Mapping
from pathlib import Path

import dagster as dg

from creditwh.dbt_project import manifest_nodes
from creditwh.defs.resources import WarehouseResource
from creditwh import codes
from creditwh.landing import pii
from creditwh.landing.pii import register_sql_functions
from creditwh.rules import dbt_vars, seed_rows
from creditwh.warehouse.settings import REPO_ROOT

EXPECTATIONS_DIR = REPO_ROOT / "expectations"


def rule_values(reference: Mapping) -> list:
    """The values a suite names instead of copying them, read where dbt reads them:
    {"$code_list": "severity"} — the codes of that list in seeds/code_lists.csv;
    {"$code_label": "publication_status"} — the codes the warehouse emits under that name, as labelled in
    seeds/code_labels.csv (a code with no Chinese label must not reach a report);
    {"$seed": "credit_tiers", "column": "tier"} — a column of a seed;
    {"$var": "evaluation_grade_thresholds", "field": "grade"} — a var of dbt_project.yml (a field of each
    of its entries). An empty answer is an error: a misspelt name must not pass every value or none."""
    if "$code_list" in reference:
        values = [row["code"] for row in seed_rows("code_lists") if row["code_list"] == reference["$code_list"]]
    elif "$code_label" in reference:
        values = [row["code"] for row in seed_rows("code_labels") if row["code_list"] == reference["$code_label"]]
    elif "$seed" in reference:
        values = list(dict.fromkeys(row[reference["column"]] for row in seed_rows(reference["$seed"])))
    elif "$var" in reference:
        entries = dbt_vars()[reference["$var"]]
        values = [entry[reference["field"]] for entry in entries] if "field" in reference else list(entries)
    else:
        raise ValueError(f"unknown reference {dict(reference)!r}")
    if not values:
        raise ValueError(f"{dict(reference)!r} names no value")
    return values


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


def suites_of(schema: str, table: str) -> list[Path]:
    """The suites a table is validated against: its schema's, then its own."""
    return [p for p in (EXPECTATIONS_DIR / f"{schema}.json", EXPECTATIONS_DIR / f"{schema}.{table}.json") if p.is_file()]


def sql_functions_fingerprint() -> str:
    """What the suites' SQL functions are: the code of the identity-number rules (pii.py and the
    code checks it calls). A change of it makes a row-local gate check every row again."""
    digest = hashlib.sha256()
    for module in (pii, codes):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def validate_gates(database_path, schema: str, table: str, results_dir=None, duckdb_config=None,
                   extra_expectations=(), seen_rows_dir=None):
    """The table's suites, with the SQL functions they may call (pii.py's identity-number rules), the
    values they name from the seeds and vars (``rule_values``) and the expectations whose bounds are run
    settings (``extra_expectations``). With ``seen_rows_dir``, a row-local expectation (the public
    identity-number scan) checks only the rows it has not seen pass (quality/gx_duckdb.py)."""
    from creditwh.quality.gx_duckdb import SeenRows, validate_table  # GX takes ~6 s to import

    seen_rows = SeenRows(Path(seen_rows_dir), sql_functions_fingerprint()) if seen_rows_dir else None
    return validate_table(database_path, schema, table, suites_of(schema, table), results_dir=results_dir,
                          duckdb_config=duckdb_config, sql_functions=register_sql_functions,
                          extra_expectations=extra_expectations, references=rule_values, seen_rows=seen_rows)


def _dbt_tables(schema: str) -> list[str]:
    return sorted(node["alias"] or node["name"] for node in manifest_nodes()
                  if node["resource_type"] == "model" and node["schema"] == schema)


def _gx_check(schema: str, table: str, suite_paths: list[Path]) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey([schema, table]),
        name=f"gx_{table}",
        blocking=True,
        description=f"Great Expectations suite {' + '.join(p.name for p in suite_paths)} on {schema}.{table}.",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        settings = warehouse.settings()
        outcome = validate_gates(
            settings.warehouse_path, schema, table,
            results_dir=settings.warehouse_dir / "quality", duckdb_config=settings.duckdb_config,
            extra_expectations=_run_settings_expectations(schema, settings),
            seen_rows_dir=settings.warehouse_dir / "quality" / "seen_rows",
        )
        return dg.AssetCheckResult(
            passed=outcome.success and not outcome.failed_non_blocking(),
            severity=_severity(outcome),
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


def _severity(outcome) -> dg.AssetCheckSeverity:
    """ERROR when a blocking expectation failed (Dagster skips what is downstream), else WARN: a check
    whose only failures are non-blocking fails in yellow, and nothing stops."""
    return dg.AssetCheckSeverity.ERROR if not outcome.success else dg.AssetCheckSeverity.WARN


def build_gx_checks() -> list[dg.AssetChecksDefinition]:
    tables: set[tuple[str, str]] = set()
    for suite_path in EXPECTATIONS_DIR.glob("*.json"):
        if "." in suite_path.stem:
            tables.add(tuple(suite_path.stem.split(".", 1)))
        else:
            tables |= {(suite_path.stem, table) for table in _dbt_tables(suite_path.stem)}
    return [_gx_check(schema, table, suites_of(schema, table)) for schema, table in sorted(tables)]
