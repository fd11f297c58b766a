"""应归尽归 and the monthly bulletin's figures (rules.md "Delivery coverage"), end to end on a tiny
folder of extracts, as of 2025-11-30 (November the last complete month):

- 济南市市场监督管理局 delivers licences in August and October, then nothing in November: it owes
  them (a record in the 12 months before), 零报送, named;
- its October licence decided 2025-09-30 (the last working day before the National Day holiday) and
  shared 2025-10-09 took 1 working day: 实时共享 at N = 1;
- its licence with an empty 报送时间 counts in its decision's month, late and incomplete;
- a subject named with full-width parentheses where the registry has half-width ones is no 码名不符;
- 淄博市行政审批服务局's November file, rejected whole, is charged to it in November; a rejected file
  naming both departments is `unattributed`.
"""

from __future__ import annotations

import pytest

from .helpers import (
    COMPANY_A,
    JINAN_SCJGJ_DEPT,
    REGISTRY_HEADER,
    department,
    license_record,
    query,
    registry_rows,
    run,
    write_csv,
    write_records,
)

AS_OF = "2025-11-30"
ZIBO_SPJ = department("淄博市行政审批服务局", "370300", "00496811")
PARENTHESES_NAME = "济南鑫达建材（历下）有限公司"  # the registry: 济南鑫达建材(历下)有限公司


def _licence(doc_no: str, decided: str, submitted: str, dept=JINAN_SCJGJ_DEPT) -> dict[str, str]:
    return license_record(doc_no, decided=decided, submitted=submitted, dept=dept,
                          行政相对人名称=PARENTHESES_NAME, 统一社会信用代码=COMPANY_A)


def _without_decision_date(records: list[dict[str, str]]) -> list[dict[str, str]]:
    """A file missing the required column 许可决定日期: rejected whole."""
    return [{k: v for k, v in record.items() if k != "许可决定日期"} for record in records]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reporting_coverage")
    raw = tmp / "raw"
    registry = registry_rows()
    registry[0][4] = "济南鑫达建材(历下)有限公司"
    write_csv(raw / "registry" / "registry.csv", REGISTRY_HEADER, registry)
    write_records(raw / "license" / "2025-08_jinan.csv", [
        _licence("济市监许〔2025〕1号", "2025-08-04", "2025-08-05 09:00"),
    ])
    write_records(raw / "license" / "2025-10_jinan.csv", [
        _licence("济市监许〔2025〕2号", "2025-09-30", "2025-10-09 09:00"),
        _licence("济市监许〔2025〕3号", "2025-10-20", ""),
    ])
    write_records(raw / "license" / "2025-10_zibo.csv", [
        _licence("淄审批许〔2025〕1号", "2025-10-09", "2025-10-10 09:00", dept=ZIBO_SPJ),
    ])
    write_records(raw / "license" / "2025-11_zibo_missing_required_column.csv", _without_decision_date([
        _licence("淄审批许〔2025〕2号", "2025-11-03", "2025-11-04 09:00", dept=ZIBO_SPJ),
        _licence("淄审批许〔2025〕3号", "2025-11-05", "2025-11-06 09:00", dept=ZIBO_SPJ),
    ]))
    write_records(raw / "license" / "2025-11_two_departments_missing_required_column.csv", _without_decision_date([
        _licence("淄审批许〔2025〕4号", "2025-11-03", "2025-11-04 09:00", dept=ZIBO_SPJ),
        _licence("济市监许〔2025〕4号", "2025-11-03", "2025-11-04 09:00"),
    ]))
    monkeypatch = pytest.MonkeyPatch()
    try:
        report, path = run(raw, tmp, monkeypatch, as_of=AS_OF)
    finally:
        monkeypatch.undo()
    assert report.ok, (report.steps_failed, report.checks_failed)
    return path


def _coverage(warehouse, dept_code: str) -> list[tuple]:
    return query(warehouse, f"""
        select strftime(period_month, '%Y-%m'), is_owed, records, is_zero_delivery, realtime_records,
               records_without_submission_date, rejected_files, named_reasons, is_named
        from marts.rpt_reporting_coverage_monthly
        where source_dept_code = '{dept_code}' and record_kind = 'license' order by period_month""")


def test_a_department_that_stops_delivering_is_named_for_zero_delivery(warehouse):
    assert _coverage(warehouse, JINAN_SCJGJ_DEPT[1]) == [
        ("2025-08", False, 1, False, 1, 0, 0, "", False),
        ("2025-09", True, 0, True, 0, 0, 0, "零报送", True),
        # shared the first working day after the holiday (realtime); the undated one is late
        ("2025-10", True, 2, False, 1, 1, 0, "及时率未达标,完整率未达标", True),
        ("2025-11", True, 0, True, 0, 0, 0, "零报送", True),
    ]


def test_a_blank_submission_time_counts_in_the_decision_month_late_and_incomplete(warehouse):
    assert query(warehouse, """
        select strftime(period_month, '%Y-%m'), is_on_time, is_complete, is_compliant, lacks_submission_date
        from marts.fct_disclosure_timeliness where doc_no = '济市监许〔2025〕3号'""") == [
        ("2025-10", False, False, True, True)]


def test_parentheses_of_another_width_are_no_code_name_mismatch(warehouse):
    assert query(warehouse, """
        select has_name_mismatch, has_uscc_error from marts.fct_disclosure_timeliness
        where doc_no = '济市监许〔2025〕1号'""") == [(False, False)]


def test_a_rejected_file_is_charged_to_the_one_department_it_names(warehouse):
    assert _coverage(warehouse, ZIBO_SPJ[1]) == [
        ("2025-10", False, 1, False, 1, 0, 0, "", False),
        ("2025-11", True, 0, True, 0, 0, 1, "零报送", True),
    ]
    assert query(warehouse, """
        select file_path, charged_dept_code, strftime(charged_month, '%Y-%m') from marts.rpt_rejected_files
        order by file_path""") == [
        ("license/2025-11_two_departments_missing_required_column.csv", "unattributed", "2025-11"),
        ("license/2025-11_zibo_missing_required_column.csv", ZIBO_SPJ[1], "2025-11"),
    ]
