"""What every bulletin export shows, once: the sections with their Chinese headings, and the 说明 notes.

The writers of creditwh.render (xlsx, csv, html) render these.
"""

from __future__ import annotations

import pandas as pd

from creditwh.bulletin.build import Bulletin, BulletinRules
from creditwh.periods import month_bounds, month_start
from creditwh.render import CHANGE, COUNT, DATE, RATE, Column, Section, Table
from creditwh.scorecard.reasons import RECORD_KINDS
from creditwh.scorecard.sections import COVERS

DEPT = [Column("source_dept_name", "部门"), Column("source_dept_code", "部门代码")]
REGION = Column("region_name", "区域")
CATEGORY = Column("category", "类别")
RECORDS = Column("records", "报送数量", COUNT)
RATES = [Column("timeliness_rate", "及时率", RATE), Column("compliance_rate", "合规率", RATE),
         Column("completeness_rate", "完整率", RATE)]
REALTIME = Column("realtime_sharing_rate", "实时共享率", RATE)
CODE_ERRORS = [Column("uscc_errors", "错码", COUNT), Column("name_mismatches", "码名不符", COUNT)]
REASONS = Column("reasons", "点名原因")

OVERVIEW, NAMED, DEPARTMENTS, SHARING, PROBLEMS, REJECTED, UNDATED, TREND = (
    "总体情况", "点名通报", "部门排名", "重错码与实时共享", "问题数据清单", "退回文件", "无法归期", "近12个月趋势")
USCC_ERROR_RATE_EXCEEDED = "重错码率超限"  # the mart's 点名通报 reason for it


def _table(frame: pd.DataFrame, columns: list[Column], flag_column: str | None = None, **kwargs) -> Table:
    """A missing value is an empty cell."""
    return Table.of_frame(frame, columns, flag_column, missing="", **kwargs)


def month_label(month: str) -> str:
    """'2026-03' -> '2026年3月'."""
    first = month_start(month)
    return f"{first.year}年{first.month}月"


def sections(bulletin: Bulletin) -> list[Section]:
    return [_overview(bulletin), _named(bulletin), _departments(bulletin), _sharing(bulletin),
            _problems(bulletin), _rejected(bulletin), _undated(bulletin), _trend(bulletin)]


def _overview(bulletin: Bulletin) -> Section:
    rows, total = bulletin.overview.iloc[:-1], bulletin.overview.iloc[[-1]]
    columns = [CATEGORY, Column("owed_units", "应报单位", COUNT), Column("zero_delivery_units", "零报送单位", COUNT),
               Column("named_units", "点名单位", COUNT), RECORDS, Column("previous_records", "上月报送", COUNT),
               Column("records_change", "较上月", CHANGE)]
    for rate in [*RATES, REALTIME]:
        columns += [rate, Column(f"{rate.key}_change", "较上月", CHANGE)]
    columns += [*CODE_ERRORS, Column("records_without_submission_date", "报送时间缺失", COUNT)]
    table = _table(rows, columns, totals=_table(total, columns).rows)
    return Section(OVERVIEW, facts=overview_facts(bulletin), tables=[table],
                   note="较上月：报送数量为条数之差，各比率为百分点之差（▲上升，▼下降）；单位数按部门计，"
                        "一个部门在任一类别零报送或被点名即计入。")


def _rate_text(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.1%}"


def overview_facts(bulletin: Bulletin) -> list[tuple[str, str]]:
    """The month in sentences, as a bulletin opens."""
    total = bulletin.overview.iloc[-1]
    by_kind = "，".join(f"{row.category} {row.records} 条" for row in bulletin.overview.iloc[:-1].itertuples())
    change = int(total["records_change"])
    trend_word = f"较上月增加 {change} 条" if change > 0 else f"较上月减少 {-change} 条" if change < 0 else "与上月持平"
    return [
        ("报送情况", f"{month_label(bulletin.month)}共报送双公示信息 {total['records']} 条（{by_kind}），{trend_word}。"),
        ("报送质量", f"及时率 {_rate_text(total['timeliness_rate'])}，合规率 {_rate_text(total['compliance_rate'])}，"
                     f"完整率 {_rate_text(total['completeness_rate'])}，"
                     f"实时共享率 {_rate_text(total['realtime_sharing_rate'])}。"),
        ("归集情况", f"应报送单位 {total['owed_units']} 个，其中零报送 {total['zero_delivery_units']} 个；"
                     f"点名通报单位 {total['named_units']} 个；问题数据 {len(bulletin.problems)} 条。"),
    ]


def _named(bulletin: Bulletin) -> Section:
    columns = [*DEPT, REGION, CATEGORY, REASONS, RECORDS, *RATES, REALTIME,
               Column("uscc_error_rate", "重错码率", RATE)]
    return Section(NAMED, tables=[_table(bulletin.named, columns)],
                   note="零报送单位列在最前；点名原因按“零报送、迟报过半、及时率未达标、合规率未达标、完整率未达标、"
                        "重错码率超限”的顺序列出。")


def _departments(bulletin: Bulletin) -> Section:
    columns = [Column("rank", "排名", COUNT), *DEPT, REGION, RECORDS, Column("on_time_records", "按时报送数量", COUNT),
               *RATES, REALTIME, *CODE_ERRORS, Column("named_reasons", "点名原因")]
    return Section(DEPARTMENTS, tables=[_table(bulletin.departments, columns, flag_column="is_named")],
                   note="行政许可与行政处罚合并计算；按及时率从高到低排名，及时率相同者依次比较合规率、完整率，三者均相同者并列；"
                        "当月无报送的单位不参与排名，列于最后。标红行为点名通报单位。")


def _sharing(bulletin: Bulletin) -> Section:
    frame = bulletin.sharing.assign(
        category=lambda f: f["record_kind"].map(_kind_label),
        over_limit=lambda f: f["named_reasons"].str.split(",").apply(lambda r: USCC_ERROR_RATE_EXCEEDED in r),
    ).sort_values(["realtime_sharing_rate", "source_dept_name", "record_kind"], na_position="last")
    columns = [*DEPT, CATEGORY, RECORDS, Column("realtime_records", "实时共享数量", COUNT), REALTIME, *CODE_ERRORS,
               Column("uscc_error_rate", "重错码率", RATE)]
    return Section(SHARING, tables=[_table(frame, columns, flag_column="over_limit")],
                   note=f"{_realtime_rule(bulletin.rules)}；{_uscc_rule(bulletin.rules)}（标红）。按实时共享率从低到高排列。")


def _kind_label(kind: str) -> str:
    return RECORD_KINDS.get(kind, kind)


def _problems(bulletin: Bulletin) -> Section:
    columns = [*DEPT, CATEGORY, Column("doc_no", "决定文书号"), Column("decision_date", "决定日期", DATE),
               Column("submitted_date", "报送日期", DATE), Column("working_days_elapsed", "工作日数", COUNT),
               Column("problem", "问题")]
    return Section(PROBLEMS, tables=[_table(bulletin.problems, columns)],
                   note="逾期、不合规、不完整、错码、码名不符或缺少报送时间的记录；仅列文书号、日期与代码，不含个人信息。")


def _rejected(bulletin: Bulletin) -> Section:
    files = bulletin.rejected_files.assign(
        charged_to=lambda f: f["source_dept_name"].fillna(f["source_dept_code"]).fillna("无法归属（unattributed）"))
    file_columns = [Column("charged_to", "计入单位"), Column("source_dept_code", "部门代码"),
                    Column("file_path", "文件"), Column("charged_month", "计入月份"), Column("reason", "退回原因")]
    rows = bulletin.departments[(bulletin.departments["rejected_files"] > 0) | (bulletin.departments["rejected_rows"] > 0)]
    row_columns = [*DEPT, Column("rejected_files", "退回文件", COUNT), Column("rejected_rows", "退回数据行", COUNT)]
    unattributed = ("无法归属的退回文件（不能读取，或数据来源单位不一）列于最后" if bulletin.shows_unattributed
                    else "无法归属的退回文件不属于任何区域，见全省通报")
    return Section(REJECTED, tables=[_table(files, file_columns, caption="整体退回的文件"),
                                     _table(rows, row_columns, caption="各单位退回文件与退回数据行")],
                   note=f"整体退回的文件计入文件中注明的数据来源单位、最晚报送时间所在月份；{unattributed}。")


def _undated(bulletin: Bulletin) -> Section:
    columns = [*DEPT, CATEGORY, RECORDS]
    return Section(UNDATED, tables=[_table(bulletin.undated, columns)],
                   note="决定日期与报送时间均缺失或无法识别的记录无法归入任何月份，截至统计基准日按单位计数。")


TREND_COLUMNS = [Column("month", "月份"), RECORDS, *RATES, REALTIME, *CODE_ERRORS,
                 Column("zero_delivery_units", "零报送单位", COUNT), Column("named_units", "点名单位", COUNT)]


def _trend(bulletin: Bulletin) -> Section:
    return Section(TREND, tables=[_table(bulletin.trend, TREND_COLUMNS)],
                   note="所选区域整体的逐月数据；图中虚线为目标值。")


# The measures the trend draws, one small chart each: (column, title, the target it is held to).
def trend_measures(bulletin: Bulletin) -> list[tuple[str, str, float | None]]:
    rules = bulletin.rules
    return [*((rate.key, rate.heading, rules.target_of(rate.key)) for rate in [*RATES, REALTIME]),
            ("records", "报送数量", None), ("zero_delivery_units", "零报送单位数", None)]


def title(bulletin: Bulletin) -> str:
    return f"{month_label(bulletin.month)}双公示信息报送月度监测通报"


def region_label(bulletin: Bulletin) -> str:
    if bulletin.region_code is None:
        return "全部区域"
    return f"{bulletin.region_code} {bulletin.region_name}{COVERS.get(bulletin.region_level, '')}"


def _percent(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else "未配置"


def _realtime_rule(rules: BulletinRules) -> str:
    if rules.realtime_sharing_working_days is None:
        return "实时共享规则未配置（dbt_project.yml vars 中无 realtime_sharing_working_days）"
    return (f"自决定之日起{rules.realtime_sharing_working_days}个工作日内报送为实时共享，"
            f"实时共享率目标 {_percent(rules.realtime_sharing_target)}")


def _uscc_rule(rules: BulletinRules) -> str:
    limit = f"{rules.uscc_error_rate_limit:.0%}" if rules.uscc_error_rate_limit is not None else "未配置"
    return f"重错码率 =（错码 + 码名不符）÷ 非自然人记录数，上限 {limit}"


def _obligation_rule(rules: BulletinRules) -> str:
    lookback = (f"前{rules.obligation_lookback_months}个月内" if rules.obligation_lookback_months is not None
                else "此前（回溯月数未配置）")
    return f"报送义务表（seeds/reporting_obligations.csv）所列单位与类别；未列的单位，{lookback}报送过该类信息即为应报送"


def notes(bulletin: Bulletin) -> list[tuple[str, str]]:
    """说明: what the file covers and how the figures are computed (label, text)."""
    start, end = month_bounds(bulletin.month)
    rules = bulletin.rules
    deadline = (f"自行政决定作出之日起{rules.deadline_working_days}个工作日内报送"
                if rules.deadline_working_days is not None else "未配置，以数据仓库的按时标记为准")
    late = (f"逾期记录占比超过 {rules.rectification_late_share:.0%}"
            if rules.rectification_late_share is not None else "逾期记录占比超过所配置的比例")
    return [
        ("标题", title(bulletin)),
        ("监测月份", f"{bulletin.month}（{start.isoformat()} 至 {end.isoformat()}，按报送日期统计；"
                     "报送时间缺失或无法识别的记录计入决定日期所在月份，并计为逾期）"),
        ("区域", region_label(bulletin)),
        ("生成时间", f"{bulletin.generated_at:%Y-%m-%d %H:%M:%S}（北京时间）"),
        ("统计范围", "行政许可与行政处罚（双公示）；比率 = 符合条件的记录数 ÷ 报送数量，合计行由各单位的记录数加总后计算"),
        ("报送时限", deadline),
        ("目标值", f"及时率 {_percent(rules.timeliness_target)}，合规率 {_percent(rules.compliance_target)}，"
                   f"完整率 {_percent(rules.completeness_target)}"),
        ("实时共享", _realtime_rule(rules)),
        ("重错码率", _uscc_rule(rules)),
        ("应报送", _obligation_rule(rules)),
        ("点名通报", f"零报送；迟报过半（{late}）；及时率、合规率、完整率低于目标值；重错码率超过上限"),
        ("问题数据清单", f"共 {len(bulletin.problems)} 条，仅列文书号、日期与代码，不含个人信息"),
    ]
