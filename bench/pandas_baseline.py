"""The pandas baseline: rpt_timeliness_quarterly the way an analyst would compute it — read every
CSV into a DataFrame, clean with pandas string methods, check codes with Python functions,
count working days with chinesecalendar, group by quarter and department.

It reads the same `creditgen --clean` extracts as the pipeline and the floor, and must
give the same scorecard (the benchmark compares all three).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import chinese_calendar
import numpy as np
import pandas as pd

from creditwh.codes import is_valid_ric, is_valid_uscc
from creditwh.rules import dbt_vars

EMPTY = {"", "无", "/", "-", "NULL"}
LICENSE_CATEGORIES = {"普通", "特许", "认可", "核准", "登记", "其他"}
PENALTY_CATEGORIES = {"警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "降低资质等级",
                      "吊销许可证件", "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业", "行政拘留", "其他"}
RIC_TYPES = {"身份证", "居民身份证", "中华人民共和国居民身份证"}
KINDS = {
    "license": {
        "doc_no": "行政许可决定文书号", "decision": "许可决定日期", "authority": "许可机关统一社会信用代码",
        "required": ["数据来源单位", "行政相对人名称", "行政许可决定文书名称", "许可类别", "许可内容", "有效期自",
                     "有效期至", "许可机关"],
    },
    "penalty": {
        "doc_no": "行政处罚决定书文号", "decision": "处罚决定日期", "authority": "处罚机关统一社会信用代码",
        "required": ["数据来源单位", "行政相对人名称", "违法行为类型", "违法事实", "处罚依据", "处罚类别", "处罚内容",
                     "处罚机关"],
    },
}


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.apply(lambda column: column.str.strip())
    return frame.mask(frame.isin(EMPTY))


def _read(raw_dir: Path, kind: str) -> pd.DataFrame:
    files = sorted((raw_dir / kind).glob("*.csv"))
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False).assign(_file=str(f)) for f in files]
    frame = _clean(pd.concat(frames, ignore_index=True))
    spec = KINDS[kind]
    return frame.rename(columns={spec["doc_no"]: "doc_no", spec["decision"]: "decision_text",
                                 spec["authority"]: "authority_code"}).assign(kind=kind)


def _in_codes(value, codes: set[str]) -> bool:
    return value is None or value in codes or str(value).startswith("其他-")


def _row_checks(row: pd.Series) -> pd.Series:
    """完整 and 合规 of one record, written out as an analyst would."""
    subject_type = row["行政相对人类别"]
    required = KINDS[row["kind"]]["required"]
    complete = (
        all(pd.notna(row[c]) for c in required)
        and pd.notna(row["数据来源单位统一社会信用代码"]) and pd.notna(row["报送时间"])
        and pd.notna(row["decision_text"]) and pd.notna(row["authority_code"]) and pd.notna(subject_type)
        and (subject_type == "自然人" or pd.notna(row["uscc"]))
        and (subject_type != "法人及非法人组织" or pd.notna(row["法定代表人"]))
        and (subject_type != "自然人" or (pd.notna(row["证件类型"]) and pd.notna(row["证件号码"])))
    )
    compliant = (subject_type is np.nan or subject_type in ("法人及非法人组织", "自然人", "个体工商户"))
    compliant &= pd.isna(row["uscc"]) or is_valid_uscc(row["uscc"])
    compliant &= pd.isna(row["authority_code"]) or is_valid_uscc(row["authority_code"])
    compliant &= is_valid_uscc(row["数据来源单位统一社会信用代码"])
    if subject_type == "自然人" and pd.notna(row["证件号码"]) and (pd.isna(row["证件类型"]) or row["证件类型"] in RIC_TYPES):
        compliant &= is_valid_ric(str(row["证件号码"]).upper())
    compliant &= pd.isna(row["报送时间"]) or pd.notna(row["submitted_at"])
    compliant &= pd.isna(row["decision_text"]) or pd.notna(row["decision_date"])
    if row["kind"] == "license":
        compliant &= _in_codes(row["许可类别"], LICENSE_CATEGORIES)
        compliant &= (row["当前状态"] if pd.notna(row["当前状态"]) else "有效") in ("有效", "无效")
        valid_from = pd.to_datetime(row["有效期自"], errors="coerce")
        valid_until = row["有效期至"]
        open_ended = valid_until in ("长期", "9999-12-31")
        until = pd.NaT if open_ended else pd.to_datetime(valid_until, errors="coerce")
        compliant &= pd.isna(row["有效期自"]) or pd.notna(valid_from)
        compliant &= pd.isna(valid_until) or open_ended or pd.notna(until)
        compliant &= not (pd.notna(valid_from) and pd.notna(until) and valid_from > until)
    else:
        categories = [c.strip() for c in pd.Series([row["处罚类别"] or ""]).str.split(r"[;；、,，]").iloc[0] if c.strip()]
        compliant &= all(_in_codes(c, PENALTY_CATEGORIES) for c in categories)
        compliant &= pd.isna(row["失信程度"]) or row["失信程度"] in ("轻微", "一般", "严重")
        compliant &= (row["记录状态"] if pd.notna(row["记录状态"]) else "正常") in ("正常", "撤销")
        for column in ("处罚有效期", "公示截止期"):
            compliant &= pd.isna(row[column]) or pd.notna(pd.to_datetime(row[column], errors="coerce"))
        for column in ("罚款金额(万元)", "没收违法所得、没收非法财物的金额(万元)"):
            amount = pd.to_numeric(row[column], errors="coerce")
            compliant &= pd.isna(row[column]) or (pd.notna(amount) and amount >= 0)
        complete &= not ("罚款" in categories and pd.isna(row["罚款金额(万元)"]))
    return pd.Series({"is_complete": bool(complete), "is_compliant": bool(compliant)})


def quarterly_scorecard(raw_dir: Path, as_of: date) -> pd.DataFrame:
    rules = dbt_vars()
    records = pd.concat([_read(raw_dir, "license"), _read(raw_dir, "penalty")], ignore_index=True)
    records = records.rename(columns={"统一社会信用代码": "uscc"})
    records = records[records["数据来源单位统一社会信用代码"].notna() & records["doc_no"].notna()]
    records["uscc"] = records["uscc"].str.upper()
    records["submitted_at"] = pd.to_datetime(records["报送时间"], errors="coerce", format="mixed")
    records["decision_date"] = pd.to_datetime(records["decision_text"], errors="coerce", format="mixed").dt.normalize()

    # one row per identity: the latest delivery, timed on the earliest submission
    key = ["kind", "数据来源单位统一社会信用代码", "doc_no"]
    records["first_submitted_at"] = records.groupby(key)["submitted_at"].transform("min")
    records = records.sort_values(["submitted_at", "_file"], na_position="first").drop_duplicates(key, keep="last")
    records["submitted_date"] = records["first_submitted_at"].dt.normalize()

    def working_days(row) -> float:
        if pd.isna(row.decision_date) or pd.isna(row.submitted_date) or row.decision_date > row.submitted_date:
            return np.nan
        days = chinese_calendar.get_workdays(row.decision_date.date(), row.submitted_date.date())
        return len(days) - (1 if chinese_calendar.is_workday(row.decision_date.date()) else 0)

    records["working_days"] = records.apply(working_days, axis=1)
    records["is_on_time"] = records["working_days"] <= rules["disclosure_deadline_working_days"]
    records = pd.concat([records, records.apply(_row_checks, axis=1)], axis=1)
    records["is_compliant"] &= ~(records["decision_date"] > records["submitted_date"]).fillna(False)
    records["is_compliant"] &= ~(records["decision_date"] > pd.Timestamp(as_of)).fillna(False)

    records = records[records["submitted_date"].notna()]
    records["period_quarter"] = records["submitted_date"].dt.year.astype(str) + "Q" + records["submitted_date"].dt.quarter.astype(str)
    report = records.groupby(["period_quarter", "数据来源单位统一社会信用代码"]).agg(
        records=("doc_no", "size"), on_time_records=("is_on_time", "sum"),
        compliance_rate=("is_compliant", "mean"), completeness_rate=("is_complete", "mean"),
    ).reset_index().rename(columns={"数据来源单位统一社会信用代码": "source_dept_code"})
    report["timeliness_rate"] = report["on_time_records"] / report["records"]
    weights = rules["timeliness_score_weights"]
    report["score"] = (100 * (weights["timeliness"] * report["timeliness_rate"]
                              + weights["compliance"] * report["compliance_rate"]
                              + weights["completeness"] * report["completeness_rate"])).round(6)
    report["rank"] = report.groupby("period_quarter")["score"].rank(method="min", ascending=False).astype(int)
    thresholds = rules["evaluation_grade_thresholds"]
    report["grade"] = report["score"].map(lambda s: next(t["grade"] for t in thresholds if s >= t["min_score"]))
    report["needs_rectification"] = (report["records"] - report["on_time_records"]) > rules["rectification_late_share"] * report["records"]
    columns = ["period_quarter", "source_dept_code", "records", "on_time_records", "timeliness_rate", "compliance_rate",
               "completeness_rate", "score", "rank", "grade", "needs_rectification"]
    return report[columns].sort_values(["period_quarter", "source_dept_code"]).reset_index(drop=True)
