"""问题说明: what is wrong with a 双公示 record, in Chinese, for the department's feedback list.

Defect codes come from the staging models (`MISSING:<col>`, `INVALID:<col>`,
`UNPARSEABLE_DATE:<col>`, `DATE_ORDER:<rule>`); their words from seeds/defect_codes.csv. A code
the seed does not know is shown as delivered: the feedback list must never fail on a new code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import pandas as pd

from creditwh.labels import code_labels, defect_labels
from creditwh.landing.contract import load_contract

# Defects named after what they check, not after a staging column of the contract.
_DEFECT_COLUMNS = {"submitted_date": "submitted_at", "severity": "severity_delivered"}

# 问题数据清单's 类别 (build.py): the record kind's label.
RECORD_KINDS = code_labels("record_kind")


def field_name(column: str, record_kind: str | None = None) -> str:
    """A defect's field as the extract contract heads it in that kind's files, its unit left out
    (罚款金额(万元) -> 罚款金额); a column the contract does not know, as it is called."""
    spec = load_contract().get(record_kind)
    header = spec and spec.header_of(_DEFECT_COLUMNS.get(column, column))
    return re.sub(r"\(.*\)$", "", header) if header else column


def describe_defect(code: str, record_kind: str | None = None) -> str:
    """One defect code in the words of seeds/defect_codes.csv: a DATE_ORDER rule by its label, any other
    class as its label, the field, and what failed (不合规：统一社会信用代码校验错误)."""
    defect_class, _, detail = code.partition(":")
    if not detail:
        return code
    words = defect_labels(defect_class)
    if defect_class == "DATE_ORDER":
        return words.get(detail, code)
    if "" not in words:
        return code
    return f"{words['']}：{field_name(detail, record_kind)}{words.get(detail, '')}"


def describe_timeliness(
    *,
    is_on_time: bool | None,
    working_days: int | None,
    decision_date: date | None,
    submitted_date: date | None,
    deadline: int | None,
) -> str | None:
    """Why a record is not on time, or None when it is. `deadline` None: the limit is not stated."""
    if is_on_time:
        return None
    if working_days is not None:
        limit = f"，限{deadline}个工作日" if deadline is not None else ""
        return f"逾期报送（{working_days}个工作日{limit}）"
    if decision_date is None:
        return "无法计算时限（决定日期缺失或无法识别）"
    if submitted_date is None:  # counted in its decision month, and late (rules.md, Monthly monitoring)
        return "计为逾期（报送时间缺失或无法识别）"
    if submitted_date is not None and decision_date > submitted_date:
        return describe_defect("DATE_ORDER:decision_after_submission")
    return "无法计算时限"


def describe_problems(
    *,
    record_kind: str,
    defects: str | None,
    is_on_time: bool | None,
    working_days: int | None,
    decision_date: date | None,
    submitted_date: date | None,
    deadline: int | None,
) -> str:
    """All that is wrong with one record, timeliness first, each said once, joined by '；'."""
    reasons = [describe_timeliness(is_on_time=is_on_time, working_days=working_days, decision_date=decision_date,
                                   submitted_date=submitted_date, deadline=deadline)]
    reasons += [describe_defect(c.strip(), record_kind) for c in (defects or "").split(",") if c.strip()]
    return "；".join(dict.fromkeys(r for r in reasons if r))


# 问题数据清单's columns, as the scorecard and the bulletin select them from marts.fct_disclosure_timeliness
PROBLEM_SOURCE_COLUMNS = ["source_dept_name", "source_dept_code", "record_kind", "doc_no", "decision_date",
                          "submitted_date", "working_days_elapsed", "is_on_time", "defects"]
PROBLEM_COLUMNS = ["source_dept_name", "source_dept_code", "record_kind", "category", "doc_no", "decision_date",
                   "submitted_date", "working_days_elapsed", "problem"]


def problem_list(rows: Iterable[tuple], deadline: int | None) -> pd.DataFrame:
    """问题数据清单 from rows of PROBLEM_SOURCE_COLUMNS: each record with its 类别 and what is wrong with it."""
    records = [
        {
            "source_dept_name": dept_name,
            "source_dept_code": dept_code,
            "record_kind": kind,
            "category": RECORD_KINDS.get(kind, kind),
            "doc_no": doc_no,
            "decision_date": decided,
            "submitted_date": submitted,
            "working_days_elapsed": days,
            "problem": describe_problems(record_kind=kind, defects=defects, is_on_time=on_time, working_days=days,
                                         decision_date=decided, submitted_date=submitted, deadline=deadline),
        }
        for dept_name, dept_code, kind, doc_no, decided, submitted, days, on_time, defects in rows
    ]
    problems = pd.DataFrame.from_records(records, columns=PROBLEM_COLUMNS)
    problems["working_days_elapsed"] = problems["working_days_elapsed"].astype("Int64")
    return problems
