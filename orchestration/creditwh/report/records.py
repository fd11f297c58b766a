"""A record the report refers to (the tier's evidence, an objection's target) as a Chinese sentence:
严重失信主体名单，济南市市场监督管理局 2025年9月3日 列入（济市监信〔2025〕12号）— never a table name or key.

The sentences are made from the entity's own rows the internal report already read (penalties,
designations, commitments), matched by record_key, which the reader never sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from creditwh.labels import label
from creditwh.render import EM_DASH
from creditwh.report.load import EntityReport


def chinese_date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "日期不详"


def _or_dash(value) -> str:
    return str(value) if value else EM_DASH


def designation_sentence(row: Mapping) -> str:
    return (f"{row['list_type']}，{_or_dash(row['designating_dept_name'])} {chinese_date(row['designated_date'])} "
            f"列入（{_or_dash(row['designation_doc_no'])}）")


def penalty_sentence(row: Mapping) -> str:
    status = label("publication_status", row["publication_status"]) if row.get("publication_status") else None
    details = "，".join(part for part in (row["doc_no"], row["severity"] and f"失信程度{row['severity']}", status) if part)
    return f"行政处罚，{_or_dash(row['authority_name'])} {chinese_date(row['decision_date'])} 决定（{details}）"


def licence_sentence(row: Mapping) -> str:
    details = "，".join(part for part in (row["doc_no"], row["doc_name"]) if part)
    return f"行政许可，{_or_dash(row['authority_name'])} {chinese_date(row['decision_date'])} 决定（{details}）"


def commitment_sentence(row: Mapping) -> str:
    sentence = (f"{row['commitment_type'] or '信用承诺'}「{_or_dash(row['commitment_matter'])}」，"
                f"{_or_dash(row['accepting_dept_name'])} 受理")
    if row["breach_date"]:
        sentence += f"，{chinese_date(row['breach_date'])} 认定违诺"
    return sentence


def record_sentences(report: EntityReport) -> dict[tuple[str, str], str]:
    """(record_kind, record_key) → its sentence, for every record of the internal report."""
    sources = (("penalty", report.penalties, penalty_sentence),
               ("credit_list_designation", report.designations, designation_sentence),
               ("commitment", report.commitments, commitment_sentence))
    return {(kind, row["record_key"]): sentence(row) for kind, rows, sentence in sources for row in rows or []}


def record_sentence(report: EntityReport, kind: str, key: str, shown_label: str | None) -> str:
    """The sentence of one record; a record the report did not read reads as its kind and label."""
    known = record_sentences(report).get((kind, key))
    return known or f"{label('record_kind', kind)} {shown_label or ''}".strip()


# an objection's target_kind → the report's rows of that kind, the column holding their 文书号, the sentence
TARGETS = {
    "license": ("licences", "doc_no", licence_sentence),
    "penalty": ("penalties", "doc_no", penalty_sentence),
    "credit_list": ("designations", "designation_doc_no", designation_sentence),
}


def objection_target(report: EntityReport, objection: Mapping) -> str:
    """The record an objection names, as a sentence; one the warehouse does not hold, said so."""
    kind, doc_no = objection["target_kind"], objection["target_doc_no"]
    rows_name, doc_column, sentence = TARGETS.get(kind, (None, None, None))
    row = next((r for r in getattr(report, rows_name, None) or [] if r[doc_column] == doc_no), None) if rows_name else None
    if row is not None:
        return sentence(row)
    return f"{label('record_kind', kind)}（{_or_dash(doc_no)}；数据仓库中未找到此记录）"
