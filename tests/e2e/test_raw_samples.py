"""The whole graph on the bundled raw_samples/: what `./dev run` builds."""

from __future__ import annotations

import dagster as dg
import pytest

from creditwh.warehouse.settings import REPO_ROOT

from .helpers import query, run


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    return run(REPO_ROOT / "raw_samples", tmp_path_factory.mktemp("wh"), pytest.MonkeyPatch())


def test_samples_build_with_every_gate_passing(samples):
    report, _ = samples
    assert report.ok, (report.steps_failed, report.checks_failed)


def test_samples_land_every_kind_and_reconcile(samples):
    _, wh = samples
    landed = dict(query(wh, "select kind, sum(rows_landed) from audit.extract_files group by kind"))
    for kind in ("registry", "license", "penalty", "credit_list", "commitment", "repair"):
        assert landed.get(kind, 0) > 0, kind
    assert query(wh, """select count(*) from audit.extract_files
                        where status = 'loaded' and rows_read <> rows_landed + rows_rejected""") == [(0,)]
    statuses = {s for (s,) in query(wh, "select distinct status from audit.extract_files")}
    assert statuses == {"loaded", "rejected", "duplicate"}
    assert query(wh, "select count(*) from audit.rejected_rows")[0][0] > 0


def test_samples_exercise_both_encodings_and_legacy_keying(samples):
    _, wh = samples
    encodings = {e for (e,) in query(wh, "select distinct encoding from audit.extract_files where status = 'loaded'")}
    assert {"utf-8", "gb18030"} <= encodings
    keyed_by = {k for (k,) in query(wh, "select distinct keyed_by from intermediate.int_penalties__current")}
    assert "legacy_org_code" in keyed_by or "legacy_tax_no" in keyed_by


def test_the_run_is_recorded_in_the_dagster_home_beside_the_warehouse(samples):
    """What `dagster dev` shows of a command-line run: the run, its materialisations with row counts,
    and its check evaluations, the orphaned repair's a WARN failure (yellow), not a pass."""
    report, wh = samples
    home = wh.parent / "dagster_home"
    assert (home / "dagster.yaml").is_file()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        run = instance.get_run_by_id(report.run_id)
        assert run.job_name == "warehouse_refresh" and run.status == dg.DagsterRunStatus.SUCCESS
        materialized = {entry.dagster_event.asset_key.to_user_string(): entry.asset_materialization.metadata
                        for entry in _events(instance, run.run_id, dg.DagsterEventType.ASSET_MATERIALIZATION)}
        evaluations = [entry.dagster_event.event_specific_data
                       for entry in _events(instance, run.run_id, dg.DagsterEventType.ASSET_CHECK_EVALUATION)]
    checks = {f"{check.asset_key.to_user_string()}:{check.check_name}": check for check in evaluations}
    for asset in ("raw/penalty", "staging/stg_extracts__penalties", "marts/fct_penalty_publication",
                  "public/penalty_disclosures", "published/marts"):
        assert asset in materialized, asset
    assert materialized["marts/fct_penalty_publication"]["dagster/row_count"].value > 0
    repairs = checks["intermediate/int_repairs__matched:gx_int_repairs__matched"]
    assert not repairs.passed and repairs.severity == dg.AssetCheckSeverity.WARN
    assert checks["public/penalty_disclosures:gx_penalty_disclosures"].passed
    assert len(checks) == len(report.checks_passed) + len(report.checks_warned) + len(report.checks_failed)


def _events(instance, run_id: str, event_type):
    return [record.event_log_entry for record in instance.get_records_for_run(run_id, of_type=event_type).records]
