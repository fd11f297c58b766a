"""What the credit website publishes (rules.md "Public disclosure (信用信息公示)"), on readable
hand-made cases: licences (the other half of 双公示) and the red and black lists beside the
penalties; a record under objection marked, one withdrawn by an objection (删除) left out, an
honour designation held back while its entity is sanctioned; never a natural person however their
type is spelt (自然人, or 个人: outside the code list), never an identity number or a masked person
field — checked on every column of every table of the public schema, and the check shown to catch
a person's licence published by mistake."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from creditwh.codes import make_ric, make_uscc

from .helpers import (
    COMPANY_A, COMPANY_B, COOPERATIVE_N, CREDIT_LIST_HEADER, JINAN_SCJGJ, PENALTY_SEVERITY_HEADER, PERSON_ID, SHOP_D,
    ZIBO_HBJ,
    credit_list_row, gate_failures, license_record, penalty_case, person_data_in_public, query, registry_rows,
    REGISTRY_HEADER, run, write_csv, write_records,
)

AS_OF = "2026-03-31"
TYPED_AS_CODE_ID = make_ric("370303", date(1986, 11, 2), 77)  # a 个人's number typed as its 统一社会信用代码
CONTENT_ID = make_ric("370102", date(1990, 1, 15), 35)  # inside 许可内容
REASON_ID = make_ric("370303", date(1968, 6, 6), 19)  # inside 列入事由


def lic(n: int) -> str:
    return f"济市监许〔2025〕{n}号"


def pen(n: int) -> str:
    return f"济市监罚〔2025〕{n}号"


def des(n: int) -> str:
    return f"淄环信〔2025〕{n}号"


def licence(n: int, **overrides: str) -> dict[str, str]:
    return license_record(lic(n), decided="2025-06-02", submitted="2025-06-03 09:00", **overrides)


PERSON = {"行政相对人名称": "张三丰", "行政相对人类别": "自然人", "统一社会信用代码": "", "法定代表人": "",
          "证件类型": "身份证", "证件号码": PERSON_ID}
TYPED_PERSONAL = {"行政相对人名称": "李四", "行政相对人类别": "个人", "统一社会信用代码": TYPED_AS_CODE_ID, "法定代表人": ""}

LICENCES = [
    licence(1),  # open-ended (长期), an organisation: published
    licence(2, 有效期至="2026-03-30"),  # expired the day before the as-of date
    licence(3, 行政相对人名称="历下区老王面馆", 行政相对人类别="个体工商户", 统一社会信用代码=SHOP_D,
            有效期至="2027-06-30"),  # a 个体工商户 in force: published like an organisation
    licence(4, **PERSON),  # a natural person: never
    licence(5, **TYPED_PERSONAL),  # typed 个人, outside the code list: never
    licence(6, 当前状态="无效"),
    licence(7, 行政相对人名称="淄博华联化工有限公司", 统一社会信用代码=COMPANY_B,
            许可内容=f"危险化学品经营(经办人身份证{CONTENT_ID})"),  # published, the number redacted
    license_record(lic(8), decided="2026-04-02", submitted="2026-04-03 09:00"),  # decided after the as-of date
    licence(9),  # an objection about it is open: published, marked under_objection
    licence(10),  # an objection about it was resolved 删除: withdrawn
]

PENALTIES = [
    penalty_case(pen(201), "2025-11-03"),  # 一般, an organisation: published
    # typed 个人 (淄川市监罚〔2025〕13号 in the samples): not an organisation, never published
    penalty_case(pen(202), "2025-11-03", subject_type="个人", uscc="", name="王五"),
    penalty_case(pen(203), "2025-11-03", subject_type="自然人", uscc="", person_id=PERSON_ID, name="张三丰"),
]

ZIBO = ("淄博市生态环境局", ZIBO_HBJ)
serious = credit_list_row(des(1), "2025-10-09", uscc=COMPANY_B, name="淄博华联化工有限公司", valid_until="2028-10-08")
serious[CREDIT_LIST_HEADER.index("列入事由")] = f"法定代表人(身份证{REASON_ID})拒不履行"
DESIGNATIONS = [
    serious,  # active 严重失信主体名单: published, the number in 列入事由 redacted
    credit_list_row(des(2), "2025-10-15", list_type="守信激励名单", uscc=COOPERATIVE_N, name="薛城区绿源农民专业合作社",
                    valid_until="2027-10-14"),  # an honour designation: published
    credit_list_row(des(3), "2025-10-10", list_type="重点关注名单", valid_until="2027-10-09"),  # for supervisors only
    credit_list_row(des(4), "2025-10-20", subject_type="自然人", name="张三丰", person_id=PERSON_ID),
    credit_list_row(des(5), "2025-10-20", subject_type="个人", name="赵六", uscc=TYPED_AS_CODE_ID),
    credit_list_row(des(6), "2024-10-15", list_type="守信激励名单", valid_until="2026-01-31"),  # expired
    # an honour of COMPANY_A while its 一般 penalty (and its 重点关注 designation) stand: not published
    credit_list_row(des(7), "2025-12-01", list_type="守信激励名单", valid_until="2027-11-30"),
    # a 严重 designation withdrawn by an objection resolved 删除
    credit_list_row(des(8), "2025-10-09", uscc=SHOP_D, subject_type="个体工商户", name="历下区老王面馆"),
]

JINAN_XYB = ("济南市社会信用体系建设领导小组办公室", make_uscc("1", "1", "370100", "00712345"))


def objection(n: int, category: str, doc_no: str, authority: str, accepted: str, *, outcome: str = "",
              resolved: str = "", name: str = "济南鑫达建材有限公司", uscc: str = COMPANY_A) -> dict[str, str]:
    return {"数据来源单位": JINAN_XYB[0], "数据来源单位统一社会信用代码": JINAN_XYB[1], "报送时间": f"{accepted} 10:00",
            "异议编号": f"YY2026{n:04d}", "异议主体名称": name, "主体类别": "法人及非法人组织", "统一社会信用代码": uscc,
            "异议信息类别": category, "关联文书号": doc_no, "关联机关统一社会信用代码": authority,
            "异议理由": "信息有误", "受理日期": accepted, "处理结果": outcome, "办结日期": resolved,
            "处理单位": JINAN_XYB[0], "处理单位统一社会信用代码": JINAN_XYB[1]}


OBJECTIONS = [
    objection(1, "行政许可", lic(9), JINAN_SCJGJ, "2026-03-20"),  # open on the as-of date
    objection(2, "行政许可", lic(10), JINAN_SCJGJ, "2026-02-02", outcome="删除", resolved="2026-02-10"),
    objection(3, "失信名单", des(1), ZIBO_HBJ, "2026-03-25", name="淄博华联化工有限公司", uscc=COMPANY_B),  # open
    objection(4, "失信名单", des(8), ZIBO_HBJ, "2026-02-02", outcome="删除", resolved="2026-02-12",
              name="历下区老王面馆", uscc=SHOP_D),
]

LICENSE_COLUMNS = ["doc_no", "source_dept_code", "authority_name", "authority_code", "entity_code", "entity_name",
                   "license_category", "doc_name", "license_content", "decision_date", "valid_from", "valid_until",
                   "under_objection"]
LIST_COLUMNS = ["list_type", "entity_code", "entity_name", "designating_dept_code", "designating_dept_name",
                "designation_doc_no", "reason", "basis", "designated_date", "valid_until", "under_objection"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    write_csv(raw / "registry" / "2025-07.csv", REGISTRY_HEADER, registry_rows())
    write_records(raw / "license" / "2025-06_jinan.csv", LICENCES)
    write_csv(raw / "penalty" / "2025-11_jinan.csv", PENALTY_SEVERITY_HEADER, PENALTIES)
    write_csv(raw / "credit_list" / "2025-10_zibo.csv", CREDIT_LIST_HEADER, DESIGNATIONS)
    write_records(raw / "objection" / "2026-03_jinan.csv", OBJECTIONS)
    with pytest.MonkeyPatch.context() as monkeypatch:
        return run(raw, tmp_path_factory.mktemp("wh"), monkeypatch, as_of=AS_OF)


@pytest.fixture(scope="module")
def wh(built) -> Path:
    return built[1]


def statuses(warehouse: Path, table: str, doc_no: str = "doc_no") -> dict[str, str]:
    return dict(query(warehouse, f"select {doc_no}, publication_status from marts.{table}"))


def test_the_run_passes_every_gate_of_the_public_tables(built):
    report, _ = built
    assert report.ok, (report.steps_failed, report.checks_failed)
    for table in ("license_disclosures", "credit_list_disclosures", "penalty_disclosures"):
        assert f"public/{table}:gx_{table}" in report.checks_passed


def test_licences_in_force_of_organisations_are_published_and_no_other(wh):
    assert statuses(wh, "fct_license_publication") == {
        lic(1): "publishing", lic(2): "expired", lic(3): "publishing", lic(4): "not_published",
        lic(5): "not_published", lic(6): "inactive", lic(7): "publishing", lic(8): "not_yet_decided",
        lic(9): "publishing", lic(10): "withdrawn"}
    published = query(wh, """select doc_no, entity_code, entity_name, valid_until, under_objection
                             from public.license_disclosures order by 1""")
    assert published == [(lic(1), COMPANY_A, "济南鑫达建材有限公司", None, False),
                         (lic(3), SHOP_D, "历下区老王面馆", date(2027, 6, 30), False),
                         (lic(7), COMPANY_B, "淄博华联化工有限公司", None, False),
                         (lic(9), COMPANY_A, "济南鑫达建材有限公司", None, True)]


def test_a_number_inside_a_published_licence_or_designation_is_redacted(wh):
    (content,), = query(wh, f"select license_content from public.license_disclosures where doc_no = '{lic(7)}'")
    assert content == "危险化学品经营(经办人身份证" + "*" * 18 + ")"
    (reason,), = query(wh, f"select reason from public.credit_list_disclosures where designation_doc_no = '{des(1)}'")
    assert reason == "法定代表人(身份证" + "*" * 18 + ")拒不履行"


def test_red_and_black_lists_are_published_the_watch_list_persons_and_conflicts_are_not(wh):
    assert statuses(wh, "fct_credit_list_publication", "designation_doc_no") == {
        des(1): "publishing", des(2): "publishing", des(3): "list_not_published", des(4): "not_published",
        des(5): "not_published", des(6): "inactive", des(7): "in_conflict"}  # des(8) withdrawn: not in force
    published = query(wh, """select designation_doc_no, list_type, entity_code, entity_name, designating_dept_code,
                                    designating_dept_name, basis, under_objection
                             from public.credit_list_disclosures order by 1""")
    basis = "《山东省企业环境信用评价办法》第十五条"
    assert published == [
        (des(1), "严重失信主体名单", COMPANY_B, "淄博华联化工有限公司", ZIBO_HBJ, ZIBO[0], basis, True),
        (des(2), "守信激励名单", COOPERATIVE_N, "薛城区绿源农民专业合作社", ZIBO_HBJ, ZIBO[0], basis, False)]


def test_a_penalty_typed_outside_the_code_list_is_not_published(wh):
    assert statuses(wh, "fct_penalty_publication") == {
        pen(201): "publishing", pen(202): "not_published", pen(203): "not_published"}
    assert query(wh, "select doc_no from public.penalty_disclosures") == [(pen(201),)]


def test_the_public_tables_have_the_contract_columns_only(wh):
    def columns(table: str) -> list[str]:
        return [c for (c,) in query(wh, f"""select column_name from duckdb_columns()
                                          where schema_name = 'public' and table_name = '{table}' order by column_index""")]

    assert columns("license_disclosures") == LICENSE_COLUMNS
    assert columns("credit_list_disclosures") == LIST_COLUMNS


def test_the_publication_holds_the_public_tables_and_nothing_else_of_public(wh):
    manifest = json.loads((wh.parent / "published" / "published.json").read_text(encoding="utf-8"))
    public = {name: rows for name, rows in manifest["tables"].items() if name.startswith("public.")}
    assert public == {"public.penalty_disclosures": 1, "public.license_disclosures": 4,
                      "public.credit_list_disclosures": 2}
    assert {schema for name in manifest["tables"] for schema in [name.split(".")[0]]} == {"marts", "public"}


# --- nothing about a person, on every column of every public table ----------------------------


def test_no_person_in_any_column_of_any_public_table(wh):
    assert person_data_in_public(wh) == []


@pytest.mark.parametrize("mistake, why", [
    # a natural person's licence published, even without a name
    (f"insert into public.license_disclosures (doc_no, source_dept_code) values ('{lic(4)}', 'X')", "a person's record"),
    # the 个人-typed subject's
    ("insert into public.license_disclosures (doc_no, entity_name) values ('X', '李四')", "a person's name"),
    ("update public.credit_list_disclosures set entity_name = '张**'", "masked name"),
    (f"update public.credit_list_disclosures set basis = '{PERSON_ID[:6]}********{PERSON_ID[-4:]}'", "identity number"),
    (f"update public.penalty_disclosures set penalty_content = '由{PERSON_ID}缴纳'", "identity number"),
])
def test_the_scan_finds_a_person_published_by_mistake(wh, tmp_path, mistake, why):
    copy = tmp_path / "mistaken.duckdb"
    shutil.copyfile(wh, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(mistake)
    assert why in {found[3] for found in person_data_in_public(copy)}


def test_the_gates_refuse_a_person_and_the_watch_list(wh):
    failed = gate_failures(wh, "public.license_disclosures", f"""
        insert into public.license_disclosures (doc_no, source_dept_code, entity_code, decision_date)
        select doc_no, source_dept_code, '{COMPANY_A}', decision_date
        from marts.fct_license_publication where doc_no = '{lic(5)}'""")
    assert any("never a natural person" in d for d in failed)
    failed = gate_failures(wh, "public.credit_list_disclosures", """
        insert into public.credit_list_disclosures (list_type, designating_dept_code, designation_doc_no)
        select list_type, designating_dept_code, designation_doc_no
        from marts.fct_credit_list_publication where list_type = '重点关注名单'""")
    assert any("never 重点关注名单" in d for d in failed)
    failed = gate_failures(wh, "public.credit_list_disclosures",
                           "update public.credit_list_disclosures set entity_name = '赵*'")
    assert any("no masked person name in any column" in d for d in failed)


def test_the_gate_refuses_a_licence_published_twice(wh):
    """The compound key's uniqueness (grouped by the key: quality/gx_duckdb.py) names the duplicate."""
    failed = gate_failures(wh, "public.license_disclosures", """
        insert into public.license_disclosures
        select * from public.license_disclosures order by doc_no limit 1""")
    assert failed == ["one row per licence identity"]
