"""The whole graph on the bundled raw_samples/: what `./dev run` builds."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from creditwh.warehouse.settings import REPO_ROOT

from .helpers import gate_failures, person_data_in_public, query, run


@pytest.fixture(scope="module")
def processes_started():
    """The command lines of the processes started (subprocess.Popen) while the module's run builds."""
    started, patch = [], pytest.MonkeyPatch()

    class Recorded(subprocess.Popen):
        def __init__(self, args, *rest, **kwargs):
            started.append([args] if isinstance(args, (str, bytes)) else [str(a) for a in args])
            super().__init__(args, *rest, **kwargs)

    patch.setattr(subprocess, "Popen", Recorded)
    yield started
    patch.undo()


@pytest.fixture(scope="module")
def samples(tmp_path_factory, processes_started):
    return run(REPO_ROOT / "raw_samples", tmp_path_factory.mktemp("wh"), pytest.MonkeyPatch())


def test_samples_build_with_every_gate_passing(samples):
    report, _ = samples
    assert report.ok, (report.steps_failed, report.checks_failed)


def test_dbt_builds_in_the_runs_own_process(samples, processes_started):
    """A dbt process would pay dbt's start (imports, adapter, saved parse) at each of the three steps."""
    assert samples[0].ok
    dbt_builds = [command for command in processes_started
                  if "build" in command and any(Path(part).name in ("dbt", "creditwh-dbt") for part in command)]
    assert dbt_builds == []


def test_samples_land_every_kind_and_reconcile(samples):
    _, wh = samples
    landed = dict(query(wh, "select kind, sum(rows_landed) from audit.extract_files group by kind"))
    for kind in ("registry", "license", "penalty", "credit_list", "commitment", "repair", "objection"):
        assert landed.get(kind, 0) > 0, kind
    assert query(wh, """select count(*) from audit.extract_files
                        where status = 'loaded' and rows_read <> rows_landed + rows_rejected""") == [(0,)]
    statuses = {s for (s,) in query(wh, "select distinct status from audit.extract_files")}
    assert statuses == {"loaded", "rejected", "duplicate"}
    assert query(wh, "select count(*) from audit.rejected_rows")[0][0] > 0


def test_samples_charge_the_rejected_file_and_name_the_departments_that_deliver_nothing(samples):
    """issue 17: the file 淄博市行政审批服务局 delivered without 许可决定日期 is charged to it in 2025-12; the
    department-months with no delivery are named 零报送; the three undated licences are counted."""
    _, wh = samples
    zibo_spj = "113703009681142104"
    assert query(wh, """select charged_dept_code, strftime(charged_month, '%Y-%m') from marts.rpt_rejected_files
                        where file_path = 'license/2025-12_zibo_missing_required_column.csv'""") == [(zibo_spj, "2025-12")]
    assert query(wh, f"""select rejected_files from marts.rpt_reporting_coverage_monthly
                         where period_month = '2025-12-01' and record_kind = 'license'
                           and source_dept_code = '{zibo_spj}'""") == [(1,)]
    named_in_august = {name for (name,) in query(wh, """
        select source_dept_name from marts.rpt_reporting_coverage_monthly
        where period_month = '2025-08-01' and is_zero_delivery and named_reasons like '零报送%'""")}
    assert {"枣庄市交通运输局", "枣庄市薛城区卫生健康局", "国家税务总局淄博市税务局"} <= named_in_august
    assert query(wh, "select sum(records_without_submission_date) from marts.rpt_reporting_coverage_monthly") == [(3,)]


def test_samples_exercise_both_encodings_and_legacy_keying(samples):
    _, wh = samples
    encodings = {e for (e,) in query(wh, "select distinct encoding from audit.extract_files where status = 'loaded'")}
    assert {"utf-8", "gb18030"} <= encodings
    keyed_by = {k for (k,) in query(wh, "select distinct keyed_by from intermediate.int_penalties__current")}
    assert "legacy_org_code" in keyed_by or "legacy_tax_no" in keyed_by


def test_samples_show_an_objection_withdrawing_a_penalty_and_one_open_on_a_designation(samples):
    """tools/raw_samples.md, objection/2026-03_jinan_objections.csv (rules.md 异议处理)."""
    _, wh = samples
    assert query(wh, """select publication_status, withdrawn_date from marts.fct_penalty_publication
                        where doc_no = '济历城市监罚〔2025〕9403号'""") == [("withdrawn", date(2026, 3, 5))]
    assert query(wh, "select count(*) from public.penalty_disclosures where doc_no = '济历城市监罚〔2025〕9403号'") == [(0,)]
    assert query(wh, """select status, under_objection from marts.fct_credit_list_membership
                        where designation_doc_no = '淄环信〔2025〕1号'""") == [("active", True)]
    statuses = dict(query(wh, "select status, count(*) from marts.fct_objections group by status"))
    assert statuses["open"] > 0 and statuses["resolved"] > 0
    assert query(wh, "select count(*) from marts.fct_objections where not matched") == [(1,)]


def test_samples_label_their_codes_in_chinese(samples):
    _, wh = samples
    assert ("license", "行政许可") in query(wh, "select distinct record_kind, record_kind_label from marts.rpt_timeliness_monthly")
    assert ("publishing", "公示中") in query(
        wh, "select distinct publication_status, publication_status_label from marts.fct_penalty_publication")
    assert ("active", "有效") in query(wh, "select distinct status, status_label from marts.fct_credit_list_membership")
    assert ("subject", "被列入主体") in query(wh, "select distinct target_role, target_role_label from marts.mart_joint_sanctions")
    labels = query(wh, """select table_name, column_name from duckdb_columns()
                          where schema_name = 'marts' and column_name like '%\\_label' escape '\\'
                            and column_name not in ('rule_label', 'record_label', 'tier_record_label')""")
    assert len(labels) >= 17
    for table, label in labels:
        code = label.removesuffix("_label")
        unlabelled = query(wh, f'select count(*) from marts."{table}" where "{code}" is not null and "{label}" is null')
        assert unlabelled == [(0,)], (table, label)


def test_samples_column_types_in_the_catalog_are_the_warehouse_types(samples):
    """The types Dagster's catalog shows are the YAML's data_type: they must be what DuckDB built."""
    from creditwh.dbt_project import MANIFEST_PATH

    _, wh = samples
    built = {(s, t, c): ty.lower() for s, t, c, ty in
             query(wh, "select schema_name, table_name, column_name, data_type from duckdb_columns()")}
    nodes = [n for n in json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))["nodes"].values()
             if n["resource_type"] in ("model", "seed")]
    wrong = [(n["name"], column, spec["data_type"], built.get((n["schema"], n["alias"], column)))
             for n in nodes for column, spec in n["columns"].items()
             if spec["data_type"] != built.get((n["schema"], n["alias"], column))]
    assert not wrong, wrong
    tables = {(n["schema"], n["alias"]) for n in nodes}
    documented = {(n["schema"], n["alias"], c) for n in nodes for c in n["columns"]}
    undocumented = {key for key in built if key[:2] in tables} - documented
    assert not undocumented, sorted(undocumented)


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
    assert materialized["published/marts"]["patched_from"].value == "built whole"  # the first publication
    repairs = checks["intermediate/int_repairs__matched:gx_int_repairs__matched"]
    assert not repairs.passed and repairs.severity == dg.AssetCheckSeverity.WARN
    assert checks["public/penalty_disclosures:gx_penalty_disclosures"].passed
    assert len(checks) == len(report.checks_passed) + len(report.checks_warned) + len(report.checks_failed)


def _events(instance, run_id: str, event_type):
    return [record.event_log_entry for record in instance.get_records_for_run(run_id, of_type=event_type).records]


def test_samples_publish_nothing_about_a_person_in_any_public_column(samples):
    """Every column of every public table: no identity number (plain or masked), no masked name, no
    natural person's (or 个人-typed subject's) name or record — 淄川市监罚〔2025〕13号 is typed 个人."""
    _, wh = samples
    assert person_data_in_public(wh) == []
    assert query(wh, """select publication_status from marts.fct_penalty_publication
                        where doc_no = '淄川市监罚〔2025〕13号'""") == [("not_published",)]
    public = {table for (table,) in query(wh, "select table_name from duckdb_tables() where schema_name = 'public'")}
    assert public == {"penalty_disclosures", "license_disclosures", "credit_list_disclosures"}


# --- 红黑名单冲突 (rules.md, Sanction consistency) on the cases the samples carry ---------------------

HONOURED_AFTER_SERIOUS = "91370102579319415D"  # 守信激励 济历下市监信〔2026〕2号 two days after a 严重 penalty
HONOURED_WHILE_LISTED = "91370302MAEJNANQ1L"  # 守信激励 淄环信〔2025〕4号 while on the 严重 list (淄环信〔2025〕2号)


def test_samples_report_their_sanction_conflicts(samples):
    _, wh = samples
    conflicts = query(wh, """select conflict_type, entity_code, record_kind, doc_no, authority_code
                             from marts.fct_sanction_conflicts where conflict_type <> 'repair_without_commitment'
                             order by all""")
    assert conflicts == [
        ("honor_while_sanctioned", HONOURED_AFTER_SERIOUS, "credit_list", "济历下市监信〔2026〕2号", "11370102414131035T"),
        ("honor_while_sanctioned", HONOURED_WHILE_LISTED, "credit_list", "淄环信〔2025〕4号", "113703008794549856"),
        ("repair_unmatched", HONOURED_AFTER_SERIOUS, "penalty", "济市监罚〔2025〕99999号", "1137010084177887XU"),
    ]
    (detail,) = query(wh, f"""select detail from marts.fct_sanction_conflicts
                              where conflict_type = 'honor_while_sanctioned' and entity_code = '{HONOURED_WHILE_LISTED}'""")
    assert "严重失信主体名单「淄环信〔2025〕2号」（2025-10-10列入）" in detail[0]
    agreed, with_commitment = query(wh, """
        select count(*), count(*) filter (where not exists (
            select 1 from marts.fct_sanction_conflicts c
            where c.conflict_type = 'repair_without_commitment' and c.source_record_key = r.record_key))
        from intermediate.int_repairs__matched r where is_effective""")[0]
    assert (agreed, with_commitment) == (12, 1)  # 11 of 12 agreed repairs have no 信用修复承诺


def test_samples_sanction_conflicts_warn_without_stopping_the_line(samples):
    report, _ = samples
    assert report.ok
    check = "marts/fct_sanction_conflicts:gx_fct_sanction_conflicts"
    assert check in dict(report.checks_warned)
    (finding,) = report.gate_failures[check]
    assert "(non-blocking)" in finding and "红黑名单冲突" in finding


def test_the_conflicts_gate_still_stops_a_broken_table(samples):
    _, wh = samples
    failed = gate_failures(wh, "marts.fct_sanction_conflicts", """
        update marts.fct_sanction_conflicts set conflict_type = 'honour_clash'
        where conflict_type = 'repair_unmatched'""")
    assert failed == ["conflict_type in its set"]
    failed = gate_failures(wh, "marts.fct_sanction_conflicts", """
        update marts.fct_sanction_conflicts set detail = null where conflict_type = 'repair_unmatched'""")
    assert failed == ["expect_column_values_to_not_be_null(detail)"]


def test_samples_withhold_incentives_from_an_entity_sanctioned_on_the_honour_list(samples):
    _, wh = samples
    for table in ("mart_joint_sanctions", "mart_entity_sanction_measures"):
        granted = query(wh, f"""select measure from marts.{table}
                                where entity_code in ('{HONOURED_AFTER_SERIOUS}', '{HONOURED_WHILE_LISTED}')
                                  and measure_kind = '激励'""")
        assert granted == [], table


def test_samples_monthly_bulletin_names_the_silent_departments_and_the_blank_submissions(samples, tmp_path, monkeypatch):
    """Issue 17 on the bundled samples: 2025-08's zero deliveries are named first, a record with an empty
    报送时间 is in its decision month's 问题数据清单, a file rejected whole is charged to its department."""
    from creditwh.bulletin import load_bulletin
    from creditwh.cli import main

    _, wh = samples
    with duckdb.connect(str(wh), read_only=True) as con:
        august = load_bulletin(con, "2025-08")
        zero = august.named[august.named["reasons"].str.startswith("零报送")]
        for unit in ("枣庄市交通运输局", "薛城区卫生健康局", "淄博市税务局"):  # as the issue names them
            assert zero["source_dept_name"].str.endswith(unit).any(), unit
        assert zero.index.max() == len(zero) - 1  # zero deliveries first
        for doc_no in ("济历城审批许字〔2025〕9708号", "薛卫卫许〔2026〕2号", "淄川市监许准字〔2026〕第3号"):
            (month,) = con.execute("select strftime(period_month, '%Y-%m') from marts.fct_disclosure_timeliness "
                                   "where doc_no = ?", [doc_no]).fetchone()
            problems = load_bulletin(con, month).problems.set_index("doc_no")["problem"]
            assert "报送时间" in problems[doc_no], (doc_no, problems.get(doc_no))
        december = load_bulletin(con, "2025-12", region="370300")
        charged = december.rejected_files.set_index("file_path")["source_dept_name"]
        assert charged["license/2025-12_zibo_missing_required_column.csv"] == "淄博市行政审批服务局"

    monkeypatch.setenv("CREDIT_WAREHOUSE", str(wh))
    monkeypatch.setenv("CREDIT_AS_OF", "2026-03-31")
    for suffix in ("xlsx", "html", "csv"):
        assert main(["bulletin", "--out", str(tmp_path / f"bulletin.{suffix}")]) == 0  # 2026-03, province-wide
