"""The code location's asset graph, jobs and automation, as a reviewer should see them change."""

from __future__ import annotations

import dagster as dg

from creditwh.definitions import defs

MARTS = {"dim_department", "fct_disclosure_timeliness", "rpt_timeliness_monthly", "rpt_timeliness_quarterly",
         "rpt_timeliness_quarterly_region", "fct_credit_event_timeliness", "rpt_credit_event_timeliness_monthly",
         "dim_entity", "mart_entity_credit_profile"}


def test_layers_and_scorecard_assets():
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {f"marts/{name}" for name in MARTS} <= keys
    assert {"raw/extract_files", "intermediate/int_calendar__working_days", "reference/holiday_schedule",
            "scorecards/timeliness_scorecard"} <= keys


def test_every_mart_of_the_evaluation_is_gated_by_a_blocking_suite():
    graph = defs.resolve_asset_graph()
    checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    for name in MARTS:
        assert (f"marts/{name}", f"gx_{name}") in checks


def test_the_publication_sits_below_every_mart_and_public_table():
    graph = defs.resolve_asset_graph()
    published = dg.AssetKey(["published", "marts"])
    upstream = {key.to_user_string() for key in graph.get(published).parent_keys}
    public = {"public/penalty_disclosures", "public/license_disclosures", "public/credit_list_disclosures"}
    assert {f"marts/{name}" for name in MARTS} | public <= upstream
    assert published in defs.resolve_job_def("warehouse_refresh").asset_layer.selected_asset_keys


def test_jobs_schedules_and_sensor():
    assert defs.resolve_job_def("warehouse_refresh") is not None
    assert defs.resolve_job_def("quarterly_evaluation").partitions_def is not None
    assert {s.name for s in defs.schedules} == {"monthly_monitoring_schedule", "quarterly_evaluation_schedule"}
    assert {s.name for s in defs.sensors} == {"raw_files_sensor"}


def test_every_public_table_is_gated_by_its_own_suite_and_the_schema_wide_one():
    from creditwh.defs.quality import checks

    gated = {(key.asset_key.to_user_string(), key.name) for key in defs.resolve_asset_graph().asset_check_keys}
    for table in ("penalty_disclosures", "license_disclosures", "credit_list_disclosures"):
        assert (f"public/{table}", f"gx_{table}") in gated
        assert [p.name for p in checks.suites_of("public", table)] == ["public.json", f"public.{table}.json"]


def test_every_public_table_is_gated_by_the_schema_wide_suite(monkeypatch):
    """expectations/public.json holds every table of the public schema, those to come included:
    a table with no suite of its own still gets a blocking check running the schema's suite."""
    from creditwh.defs.quality import checks

    monkeypatch.setattr(checks, "_dbt_tables", lambda schema: ["penalty_disclosures", "future_disclosures"]
                        if schema == "public" else [])
    built = {(key.asset_key.to_user_string(), key.name): check for check in checks.build_gx_checks()
             for key in check.check_keys}
    assert [p.name for p in checks.suites_of("public", "future_disclosures")] == ["public.json"]
    assert ("public/future_disclosures", "gx_future_disclosures") in built
    assert [p.name for p in checks.suites_of("public", "penalty_disclosures")] == [
        "public.json", "public.penalty_disclosures.json"]
    assert ("public/penalty_disclosures", "gx_penalty_disclosures") in built
    assert "public/penalty_disclosures" in {k.asset_key.to_user_string() for k in defs.resolve_asset_graph().asset_check_keys}


def _dbt_specs() -> dict[str, dg.AssetSpec]:
    """The dbt models' and seeds' asset specs, by key."""
    graph = defs.resolve_asset_graph()
    return {key.to_user_string(): graph.get(key).to_asset_spec() for key in graph.get_all_asset_keys()
            if "dbt" in graph.get(key).kinds and key.path[0] in LAYERS_OF_DBT}


LAYERS_OF_DBT = {"reference", "staging", "intermediate", "audit", "marts", "public"}


def test_every_dbt_asset_is_described_without_its_raw_sql():
    specs = _dbt_specs()
    assert len(specs) > 60
    for key, spec in specs.items():
        assert spec.description and spec.description.strip(), key
        assert "Raw SQL" not in spec.description and "```" not in spec.description, key


def test_every_dbt_asset_has_owners_and_typed_columns():
    for key, spec in _dbt_specs().items():
        assert spec.owners and all(owner.startswith("team:") for owner in spec.owners), key
        schema = spec.metadata.get("dagster/column_schema")
        assert schema is not None and schema.columns, key
        untyped = [column.name for column in schema.columns if column.type in ("", "?")]
        assert not untyped, (key, untyped)
    assert _dbt_specs()["marts/rpt_timeliness_monthly"].owners == ["team:credit-analytics"]


def test_the_monthly_monitoring_marts_are_due_by_the_2nd():
    specs = _dbt_specs()
    for name in ("rpt_timeliness_monthly", "rpt_credit_event_timeliness_monthly"):
        policy = specs[f"marts/{name}"].freshness_policy
        assert policy is not None, name
        assert policy.deadline_cron == "0 0 2 * *" and policy.timezone == "Asia/Shanghai"
    assert specs["marts/rpt_timeliness_quarterly"].freshness_policy is None
