"""What the report shows, section by section, in Chinese: the same for every output format.

Sections follow the issue's order — 基本信息, 行政许可, 行政处罚, 名单, 信用承诺, 信用修复, 信用等级及依据.
The public version (``--public``) keeps every heading but fills only 基本信息 (no personal data),
行政许可, 行政处罚 and 名单 (exactly what the credit website publishes, each record under objection
marked 异议处理中); every other section says why it is left out. No version names a table.
"""

from __future__ import annotations

from collections.abc import Mapping

from creditwh.labels import code_labels
from creditwh.render import AMOUNT, DATE, DOC_NO, FLAG, RATIO, Column, Section, Table, text
from creditwh.report.load import EntityReport, NotFoundReport, Rows
from creditwh.report.records import objection_target, record_sentences


def listed(title: str, rows: Rows, columns: list[Column], empty: str, **kwargs) -> Section:
    """A section holding one table, or saying there is nothing to show."""
    if not rows:
        return Section(title, note=empty)
    return Section(title, tables=[Table.of_records(rows, columns)], **kwargs)


# --- the public version: what is left out, and why -------------------------------------------------

PUBLIC_OMITTED = {
    "信用承诺": "信用承诺的对外公开规则未纳入本平台规则，公开版不含。",
    "信用修复": "信用修复记录会显示已停止公示的处罚信息，公开版不含。",
    "信用等级及依据": "信用分级分类结果供监管部门确定“双随机、一公开”抽查比例使用，不对外公开。",
}


def basic_facts(report: EntityReport) -> list[tuple[str, str]]:
    profile, reg = report.profile, report.registration
    region = profile["region_code"] + (f" {report.region_name}" if report.region_name else "")
    facts = [("统一社会信用代码", report.entity_code), ("主体名称", text(profile["entity_name"])),
             ("行政区划", region)]
    if reg is None:
        facts.append(("登记信息", "登记信息中无此主体（名称取自其最近一条信用记录）"))
        return facts
    facts += [("主体类型", text(reg["entity_type"])), ("登记状态", text(reg["registration_status"])),
              ("成立日期", text(reg["established_date"], DATE))]
    if not report.public:
        title = representative_title(report)
        facts += [(f"{title}（脱敏）", text(reg["legal_rep_name_masked"])),
                  (f"{title}证件号码（脱敏）", text(reg["legal_rep_id_masked"])),
                  ("住所", text(reg["address"])), ("登记机关", text(reg["registration_authority"]))]
    return facts


def representative_title(report: EntityReport) -> str:
    """法定代表人, or what the entity's type calls the person (个体工商户: 经营者; seeds/code_labels.csv)."""
    entity_type = (report.registration or {}).get("entity_type") or report.profile.get("entity_type")
    return code_labels("representative_title").get(entity_type, "法定代表人")


def lists_on(profile: Mapping) -> str:
    """The lists the profiled entity is on (有效), by name (严重失信主体名单、重点关注名单), or 无."""
    return "、".join(name for flag, name in code_labels("list_flag").items() if profile[flag]) or "无"


def summary_facts(report: EntityReport) -> list[tuple[str, str]]:
    """The internal version's overview under the title: tier, reason and counts."""
    p = report.profile
    return [
        ("信用等级", f"{p['credit_tier']} {text(p['tier_name'])}"),
        ("分级依据", p["tier_reason"]),
        ("监管措施", f"{text(p['supervision'])}（抽查比例 {text(p['sampling_ratio'], RATIO)}）"),
        ("信用记录", f"行政许可 {p['licenses_total']} 条；行政处罚 {p['penalties_total']} 条（公示中 "
                     f"{p['penalties_publishing']} 条）；信用承诺 {p['commitments_total']} 条（违诺 "
                     f"{p['commitment_breaches']} 条）；信用修复 {p['repairs_total']} 条"),
        ("所在名单（有效）", lists_on(p)),
        ("最近信用事件", text(p["last_event_date"], DATE)),
    ]


OBJECTION_MARK = "异议处理中"
OBJECTION_COLUMN = Column("objection_mark", "异议", DOC_NO)  # DOC_NO: kept on one line
LICENCE_COLUMNS = [
    Column("doc_no", "决定文书号", DOC_NO), Column("doc_name", "文书名称"), Column("license_category", "许可类别"),
    Column("license_content", "许可内容"), Column("decision_date", "决定日期", DATE),
    Column("valid_from", "有效期自", DATE), Column("valid_until_text", "有效期至", DATE),
    Column("authority_name", "许可机关"), Column("license_status", "当前状态"), OBJECTION_COLUMN,
]
PENALTY_COLUMNS = [
    Column("doc_no", "决定书文号", DOC_NO), Column("violation_type", "违法行为类型"), Column("penalty_categories", "处罚类别"),
    Column("penalty_content", "处罚内容"), Column("fine_amount_10k_yuan", "罚款（万元）", AMOUNT),
    Column("decision_date", "决定日期", DATE), Column("authority_name", "处罚机关"), Column("severity", "失信程度"),
    Column("publication_status", "公示状态", labels="publication_status"),
    Column("publication_end_date", "公示截止", DATE), OBJECTION_COLUMN,
]
PUBLIC_LICENCE_COLUMNS = [
    Column("doc_no", "决定文书号", DOC_NO), Column("doc_name", "文书名称"), Column("license_category", "许可类别"),
    Column("license_content", "许可内容"), Column("authority_name", "许可机关"), Column("decision_date", "决定日期", DATE),
    Column("valid_from", "有效期自", DATE), Column("valid_until_text", "有效期至", DATE), OBJECTION_COLUMN,
]
PUBLIC_PENALTY_COLUMNS = [
    Column("doc_no", "决定书文号", DOC_NO), Column("authority_name", "处罚机关"), Column("violation_type", "违法行为类型"),
    Column("penalty_categories", "处罚类别"), Column("penalty_content", "处罚内容"),
    Column("fine_amount_10k_yuan", "罚款（万元）", AMOUNT), Column("decision_date", "决定日期", DATE),
    Column("publication_end_date", "公示截止", DATE), OBJECTION_COLUMN,
]
PUBLIC_DESIGNATION_COLUMNS = [
    Column("list_type", "名单类型"), Column("designation_doc_no", "列入决定文书号", DOC_NO), Column("reason", "列入事由"),
    Column("basis", "认定依据"), Column("designating_dept_name", "认定部门"), Column("designated_date", "列入日期", DATE),
    Column("valid_until", "有效期至", DATE), OBJECTION_COLUMN,
]
OBJECTION_NOTE = f"标注“{OBJECTION_MARK}”的信息，信用主体已提出异议，认定部门正在核实处理；处理期间该信息照常公示。"
DESIGNATION_COLUMNS = [
    Column("list_type", "名单类型"), Column("designation_doc_no", "列入决定文书号", DOC_NO),
    Column("designation_reason", "列入事由"), Column("designating_dept_name", "认定部门"),
    Column("designated_date", "列入日期", DATE), Column("valid_until", "有效期至", DATE),
    Column("removed_date", "移出日期", DATE), Column("status", "状态", labels="list_status"), OBJECTION_COLUMN,
]
SANCTION_PERSON_COLUMNS = [
    Column("designation_doc_no", "列入决定文书号", DOC_NO), Column("person_role", "人员"),
    Column("person_name_masked", "姓名（脱敏）"), Column("person_id_masked", "证件号码（脱敏）"),
]
MEASURE_COLUMNS = [
    Column("list_type", "名单类型"), Column("measure_kind", "类别"), Column("measure", "措施"),
    Column("legal_basis", "依据"),
]
COMMITMENT_COLUMNS = [
    Column("commitment_type", "承诺类型"), Column("commitment_matter", "承诺事项"),
    Column("commitment_date", "承诺日期", DATE), Column("accepting_dept_name", "受理单位"),
    Column("fulfilment_status", "履约状态"), Column("breach_date", "违诺认定日期", DATE),
]
REPAIR_COLUMNS = [
    Column("repair_type", "修复类型"), Column("related_doc_no", "关联文书号", DOC_NO),
    Column("repair_decision_date", "修复决定日期", DATE), Column("repair_result", "修复结果"),
    Column("repair_authority_name", "修复机构"), Column("is_effective", "截至基准日生效", FLAG),
]
EVIDENCE_COLUMNS = [
    Column("rule_order", "规则顺序"), Column("tier", "等级"), Column("rule_label", "规则"),
    Column("record", "依据记录"), Column("decisive", "决定等级"),
]
RULE_COLUMNS = [
    Column("rule_order", "顺序"), Column("tier", "等级"), Column("tier_name", "等级名称"), Column("rule_label", "规则"),
    Column("description", "说明"), Column("sampling_ratio", "抽查比例", RATIO),
]


def decisive_record(report: EntityReport) -> str:
    """The record that decided the tier, as a sentence (严重失信主体名单，某部门 2025年9月3日 列入（文号））; — when none."""
    p = report.profile
    if not p["tier_record_key"]:
        return "—"
    sentence = record_sentences(report).get((p["tier_record_kind"], p["tier_record_key"]))
    return sentence or f"{text(p['tier_record_kind'], labels='record_kind')} {p['tier_record_label']}"


def tier_section(report: EntityReport) -> Section:
    p = report.profile
    facts = [
        ("信用等级", f"{p['credit_tier']} {text(p['tier_name'])}（截至 {report.as_of.isoformat()}）"),
        ("分级依据", p["tier_reason"]),
    ]
    if p["tier_record_key"]:
        facts.append(("依据记录", decisive_record(report)))
    facts.append(("监管措施", f"{text(p['supervision'])}；抽查比例 {text(p['sampling_ratio'], RATIO)}"))
    sentences = record_sentences(report)
    evidence = [{**row, "record": sentences.get((row["record_kind"], row["record_key"]), row["record_label"]),
                 "decisive": "✔ 决定等级" if row["is_decisive"] else ""} for row in report.evidence]
    tables = []
    if evidence:
        tables.append(Table.of_records(evidence, EVIDENCE_COLUMNS, caption="命中的规则及记录（按规则顺序，首条命中即定级）",
                                       marked=[row["is_decisive"] for row in evidence]))
    tables.append(Table.of_records(report.rules, RULE_COLUMNS, caption="分级规则（信用分级分类，按顺序取首条命中的规则）"))
    note = None if evidence else "未命中任何失信规则，按“其他情形”定为 A 级。"
    return Section("信用等级及依据", facts=facts, tables=tables, note=note)


def under_objection(row: Mapping) -> bool:
    return bool(row.get("under_objection"))


def with_objection_marks(rows: Rows) -> Rows:
    return [{**row, "objection_mark": OBJECTION_MARK if under_objection(row) else ""} for row in rows]


OBJECTION_COLUMNS = [
    Column("objection_no", "异议编号", DOC_NO), Column("target", "异议的信息"), Column("accepted_date", "受理日期", DATE),
    Column("handling_dept_name", "处理单位"), Column("status", "状态", DOC_NO, labels="objection_status"),
    Column("outcome_text", "处理结果", DOC_NO), Column("resolved_date", "办结日期", DATE),
    Column("working_days_taken", "办理用时（工作日）"), Column("is_overdue", "超期", FLAG),
]


def objection_section(report: EntityReport) -> Section:
    """异议处理: every objection to the entity's records, open ones first by date, overdue ones marked."""
    rows = [{**o, "target": objection_target(report, o), "outcome_text": o["outcome"] or "—"} for o in report.objections]
    if not rows:
        return Section("异议处理", note="无异议申请记录。")
    table = Table.of_records(rows, OBJECTION_COLUMNS, marked=[bool(o["is_overdue"]) for o in rows],
                             caption="办理用时按工作日计（受理次日起至办结日，未办结的至数据截至日）；超过期限的标出")
    return Section("异议处理", tables=[table])


def internal_sections(report: EntityReport) -> list[Section]:
    licences = [{**row, "valid_until_text": "长期" if row["is_open_ended"] else row["valid_until"]}
                for row in with_objection_marks(report.licences)]
    penalties = with_objection_marks(report.penalties)
    designations = with_objection_marks(report.designations)
    list_tables = []
    if designations:
        list_tables.append(Table.of_records(designations, DESIGNATION_COLUMNS))
    if report.sanction_persons:
        persons = [{**row, "person_role": representative_title(report)} for row in report.sanction_persons]
        list_tables.append(Table.of_records(persons, SANCTION_PERSON_COLUMNS,
                                            caption="惩戒到人（严重失信主体名单，个人信息已脱敏）"))
    if report.measures:
        list_tables.append(Table.of_records(report.measures, MEASURE_COLUMNS, caption="适用的联合奖惩措施（截至基准日）"))
    return [
        Section("基本信息", facts=basic_facts(report)),
        listed("行政许可", licences, LICENCE_COLUMNS, "无行政许可记录。"),
        listed("行政处罚", penalties, PENALTY_COLUMNS, "无行政处罚记录。"),
        Section("名单", tables=list_tables,
                note=None if list_tables else "未列入严重失信主体名单、重点关注名单或守信激励名单。"),
        listed("信用承诺", report.commitments, COMMITMENT_COLUMNS, "无信用承诺记录。"),
        listed("信用修复", report.repairs, REPAIR_COLUMNS, "无信用修复记录。"),
        objection_section(report),
        tier_section(report),
    ]


def published(title: str, rows: Rows, columns: list[Column], empty: str, scope: str) -> Section:
    """A public section: the published rows, those under objection marked, and what is published at all."""
    if not rows:
        return Section(title, note=f"{empty}{scope}")
    marked = [under_objection(row) for row in rows]
    note = f"{scope}{OBJECTION_NOTE if any(marked) else ''}"
    return Section(title, tables=[Table.of_records(with_objection_marks(rows), columns, marked=marked)], note=note)


def public_sections(report: EntityReport) -> list[Section]:
    licences = [{**row, "valid_until_text": row["valid_until"] or "长期"} for row in report.licences]
    sections = [
        Section("基本信息", facts=basic_facts(report)),
        published("行政许可", licences, PUBLIC_LICENCE_COLUMNS, "无公示中的行政许可信息。",
                  "仅含当前有效、在有效期内的行政许可（“双公示”）。"),
        published("行政处罚", report.penalties, PUBLIC_PENALTY_COLUMNS, "无公示中的行政处罚信息。",
                  "仅含公示期内、未修复、未撤销的行政处罚（公示期满或信用修复后不再公示）。"),
        published("名单", report.designations, PUBLIC_DESIGNATION_COLUMNS, "未列入对外公示的名单。",
                  "仅含有效的严重失信主体名单和守信激励名单（红黑名单）；重点关注名单不对外公示。"),
    ]
    sections += [Section(title, omitted=why) for title, why in PUBLIC_OMITTED.items()]
    order = ["基本信息", "行政许可", "行政处罚", "名单", "信用承诺", "信用修复", "信用等级及依据"]
    return sorted(sections, key=lambda s: order.index(s.title))


NOT_FOUND = "未查询到相关信用记录"


def not_found_sections(report: NotFoundReport) -> list[Section]:
    """One section: what was looked up and that nothing was found, in words a 窗口 can hand over."""
    as_of = report.as_of.isoformat() if report.as_of else "—"
    return [Section("查询结果", facts=[("查询的统一社会信用代码", report.entity_code), ("查询结果", NOT_FOUND)],
                    note=f"截至 {as_of}，公共信用信息平台归集的登记信息、行政许可、行政处罚、名单、信用承诺和信用修复信息中，"
                         f"均未查询到统一社会信用代码为 {report.entity_code} 的主体的相关信用记录。")]


def sections(report: EntityReport | NotFoundReport) -> list[Section]:
    if not report.found:
        return not_found_sections(report)
    return public_sections(report) if report.public else internal_sections(report)


def title(report: EntityReport | NotFoundReport) -> str:
    return f"公共信用信息报告（{'公开版' if report.public else '内部版'}）"


def content_facts(report: EntityReport | NotFoundReport) -> list[tuple[str, str]]:
    """The facts under the title that the warehouse answers (the entity, the data date, the overview)."""
    if not report.found:
        return [("查询主体", f"统一社会信用代码 {report.entity_code}（{NOT_FOUND}）"),
                ("数据截至", report.as_of.isoformat() if report.as_of else "—")]
    facts = [("主体", f"{text(report.profile['entity_name'])}（{report.entity_code}）"),
             ("数据截至", report.as_of.isoformat())]
    return facts if report.public else facts + summary_facts(report)


def issue_facts(report: EntityReport | NotFoundReport) -> list[tuple[str, str]]:
    """The facts of this printing: number, time, and (internal) who asked and why."""
    facts = [("报告编号", report.report_no or "—"), ("生成时间", report.generated_at.strftime("%Y-%m-%d %H:%M"))]
    if not report.public:
        facts += [("查询人", text(report.operator)), ("查询用途", text(report.purpose))]
    return facts


def header(report: EntityReport | NotFoundReport) -> tuple[str, list[tuple[str, str]]]:
    """The title and the facts under it: the number and printing first, then what the warehouse says."""
    return title(report), issue_facts(report) + content_facts(report)
