"""Small builders for hand-made extracts in end-to-end tests."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date
from pathlib import Path

import duckdb

from creditwh.codes import make_ric, make_uscc
from creditwh.pipeline import RunReport, materialize_all
from creditwh.defs.quality.checks import validate_gates
from creditwh.landing.pii import contains_person_data
from creditwh.rules import dbt_vars
from creditwh.warehouse.settings import Settings

JINAN_SCJGJ = make_uscc("1", "1", "370100", "00412345")  # 济南市市场监督管理局
ZIBO_HBJ = make_uscc("1", "1", "370300", "00498765")  # 淄博市生态环境局
COMPANY_A = make_uscc("9", "1", "370102", "MA3C1234")
COMPANY_B = make_uscc("9", "1", "370303", "MA9F5678")
COOPERATIVE_N = make_uscc("N", "2", "370403", "MA7K0001")
LEGAL_REP_ID = make_ric("370102", date(1980, 5, 17), 123)
PERSON_ID = make_ric("370303", date(1992, 2, 29), 456)

PENALTY_HEADER = [
    "数据来源单位", "数据来源单位统一社会信用代码", "报送时间", "行政相对人名称", "行政相对人类别",
    "统一社会信用代码", "组织机构代码", "法定代表人", "法定代表人证件号码", "证件类型", "证件号码",
    "行政处罚决定书文号", "违法行为类型", "违法事实", "处罚依据", "处罚类别", "处罚内容",
    "罚款金额（万元）", "处罚决定日期", "处罚机关", "处罚机关统一社会信用代码",
]
REGISTRY_HEADER = [
    "数据来源单位", "数据来源单位统一社会信用代码", "报送时间", "统一社会信用代码", "主体名称", "主体类型",
    "法定代表人", "法定代表人证件号码", "成立日期", "登记状态",
]


def penalty_row(doc_no: str, *, uscc=COMPANY_A, org_code="", subject_type="法人及非法人组织",
                submitted="2025-10-10 09:30", decided="2025-09-26", person_id="", name="济南鑫达建材有限公司",
                facts="超范围经营") -> list[str]:
    return [
        "济南市市场监督管理局", JINAN_SCJGJ, submitted, name, subject_type, uscc, org_code,
        "" if subject_type == "自然人" else "王建国", "" if subject_type == "自然人" else LEGAL_REP_ID,
        "身份证" if person_id else "", person_id, doc_no, "超范围经营", facts, "《市场主体登记管理条例》第四十六条",
        "罚款", "罚款0.5万元", "0.5", decided, "济南市市场监督管理局", JINAN_SCJGJ,
    ]


def registry_rows() -> list[list[str]]:
    return [
        ["济南市市场监督管理局", JINAN_SCJGJ, "2025-07-01", COMPANY_A, "济南鑫达建材有限公司", "企业", "王建国",
         LEGAL_REP_ID, "2015-03-02", "存续"],
        ["淄博市市场监督管理局", ZIBO_HBJ, "2025-07-01", COMPANY_B, "淄博华联化工有限公司", "企业", "李明",
         "", "2010-11-20", "在业"],
        ["枣庄市市场监督管理局", JINAN_SCJGJ, "2025-07-01", COOPERATIVE_N, "薛城区绿源农民专业合作社",
         "农民专业合作社", "赵强", "", "2019-06-01", "存续"],
    ]


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(raw_dir: Path, tmp_path: Path, monkeypatch, as_of: str = "2026-03-31") -> tuple[RunReport, Path]:
    warehouse = tmp_path / "wh" / "credit.duckdb"
    monkeypatch.setenv("CREDIT_RAW_DIR", str(raw_dir))
    monkeypatch.setenv("CREDIT_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("CREDIT_AS_OF", as_of)
    monkeypatch.setenv("CREDIT_PII_KEY", "test-secret-key")
    for home in ("DAGSTER_HOME", "CREDIT_DAGSTER_HOME"):  # the run records beside its warehouse
        monkeypatch.delenv(home, raising=False)
    report = materialize_all(Settings.from_env(), log_level="ERROR")
    return report, warehouse


def query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def gate_failures(warehouse: Path, table: str, mutate: str) -> list[str]:
    """Descriptions of the blocking failures of <table>'s suite after applying `mutate` to a copy,
    checked as the run's gate checks it: a row-local check reads only the rows the run's gates have
    not seen pass (quality/seen_rows)."""
    schema, name = table.split(".")
    copy = warehouse.parent / f"gate-{name}.duckdb"
    shutil.copyfile(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(mutate)
    outcome = validate_gates(copy, schema, name, seen_rows_dir=warehouse.parent / "quality" / "seen_rows")
    return [o.description for o in outcome.failed_blocking()]


def write_records(path: Path, records: list[dict[str, str]]) -> Path:
    """A CSV whose header is every column the records name, in first-seen order."""
    header = list(dict.fromkeys(column for record in records for column in record))
    return write_csv(path, header, [[record.get(column, "") for column in header] for record in records])


def department(name: str, region: str, body: str) -> tuple[str, str]:
    """(数据来源单位, its USCC) for a government department (authority 1, category 1)."""
    return name, make_uscc("1", "1", region, body)


JINAN_SCJGJ_DEPT = ("济南市市场监督管理局", JINAN_SCJGJ)


def license_record(doc_no: str, *, decided: str, submitted: str, dept: tuple[str, str] = JINAN_SCJGJ_DEPT,
                   **overrides: str) -> dict[str, str]:
    record = {
        "数据来源单位": dept[0], "数据来源单位统一社会信用代码": dept[1], "报送时间": submitted,
        "行政相对人名称": "济南鑫达建材有限公司", "行政相对人类别": "法人及非法人组织", "统一社会信用代码": COMPANY_A,
        "法定代表人": "王建国", "行政许可决定文书名称": "准予许可决定书", "行政许可决定文书号": doc_no,
        "许可类别": "普通", "许可内容": "食品经营", "许可决定日期": decided, "有效期自": decided, "有效期至": "长期",
        "许可机关": dept[0], "许可机关统一社会信用代码": dept[1],
    }
    return {**record, **overrides}


def penalty_record(doc_no: str, *, decided: str, submitted: str, dept: tuple[str, str] = JINAN_SCJGJ_DEPT,
                   **overrides: str) -> dict[str, str]:
    record = dict(zip(PENALTY_HEADER, penalty_row(doc_no, decided=decided, submitted=submitted)))
    record.update({"数据来源单位": dept[0], "数据来源单位统一社会信用代码": dept[1],
                   "处罚机关": dept[0], "处罚机关统一社会信用代码": dept[1]})
    return {**record, **overrides}


# --- sanction lists, penalty publication and credit repair (issue 4) ---

ZIBO_COURT = make_uscc("1", "1", "370300", "00512345")  # 淄博市中级人民法院
JINAN_FGW = make_uscc("1", "1", "370100", "00612345")  # 济南市发展和改革委员会
COMPANY_C = make_uscc("9", "1", "370104", "MA3C7777")  # an organisation not in the registry
SHOP_D = make_uscc("9", "2", "370102", "MA3C5555")  # a 个体工商户
LIST_LEGAL_REP_ID = make_ric("370303", date(1975, 3, 8), 321)

PENALTY_SEVERITY_HEADER = PENALTY_HEADER + ["失信程度", "记录状态"]
CREDIT_LIST_HEADER = [
    "数据来源单位", "数据来源单位统一社会信用代码", "报送时间", "名单类型", "主体名称", "主体类别", "统一社会信用代码",
    "证件类型", "证件号码", "法定代表人", "法定代表人证件类型", "法定代表人证件号码", "列入决定文书号", "列入事由",
    "认定依据", "认定部门", "认定部门统一社会信用代码", "列入日期", "有效期至", "移出日期", "移出原因",
]
REPAIR_HEADER = [
    "数据来源单位", "数据来源单位统一社会信用代码", "报送时间", "修复类型", "主体名称", "统一社会信用代码", "关联文书号",
    "关联机关统一社会信用代码", "修复申请日期", "修复决定日期", "修复结果", "修复机构",
]


def penalty_case(doc_no: str, decided: str, *, categories: str = "罚款", severity: str = "", record_status: str = "",
                 authority: tuple[str, str] | None = None, **kwargs) -> list[str]:
    """A penalty row of PENALTY_SEVERITY_HEADER: 处罚类别, 失信程度, 记录状态 and 处罚机关 as given,
    submitted the day after its decision."""
    row = penalty_row(doc_no, decided=decided, submitted=f"{decided} 10:00", **kwargs)
    row[PENALTY_HEADER.index("处罚类别")] = categories
    if "罚款" not in categories:
        row[PENALTY_HEADER.index("罚款金额（万元）")] = ""
    if authority:
        row[PENALTY_HEADER.index("处罚机关")], row[PENALTY_HEADER.index("处罚机关统一社会信用代码")] = authority
    return row + [severity, record_status]


def credit_list_row(doc_no: str, designated: str, *, list_type: str = "严重失信主体名单",
                    subject_type: str = "法人及非法人组织", uscc: str = COMPANY_A, name: str = "济南鑫达建材有限公司",
                    person_id: str = "", legal_rep: str = "", legal_rep_id: str = "", valid_until: str = "",
                    removed: str = "", dept: tuple[str, str] = ("淄博市生态环境局", ZIBO_HBJ),
                    submitted: str | None = None) -> list[str]:
    """A designation of CREDIT_LIST_HEADER, submitted on its designation date unless said otherwise."""
    return [
        dept[0], dept[1], submitted or f"{designated} 16:00", list_type, name, subject_type,
        "" if subject_type == "自然人" else uscc, "身份证" if person_id else "", person_id,
        legal_rep, "身份证" if legal_rep_id else "", legal_rep_id, doc_no, "受到较重行政处罚",
        "《山东省企业环境信用评价办法》第十五条", dept[0], dept[1], designated, valid_until, removed,
        "整改完成" if removed else "",
    ]


def repair_row(repair_type: str, related_doc_no: str, related_authority: str, decided: str, *, result: str = "同意",
               uscc: str = COMPANY_A, name: str = "济南鑫达建材有限公司") -> list[str]:
    """A repair decision of REPAIR_HEADER by 济南市发展和改革委员会, submitted on its decision date."""
    return [
        "济南市发展和改革委员会", JINAN_FGW, f"{decided} 17:00", repair_type, name, uscc, related_doc_no,
        related_authority, decided, decided, result, "济南市发展和改革委员会",
    ]


# --- nothing about a natural person in the public schema (rules.md "Personal information") ---

# A natural person's name as the marts show it (张三丰 → 张**): one character, then only '*'.
MASKED_NAME = re.compile(r"[^*＊\s][*＊]+")
PERSON_KEY = re.compile(r"[0-9a-f]{64}")  # an HMAC-SHA256 person key
# The records whose subject type the public may not see (自然人, and any type outside the code list):
# their document numbers, and their subjects' names unless keyed to a USCC (an organisation typed 个人
# is no person, though its records stay unpublished).
PERSON_RECORDS = """
    select subject_name, entity_code, doc_no from intermediate.int_licenses__current where {other}
    union all select subject_name, entity_code, doc_no from intermediate.int_penalties__current where {other}
    union all select subject_name, entity_code, designation_doc_no
              from intermediate.int_credit_list_designations__current where {other}
"""


def person_data_in_public(warehouse: Path) -> list[tuple[str, str, str, str]]:
    """(table, column, value, why) for every cell of every table of the public schema that shows a
    person: an identity number plain or masked (creditwh.landing.pii), a masked name, a person key,
    the name of a natural person, or the document number of a record whose subject is a natural
    person or of a type outside the code list. Empty when the credit website may publish all of it."""
    published = "', '".join(dbt_vars()["published_subject_types"])
    people = query(warehouse, PERSON_RECORDS.format(other=f"coalesce(subject_type not in ('{published}'), true)"))
    names = {name for name, entity_code, _ in people if name and entity_code is None}
    doc_nos = {doc_no for *_, doc_no in people if doc_no}
    found = []
    tables = query(warehouse, "select table_name from duckdb_tables() where schema_name = 'public' order by 1")
    for (table,) in tables:
        columns = [c for (c,) in query(warehouse, f"""select column_name from duckdb_columns()
                                                     where schema_name = 'public' and table_name = '{table}'""")]
        for column in columns:
            for (value,) in query(warehouse, f'select distinct "{column}"::varchar from public."{table}" '
                                             f'where "{column}" is not null'):
                why = ("identity number" if contains_person_data(value)
                       else "masked name" if MASKED_NAME.fullmatch(value.strip())
                       else "person key" if PERSON_KEY.fullmatch(value)
                       else "a person's name" if value in names
                       else "a person's record" if value in doc_nos else None)
                if why:
                    found.append((table, column, value, why))
    return found


# --- objections (异议处理, issue 18) ---

OBJECTION_HEADER = [
    "数据来源单位", "数据来源单位统一社会信用代码", "报送时间", "异议编号", "异议主体名称", "主体类别", "统一社会信用代码",
    "证件类型", "证件号码", "异议信息类别", "关联文书号", "关联机关统一社会信用代码", "异议理由", "受理日期", "处理结果",
    "办结日期", "处理单位", "处理单位统一社会信用代码",
]


def objection_row(objection_no: str, category: str, target_doc_no: str, target_authority: str, accepted: str, *,
                  outcome: str = "", resolved: str = "", subject_type: str = "法人及非法人组织", uscc: str = COMPANY_A,
                  name: str = "济南鑫达建材有限公司", person_id: str = "") -> list[str]:
    """An objection of OBJECTION_HEADER handled by 济南市发展和改革委员会 (the credit office), submitted on
    its 办结日期, else on its 受理日期."""
    return [
        "济南市发展和改革委员会", JINAN_FGW, f"{resolved or accepted} 17:00", objection_no, name, subject_type,
        "" if subject_type == "自然人" else uscc, "身份证" if person_id else "", person_id, category, target_doc_no,
        target_authority, "信息有误", accepted, outcome, resolved, "济南市发展和改革委员会", JINAN_FGW,
    ]
