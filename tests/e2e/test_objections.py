"""Objections (异议处理, issue 18) on readable hand-made cases (rules.md "Objections (异议处理)").

Penalties of 济南市市场监督管理局, designations of 淄博市生态环境局 and a licence, objected to through
the credit office (济南市发展和改革委员会), all as of 2026-03-31:
- 301 (严重, 淄博华联化工) withdrawn by a 删除 on 2025-12-01; 302 under an open objection; 303 upheld (维持)
  after the 2025 National Day holiday; 305 a natural person's penalty, objected to by that person;
- designation 401 (严重, 淄博华联化工) withdrawn by a 删除; 402 (严重, 鑫达) under an open objection;
- licence L-1 under an objection open since 2026-02-02: overdue;
- an objection naming a penalty that does not exist (399), and one accepted after the as-of date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from .helpers import (
    COMPANY_A, COMPANY_B, CREDIT_LIST_HEADER, JINAN_SCJGJ, LIST_LEGAL_REP_ID, OBJECTION_HEADER,
    PENALTY_SEVERITY_HEADER, PERSON_ID, REGISTRY_HEADER, ZIBO_HBJ, credit_list_row, license_record, objection_row,
    penalty_case, query, registry_rows, run, write_csv, write_records,
)

AS_OF = "2026-03-31"
PENALTY, LICENSE, LIST = "行政处罚", "行政许可", "失信名单"


def doc(n: int) -> str:
    return f"济市监罚〔2025〕{n}号"


def designation(n: int) -> str:
    return f"淄环信〔2025〕{n}号"


LICENSE_DOC = "济市监许〔2025〕1号"

PENALTIES = [
    penalty_case(doc(301), "2025-10-09", categories="责令停产停业;罚款", uscc=COMPANY_B, name="淄博华联化工有限公司"),
    penalty_case(doc(302), "2025-09-01"),
    penalty_case(doc(303), "2025-09-01"),
    penalty_case(doc(305), "2025-09-01", uscc="", subject_type="自然人", person_id=PERSON_ID, name="张三丰"),
]

DESIGNATIONS = [
    credit_list_row(designation(401), "2025-10-09", uscc=COMPANY_B, name="淄博华联化工有限公司",
                    legal_rep="孙丽娟", legal_rep_id=LIST_LEGAL_REP_ID),
    credit_list_row(designation(402), "2025-10-09"),
]

OBJECTIONS = [
    objection_row("YY2025001", PENALTY, doc(301), JINAN_SCJGJ, "2025-11-17", outcome="删除", resolved="2025-12-01",
                  uscc=COMPANY_B, name="淄博华联化工有限公司"),
    objection_row("YY2026010", PENALTY, doc(302), JINAN_SCJGJ, "2026-03-20"),
    # accepted on Monday 2025-09-29, resolved on Monday 2025-10-13: 9-30, 10-09, 10-10, 10-11 (调休上班)
    # and 10-13 are working days; 10-01 … 10-08 are the National Day holiday
    objection_row("YY2025002", PENALTY, doc(303), JINAN_SCJGJ, "2025-09-29", outcome="维持", resolved="2025-10-13"),
    objection_row("YY2025003", PENALTY, doc(305), JINAN_SCJGJ, "2025-10-20", outcome="更正", resolved="2025-10-24",
                  subject_type="自然人", name="张三丰", person_id=PERSON_ID),
    objection_row("YY2025004", LIST, designation(401), ZIBO_HBJ, "2025-11-03", outcome="删除", resolved="2025-11-14",
                  uscc=COMPANY_B, name="淄博华联化工有限公司"),
    objection_row("YY2026011", LIST, designation(402), ZIBO_HBJ, "2026-03-25"),
    objection_row("YY2026001", LICENSE, LICENSE_DOC, JINAN_SCJGJ, "2026-02-02"),
    objection_row("YY2026002", PENALTY, doc(399), JINAN_SCJGJ, "2026-03-02", outcome="维持", resolved="2026-03-06"),
    objection_row("YY2026020", PENALTY, doc(302), JINAN_SCJGJ, "2026-04-07"),  # after the as-of date
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    write_csv(raw / "registry" / "2025-07.csv", REGISTRY_HEADER, registry_rows())
    write_csv(raw / "penalty" / "2025-12_jinan.csv", PENALTY_SEVERITY_HEADER, PENALTIES)
    write_csv(raw / "credit_list" / "2025-12_zibo.csv", CREDIT_LIST_HEADER, DESIGNATIONS)
    write_records(raw / "license" / "2025-12_jinan.csv",
                  [license_record(LICENSE_DOC, decided="2025-12-01", submitted="2025-12-02 09:00")])
    write_csv(raw / "objection" / "2026-03_jinan.csv", OBJECTION_HEADER, OBJECTIONS)
    with pytest.MonkeyPatch.context() as monkeypatch:
        return run(raw, tmp_path_factory.mktemp("wh"), monkeypatch, as_of=AS_OF)


@pytest.fixture(scope="module")
def wh(built) -> Path:
    return built[1]


def by_key(warehouse: Path, sql: str) -> dict:
    return {r[0]: (r[1] if len(r) == 2 else r[1:]) for r in query(warehouse, sql)}


def test_the_run_passes_every_gate_with_the_objections_landed(built):
    report, wh = built
    assert report.ok, (report.steps_failed, report.checks_failed)
    # the unmatched and the overdue objections are reported (WARN), they do not stop the line
    warned = dict(report.checks_warned)["marts/fct_objections:gx_fct_objections"]
    assert "unexpected_rows_expectation: 1 rows" in warned, warned
    assert query(wh, "select status, rows_read, rows_landed from audit.extract_files where kind = 'objection'") == [
        ("loaded", 9, 9)]


def test_one_row_per_objection_accepted_by_the_as_of_date(wh):
    numbers = {r[0] for r in query(wh, "select objection_no from marts.fct_objections")}
    assert numbers == {"YY2025001", "YY2026010", "YY2025002", "YY2025003", "YY2025004", "YY2026011", "YY2026001",
                       "YY2026002"}


def test_handling_time_counts_working_days_across_the_national_day_holiday(wh):
    assert query(wh, """select status, outcome, resolved_date, working_days_taken, is_overdue
                        from marts.fct_objections where objection_no = 'YY2025002'""") == [
        ("resolved", "维持", date(2025, 10, 13), 5, False)]


def test_an_open_objection_counts_to_the_as_of_date_and_is_overdue_past_the_deadline(wh):
    rows = by_key(wh, """select objection_no, status, outcome, working_days_taken, is_overdue
                         from marts.fct_objections where status = 'open'""")
    # 2026-02-02 → 2026-03-31: the Spring Festival (02-15 … 02-23) is not counted; over 10 working days
    assert rows["YY2026001"][:2] == ("open", None) and rows["YY2026001"][2] > 10 and rows["YY2026001"][3]
    # 2026-03-20 (Friday) → 2026-03-31 (Tuesday): 03-23 … 03-27, 03-30, 03-31
    assert rows["YY2026010"] == ("open", None, 7, False)


def test_objections_are_matched_to_the_record_they_name(wh):
    matched = by_key(wh, "select objection_no, target_kind, matched from marts.fct_objections")
    assert matched["YY2026002"] == ("penalty", False)  # no penalty 399
    assert matched["YY2026001"] == ("license", True)
    assert matched["YY2025004"] == ("credit_list", True)
    assert all(m for n, (_, m) in matched.items() if n != "YY2026002")


def test_a_deletion_withdraws_the_penalty_from_public(wh):
    status = by_key(wh, "select doc_no, publication_status, under_objection from marts.fct_penalty_publication")
    assert status[doc(301)] == ("withdrawn", False)
    assert status[doc(302)] == ("publishing", True)
    assert status[doc(303)] == ("publishing", False)
    public = by_key(wh, "select doc_no, under_objection from public.penalty_disclosures")
    assert public == {doc(302): True, doc(303): False}


def test_a_deletion_withdraws_the_designation_from_the_lists_the_tier_and_the_sanctions(wh):
    lists = by_key(wh, "select designation_doc_no, status, under_objection from marts.fct_credit_list_membership")
    assert designation(401) not in lists
    assert lists[designation(402)] == ("active", True)
    for table in ("mart_sanction_persons", "mart_joint_sanctions", "fct_credit_tier_evidence"):
        column = "designation_doc_no" if table != "fct_credit_tier_evidence" else "record_label"
        docs = {r[0] for r in query(wh, f"select {column} from marts.{table}")}
        assert designation(401) not in docs and doc(301) not in docs, table
    tiers = by_key(wh, "select entity_code, credit_tier from marts.mart_entity_credit_profile")
    assert tiers[COMPANY_B] == "A" and tiers[COMPANY_A] == "D"


def test_the_entity_marts_mark_records_under_objection(wh):
    assert by_key(wh, "select doc_no, under_objection from marts.mart_entity_licenses") == {LICENSE_DOC: True}
    penalties = by_key(wh, "select doc_no, under_objection from marts.mart_entity_penalties")
    assert penalties[doc(302)] is True and penalties[doc(303)] is False
    designations = by_key(wh, """select designation_doc_no, under_objection
                                 from marts.mart_entity_credit_list_designations""")
    assert designations[designation(402)] is True


def test_timeliness_keeps_a_withdrawn_record(wh):
    docs = {r[0] for r in query(wh, "select doc_no from marts.fct_disclosure_timeliness")}
    assert doc(301) in docs


def test_an_objectors_identity_number_is_never_stored_in_plaintext(wh):
    rows = query(wh, """select entity_code, subject_name, person_name_masked from marts.fct_objections
                        where objection_no = 'YY2025003'""")
    assert rows == [(None, None, "张**")]
    tables = query(wh, """select table_schema, table_name, column_name from information_schema.columns
                          where data_type = 'VARCHAR' and table_schema <> 'reference'""")
    assert {"objection", "stg_extracts__objections", "fct_objections"} <= {t for _, t, _ in tables}
    for schema, table, column in tables:
        hits = query(wh, f'select count(*) from {schema}."{table}" where contains("{column}", \'{PERSON_ID}\')')
        assert hits == [(0,)], (schema, table, column)
        if schema in ("marts", "public"):  # names of natural persons only masked from the marts on
            assert query(wh, f'select count(*) from {schema}."{table}" where contains("{column}", \'张三丰\')') == [
                (0,)], (schema, table, column)
