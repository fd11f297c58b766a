"""Small builders for hand-made extracts in end-to-end tests."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb

from creditwh.codes import make_ric, make_uscc
from creditwh.pipeline import RunReport, materialize_all
from creditwh.settings import Settings

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
    report = materialize_all(Settings.from_env(), log_level="ERROR")
    return report, warehouse


def query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


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
