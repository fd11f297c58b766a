"""The whole graph on small hand-made extracts: landing, keying, masking, gates."""

from __future__ import annotations

import re

import pytest

from .helpers import (
    COMPANY_A, COMPANY_B, COOPERATIVE_N, LEGAL_REP_ID, PENALTY_HEADER, PERSON_ID, REGISTRY_HEADER, penalty_row, query,
    registry_rows, run, write_csv,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    write_csv(raw / "registry" / "2025-07.csv", REGISTRY_HEADER, registry_rows())
    rows = [
        penalty_row("济市监罚〔2025〕1号"),
        # a correction of 1号, submitted later: latest content, earliest submission
        penalty_row("济市监罚〔2025〕1号", submitted="2025-10-20 10:00", facts="超范围经营（更正）"),
        # keyed by its legacy organisation code (USCC positions 9-17), no USCC delivered
        penalty_row("济市监罚〔2025〕2号", uscc="", org_code=COMPANY_B[8:17]),
        # a natural person: never keyed, identity number never in plaintext
        penalty_row("济市监罚〔2025〕3号", uscc="", subject_type="自然人", person_id=PERSON_ID, name="张三丰"),
        # no document number: no identity -> rejected with its line
        penalty_row(""),
        # full-width digits and lower case in the USCC, a Chinese date
        penalty_row("济市监罚〔2025〕4号", uscc=COMPANY_A.translate(str.maketrans("0123456789", "０１２３４５６７８９")).lower(),
                    decided="2025年9月26日"),
        # an unparseable decision date is a defect of the row, not a crash
        penalty_row("济市监罚〔2025〕5号", decided="2025-13-45", facts="多行\n事实, 含逗号 \"引号\""),
    ]
    # the rest of the batch is clean: gates stop floods of defects, not the odd one
    rows += [penalty_row(f"济市监罚〔2025〕{i}号") for i in range(11, 17)]
    write_csv(raw / "penalty" / "2025-10_jinan.csv", PENALTY_HEADER, rows)
    write_csv(raw / "penalty" / "2025-10_jinan_gbk.csv", PENALTY_HEADER, [penalty_row("济市监罚〔2025〕6号")],
              encoding="gb18030")
    (raw / "penalty" / "2025-10_jinan_again.csv").write_bytes((raw / "penalty" / "2025-10_jinan.csv").read_bytes())
    write_csv(raw / "penalty" / "2025-11_missing_column.csv", PENALTY_HEADER[:-3], [penalty_row("x")[:-3]])
    (raw / "penalty" / "2025-12_garbage.csv").write_bytes(b"\xff\xfe\x00\x81\x30garbage\xff")
    write_csv(raw / "sanctions" / "x.csv", ["a"], [["1"]])
    ragged = raw / "penalty" / "2025-12_ragged.csv"
    write_csv(ragged, PENALTY_HEADER, [penalty_row("济市监罚〔2025〕7号")])
    with ragged.open("a", encoding="utf-8") as fh:
        fh.write(f"too,few,fields,{LEGAL_REP_ID}\n")
    report, warehouse = run(raw, tmp_path_factory.mktemp("wh"), pytest.MonkeyPatch())
    return report, warehouse


def test_run_succeeds_with_every_gate_passing(built):
    report, _ = built
    assert report.ok, (report.steps_failed, report.checks_failed)
    assert report.checks_passed


def test_every_file_is_accounted_for(built):
    _, wh = built
    files = {r[0]: r[1:] for r in query(wh, "select file_path, status, reason from audit.extract_files")}
    assert files["penalty/2025-10_jinan.csv"][0] == "loaded"
    assert files["penalty/2025-10_jinan_gbk.csv"][0] == "loaded"
    assert files["penalty/2025-10_jinan_again.csv"][0] == "duplicate"
    assert files["penalty/2025-11_missing_column.csv"][0] == "rejected"
    assert "处罚机关" in files["penalty/2025-11_missing_column.csv"][1]
    assert files["penalty/2025-12_garbage.csv"] == ("rejected", files["penalty/2025-12_garbage.csv"][1])
    assert files["penalty/2025-12_garbage.csv"][1].startswith("UNDECODABLE")
    assert files["sanctions/x.csv"][1].startswith("UNKNOWN_KIND")


def test_rows_reconcile_for_every_loaded_file(built):
    _, wh = built
    bad = query(wh, """select file_path from audit.extract_files
                       where status = 'loaded' and rows_read <> rows_landed + rows_rejected""")
    assert bad == []
    jinan = query(wh, "select rows_read, rows_landed, rows_rejected from audit.extract_files "
                      "where file_path = 'penalty/2025-10_jinan.csv'")
    assert jinan == [(13, 12, 1)]


def test_rejected_rows_carry_physical_line_reason_and_masked_text(built):
    _, wh = built
    rejected = query(wh, "select file_path, line_number, reason, raw_text from audit.rejected_rows order by 1, 2")
    by_file = {(r[0], r[1]): r for r in rejected}
    # header = line 1; rows 1-4 are one line each, so the row without a document number is line 6
    assert by_file[("penalty/2025-10_jinan.csv", 6)][2].startswith("MISSING_IDENTITY")
    ragged = by_file[("penalty/2025-12_ragged.csv", 3)]
    assert ragged[2].startswith("FIELD_COUNT")
    assert LEGAL_REP_ID not in ragged[3] and LEGAL_REP_ID[:6] in ragged[3]


def test_corrections_keep_latest_content_and_earliest_submission(built):
    _, wh = built
    row = query(wh, """select violation_facts, first_submitted_date, delivery_count, correction_count
                       from intermediate.int_penalties__current where doc_no = '济市监罚〔2025〕1号'""")
    assert len(row) == 1
    facts, first_date, deliveries, corrections = row[0]
    assert facts == "超范围经营(更正)"  # NFKC: full-width parentheses became half-width
    assert str(first_date) == "2025-10-10"
    # the duplicate file is not loaded again, so the two deliveries are the original and its correction
    assert (deliveries, corrections) == (2, 1)


def test_keying_by_uscc_legacy_code_and_never_for_persons(built):
    _, wh = built
    keyed = dict(query(wh, "select doc_no, entity_code from intermediate.int_penalties__current"))
    assert keyed["济市监罚〔2025〕1号"] == COMPANY_A
    assert keyed["济市监罚〔2025〕2号"] == COMPANY_B
    assert keyed["济市监罚〔2025〕3号"] is None
    assert keyed["济市监罚〔2025〕4号"] == COMPANY_A


def test_dates_parse_and_bad_dates_are_flagged(built):
    _, wh = built
    rows = dict(query(wh, "select doc_no, decision_date from staging.stg_extracts__penalties"))
    assert str(rows["济市监罚〔2025〕4号"]) == "2025-09-26"
    assert rows["济市监罚〔2025〕5号"] is None
    defects = query(wh, "select defects from staging.stg_extracts__penalties where doc_no = '济市监罚〔2025〕5号'")
    assert "UNPARSEABLE_DATE:decision_date" in defects[0][0]


def test_no_identity_number_in_plaintext_anywhere(built):
    _, wh = built
    tables = query(wh, """select table_schema, table_name, column_name from information_schema.columns
                          where data_type = 'VARCHAR' or data_type like '%[]' or data_type = 'JSON'""")
    pattern = re.compile(r"\d{17}[\dX]")
    for schema, table, column in tables:
        values = query(wh, f'select distinct cast("{column}" as varchar) from "{schema}"."{table}"')
        for (value,) in values:
            assert not (value and (PERSON_ID in value or LEGAL_REP_ID in value)), (schema, table, column)
            assert not (value and pattern.search(value) and schema not in ("reference",)
                        and ("证件" in column or "person" in column or "legal_rep" in column)), (schema, table, column)
    masked = query(wh, "select person_id_masked from staging.stg_extracts__penalties where doc_no = '济市监罚〔2025〕3号'")
    assert masked == [(PERSON_ID[:6] + "*" * 8 + PERSON_ID[-4:],)]


def test_uscc_check_in_sql_accepts_authorities_a_n_y_and_rejects_bad_check_chars(built):
    _, wh = built
    defects = dict(query(wh, "select entity_uscc, defects from staging.stg_extracts__registry_entities"))
    assert defects[COOPERATIVE_N] == []  # 'N' authority: python-stdnum would reject it
    bad = query(wh, "select defects from staging.stg_extracts__penalties where doc_no = '济市监罚〔2025〕3号'")
    assert "INVALID:subject_uscc" not in bad[0][0]  # natural person: no USCC expected
