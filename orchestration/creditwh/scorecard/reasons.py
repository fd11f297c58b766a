"""问题说明: what is wrong with a 双公示 record, in Chinese, for the department's feedback list.

Defect codes come from the staging models (`MISSING:<col>`, `INVALID:<col>`,
`UNPARSEABLE_DATE:<col>`, `DATE_ORDER:<rule>`). A code this module does not know is shown
as delivered: the feedback list must never fail on a new code.
"""

from __future__ import annotations

import re
from datetime import date

from creditwh.landing.contract import load_contract

# Defects named after what they check, not after a staging column of the contract.
_DEFECT_COLUMNS = {"submitted_date": "submitted_at", "severity": "severity_delivered"}

# INVALID:<col> -> what kind of check failed, so the department knows what to fix.
_CHECKSUM_FIELDS = {"subject_uscc", "authority_code", "source_dept_code", "person_id", "legal_rep_id"}
_CODE_LIST_FIELDS = {"subject_type", "license_category", "penalty_categories", "license_status", "severity",
                     "record_status"}
_AMOUNT_FIELDS = {"fine_amount", "confiscated_amount"}

DATE_ORDER_RULES = {
    "decision_after_submission": "报送早于决定日期",
    "decision_after_as_of": "决定日期晚于统计基准日",
    "submission_after_as_of": "报送时间晚于统计基准日",
    "valid_from_after_valid_until": "有效期自晚于有效期至",
}

RECORD_KINDS = {"license": "行政许可", "penalty": "行政处罚"}


def field_name(column: str, record_kind: str | None = None) -> str:
    """A defect's field as the extract contract heads it in that kind's files, its unit left out
    (罚款金额(万元) -> 罚款金额); a column the contract does not know, as it is called."""
    spec = load_contract().get(record_kind)
    header = spec and spec.header_of(_DEFECT_COLUMNS.get(column, column))
    return re.sub(r"\(.*\)$", "", header) if header else column


def describe_defect(code: str, record_kind: str | None = None) -> str:
    prefix, _, name = code.partition(":")
    if not name:
        return code
    if prefix == "MISSING":
        return f"缺少：{field_name(name, record_kind)}"
    if prefix == "UNPARSEABLE_DATE":
        return f"日期无法识别：{field_name(name, record_kind)}"
    if prefix == "DATE_ORDER":
        return DATE_ORDER_RULES.get(name, code)
    if prefix == "INVALID":
        if name in _CHECKSUM_FIELDS:
            check = "校验错误"
        elif name in _CODE_LIST_FIELDS:
            check = "不在代码表中"
        elif name in _AMOUNT_FIELDS:
            check = "不是非负数值"
        else:
            check = ""
        return f"不合规：{field_name(name, record_kind)}{check}"
    return code


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
    if submitted_date is not None and decision_date > submitted_date:
        return DATE_ORDER_RULES["decision_after_submission"]
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
