"""One department's mistyped date costs that row, never the province's run (rules.md 双公示
timeliness): a date after the as-of date or before 1949-10-01 is a defect of the row, the record
is late and non-compliant in its own department's figures, no working day is counted for it and
no holiday calendar is asked for its year. The other departments' figures do not move."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from openpyxl import Workbook

from creditwh.pipeline import materialize_all
from creditwh.warehouse.settings import Settings

from .helpers import (
    COMPANY_A,
    CREDIT_LIST_HEADER,
    JINAN_SCJGJ_DEPT,
    REPAIR_HEADER,
    credit_list_row,
    department,
    license_record,
    penalty_record,
    query,
    repair_row,
    write_csv,
    write_records,
)

AS_OF = "2026-03-31"
DECIDED, SUBMITTED = "2025-11-03", "2025-11-04 09:00"  # Monday, Tuesday: 1 working day, on time
ZIBO_JTJ = department("淄博市交通运输局", "370300", "00300001")  # one submission typed 2052
ZAOZHUANG_YJJ = department("枣庄市应急管理局", "370400", "00400002")  # one XLSX licence decided 1900
ZAOZHUANG_JTJ = department("枣庄市交通运输局", "370400", "00400001")  # one penalty decided 1949-09-30

TYPED_2052 = "淄博市交通运输局罚〔2025〕3号"
DECIDED_1900 = "枣庄市应急管理局许〔2025〕3号"
DECIDED_1949 = "枣庄市交通运输局罚〔2025〕1号"
DESIGNATED_2052 = "淄交列〔2025〕2号"
INCREMENTAL_TABLES = ("intermediate.int_licenses__current", "intermediate.int_penalties__current",
                      "intermediate.int_submissions__working_days", "marts.fct_credit_event_timeliness", "marts.fct_disclosure_timeliness",
                      "marts.rpt_timeliness_monthly", "marts.rpt_timeliness_quarterly",
                      "intermediate.int_credit_list_designations__current", "intermediate.int_commitments__current",
                      "intermediate.int_repairs__current", "intermediate.int_registry_entities__current")


def _penalties(dept, count: int) -> list[dict[str, str]]:
    return [penalty_record(f"{dept[0]}罚〔2025〕{i}号", decided=DECIDED, submitted=SUBMITTED, dept=dept)
            for i in range(1, count + 1)]


def _write_xlsx(path, records: list[dict[str, str]]) -> None:
    """An XLSX whose date cells are real Excel dates, as departments' exports have them."""
    header = list(records[0])
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for record in records:
        sheet.append([date.fromisoformat(v) if column == "许可决定日期" else v for column, v in record.items()])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _deliveries(raw) -> None:
    write_records(raw / "penalty" / "jinan.csv", _penalties(JINAN_SCJGJ_DEPT, 2))
    zibo = _penalties(ZIBO_JTJ, 3)
    zibo[2]["报送时间"] = "2052-11-04 09:00"  # 2025 typed as 2052
    write_records(raw / "penalty" / "zibo.csv", zibo)
    licences = [license_record(f"{ZAOZHUANG_YJJ[0]}许〔2025〕{i}号", decided=DECIDED, submitted=SUBMITTED,
                               dept=ZAOZHUANG_YJJ, 有效期自=DECIDED) for i in (1, 2, 3)]
    licences[2]["许可决定日期"] = "1900-02-28"
    _write_xlsx(raw / "license" / "zaozhuang.xlsx", licences)
    write_records(raw / "penalty" / "zaozhuang.csv",
                  [penalty_record(DECIDED_1949, decided="1949-09-30", submitted=SUBMITTED, dept=ZAOZHUANG_JTJ)])
    write_csv(raw / "credit_list" / "zibo.csv", CREDIT_LIST_HEADER, [
        credit_list_row("淄交列〔2025〕1号", DECIDED, dept=ZIBO_JTJ, submitted=SUBMITTED),
        credit_list_row(DESIGNATED_2052, "2052-11-03", dept=ZIBO_JTJ, submitted=SUBMITTED),
    ])
    write_records(raw / "commitment" / "zaozhuang.csv", [{
        "数据来源单位": ZAOZHUANG_JTJ[0], "数据来源单位统一社会信用代码": ZAOZHUANG_JTJ[1], "报送时间": SUBMITTED,
        "承诺主体名称": "济南鑫达建材有限公司", "主体类别": "法人及非法人组织", "统一社会信用代码": COMPANY_A,
        "承诺类型": "审批告知承诺", "承诺事项": "道路运输经营许可", "承诺日期": "2025-06-01",
        "承诺受理单位": ZAOZHUANG_JTJ[0], "承诺受理单位统一社会信用代码": ZAOZHUANG_JTJ[1],
        "履约状态": "违诺", "违诺认定日期": "2052-11-03",
    }])
    # a repair of Zibo's first penalty, its decision (and submission) typed 2052: not in force
    write_csv(raw / "repair" / "jinan.csv", REPAIR_HEADER,
              [repair_row("终止公示行政处罚信息", "淄博市交通运输局罚〔2025〕1号", ZIBO_JTJ[1], "2052-01-05")])


def _run(raw, warehouse, monkeypatch, as_of=AS_OF, full_refresh=False):
    for name, value in {"CREDIT_RAW_DIR": raw, "CREDIT_WAREHOUSE": warehouse, "CREDIT_AS_OF": as_of,
                        "CREDIT_PII_KEY": "test-secret-key"}.items():
        monkeypatch.setenv(name, str(value))
    return materialize_all(Settings.from_env(), log_level="ERROR", full_refresh=full_refresh)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A run as of 2026-03-31 (kept as a copy); then the same warehouse run again with only the
    as-of date moved back, and a warehouse rebuilt from scratch at that as-of date."""
    monkeypatch = pytest.MonkeyPatch()
    tmp = tmp_path_factory.mktemp("date_defects")
    raw, warehouse = tmp / "raw", tmp / "wh" / "credit.duckdb"
    _deliveries(raw)
    try:
        report = _run(raw, warehouse, monkeypatch)
        first = tmp / "first.duckdb"
        shutil.copyfile(warehouse, first)
        moved = _run(raw, warehouse, monkeypatch, as_of=DECIDED)
        rebuilt = tmp / "rebuilt" / "credit.duckdb"
        rebuild = _run(raw, rebuilt, monkeypatch, as_of=DECIDED, full_refresh=True)
        yield {"report": report, "warehouse": first, "moved": (moved, warehouse), "rebuilt": (rebuild, rebuilt)}
    finally:
        monkeypatch.undo()


def _record(warehouse, doc_no: str) -> tuple:
    [row] = query(warehouse, f"""
        select defects, working_days_elapsed, is_on_time, is_compliant, is_complete, period_month::varchar
        from marts.fct_disclosure_timeliness where doc_no = '{doc_no}'""")
    return row


def test_the_run_passes_and_publishes(runs):
    report = runs["report"]
    assert report.ok, (report.steps_failed, report.checks_failed)
    published = {doc for (doc,) in query(runs["warehouse"], "select doc_no from public.penalty_disclosures")}
    assert {"济南市市场监督管理局罚〔2025〕1号", "淄博市交通运输局罚〔2025〕1号"} <= published


def test_a_submission_typed_2052_is_a_late_non_compliant_row_of_its_month(runs):
    # counted in its decision's month: a defective submission date has no month of its own
    assert _record(runs["warehouse"], TYPED_2052) == (
        "DATE_ORDER:submission_after_as_of", None, False, False, True, "2025-11-01")


def test_an_xlsx_licence_decided_1900_is_an_invalid_date(runs):
    assert _record(runs["warehouse"], DECIDED_1900) == ("INVALID:decision_date", None, False, False, True, "2025-11-01")
    [(staged_defects,)] = query(runs["warehouse"], f"""
        select defects from staging.stg_extracts__licenses where doc_no = '{DECIDED_1900}'""")
    assert staged_defects == ["INVALID:decision_date"]  # a defect of the staged row: as-of independent


def test_a_decision_the_day_before_the_founding_is_an_invalid_date(runs):
    assert _record(runs["warehouse"], DECIDED_1949) == ("INVALID:decision_date", None, False, False, True, "2025-11-01")


def test_list_designations_commitment_breaches_and_repairs_flag_their_dates_after_the_as_of_date(runs):
    warehouse = runs["warehouse"]
    assert query(warehouse, """
        select record_kind, doc_no, working_days_elapsed, is_on_time, period_month::varchar
        from marts.fct_credit_event_timeliness order by record_kind, doc_no""") == [
        ("commitment_breach", None, None, False, "2025-11-01"),
        ("credit_list", "淄交列〔2025〕1号", 1, True, "2025-11-01"),
        ("credit_list", DESIGNATED_2052, None, False, "2025-11-01"),
    ]
    assert query(warehouse, f"""select list_sort(defects) from intermediate.int_credit_list_designations__current
                               where designation_doc_no = '{DESIGNATED_2052}'""") == [
        (["DATE_ORDER:designated_after_as_of", "DATE_ORDER:designated_after_submission"],)]
    assert query(warehouse, "select defects from intermediate.int_commitments__current") == [
        (["DATE_ORDER:breach_after_as_of"],)]
    assert query(warehouse, "select list_sort(defects) from intermediate.int_repairs__current") == [
        (["DATE_ORDER:repair_decision_after_as_of", "DATE_ORDER:submission_after_as_of"],)]
    # not yet in force: the designation is left out, the penalty stays published
    assert query(warehouse, "select designation_doc_no from marts.fct_credit_list_membership") == [("淄交列〔2025〕1号",)]
    assert query(warehouse, """select publication_status from marts.fct_penalty_publication
                               where doc_no = '淄博市交通运输局罚〔2025〕1号'""") == [("publishing",)]


def test_each_department_pays_for_its_own_rows_only(runs):
    rows = query(runs["warehouse"], """
        select source_dept_name, record_kind, records, on_time_records, compliant_records, complete_records
        from marts.rpt_timeliness_monthly where period_month = '2025-11-01' order by source_dept_code, record_kind""")
    assert sorted(rows) == sorted([
        ("济南市市场监督管理局", "penalty", 2, 2, 2, 2),
        ("淄博市交通运输局", "penalty", 3, 2, 2, 3),
        ("枣庄市应急管理局", "license", 3, 2, 2, 3),
        ("枣庄市交通运输局", "penalty", 1, 0, 0, 1),
    ])
    assert query(runs["warehouse"], "select count(*) from marts.rpt_timeliness_monthly") == [(4,)]


def test_the_staging_gate_warns_and_does_not_block(runs, tmp_path):
    from .helpers import gate_failures

    for table in ("staging.stg_extracts__licenses", "staging.stg_extracts__penalties"):
        assert gate_failures(runs["warehouse"], table, "select 1") == []


def test_moving_only_the_as_of_date_equals_a_rebuild(runs):
    (moved, warehouse), (rebuild, rebuilt) = runs["moved"], runs["rebuilt"]
    assert moved.ok and rebuild.ok, (moved.steps_failed, moved.checks_failed, rebuild.steps_failed)
    # as of the decision day every submission (the next day) lies after the as-of date
    defects = dict(query(warehouse, "select doc_no, defects from marts.fct_disclosure_timeliness"))
    assert defects[TYPED_2052] == "DATE_ORDER:submission_after_as_of"
    assert defects["济南市市场监督管理局罚〔2025〕1号"] == "DATE_ORDER:submission_after_as_of"
    assert defects[DECIDED_1900] == "DATE_ORDER:submission_after_as_of,INVALID:decision_date"
    for table in INCREMENTAL_TABLES:
        rows = sorted(query(warehouse, f"select * from {table}"), key=repr)
        assert rows == sorted(query(rebuilt, f"select * from {table}"), key=repr), table
