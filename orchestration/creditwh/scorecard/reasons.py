"""问题说明: what is wrong with a 双公示 record, in Chinese, for the department's feedback list.

Defect codes come from the staging models (`MISSING:<col>`, `INVALID:<col>`,
`UNPARSEABLE_DATE:<col>`, `DATE_ORDER:<rule>`); their words from seeds/defect_codes.csv. A code
the seed does not know is shown as delivered: the feedback list must never fail on a new code.
"""

from __future__ import annotations

from datetime import date

from creditwh.labels import code_labels, defect_labels

# Staging column -> the field's name in the extract contract (extracts.md).
FIELD_NAMES = {
    "subject_name": "行政相对人名称",
    "subject_type": "行政相对人类别",
    "subject_uscc": "统一社会信用代码",
    "legal_rep_name": "法定代表人",
    "legal_rep_id_type": "法定代表人证件类型",
    "legal_rep_id": "法定代表人证件号码",
    "person_id_type": "证件类型",
    "person_id": "证件号码",
    "doc_no": "文书号",
    "doc_name": "行政许可决定文书名称",
    "decision_date": "决定日期",
    "submitted_at": "报送时间",
    "submitted_date": "报送时间",
    "source_dept_name": "数据来源单位",
    "source_dept_code": "数据来源单位统一社会信用代码",
    "authority_name": "机关名称",
    "authority_code": "机关统一社会信用代码",
    "license_category": "许可类别",
    "license_content": "许可内容",
    "license_status": "当前状态",
    "valid_from": "有效期自",
    "valid_until": "有效期至",
    "violation_type": "违法行为类型",
    "violation_facts": "违法事实",
    "legal_basis": "处罚依据",
    "penalty_categories": "处罚类别",
    "penalty_content": "处罚内容",
    "fine_amount": "罚款金额",
    "confiscated_amount": "没收违法所得、没收非法财物的金额",
    "penalty_valid_until": "处罚有效期",
    "publication_deadline": "公示截止期",
    "severity": "失信程度",
    "record_status": "记录状态",
}

# The same column is headed differently in a licence and a penalty extract.
KIND_FIELD_NAMES = {
    ("license", "decision_date"): "许可决定日期",
    ("penalty", "decision_date"): "处罚决定日期",
    ("license", "doc_no"): "行政许可决定文书号",
    ("penalty", "doc_no"): "行政处罚决定书文号",
    ("license", "authority_name"): "许可机关",
    ("penalty", "authority_name"): "处罚机关",
    ("license", "authority_code"): "许可机关统一社会信用代码",
    ("penalty", "authority_code"): "处罚机关统一社会信用代码",
}

# 问题数据清单's 类别 (build.py): the record kind's label.
RECORD_KINDS = code_labels("record_kind")


def field_name(column: str, record_kind: str | None = None) -> str:
    return KIND_FIELD_NAMES.get((record_kind, column)) or FIELD_NAMES.get(column, column)


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
