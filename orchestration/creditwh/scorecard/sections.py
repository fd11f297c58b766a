"""What every export shows, once: the sections with their Chinese headings, and the 说明 notes.

The writers of creditwh.render (xlsx, csv, html) render these.
"""

from __future__ import annotations

import pandas as pd

from creditwh.labels import label
from creditwh.periods import quarter_bounds
from creditwh.render import CHANGE, COUNT, DATE, FLAG, RATE, SCORE, Column, Section, Table, plain
from creditwh.scorecard.build import Scorecard

RANK = Column("rank", "排名", COUNT)
RANK_IN_SELECTION = Column("rank_in_selection", "区域内排名", COUNT)
DEPT_NAME, DEPT_CODE = Column("source_dept_name", "部门"), Column("source_dept_code", "部门代码")
DEPT = [DEPT_NAME, DEPT_CODE]
REGION = [Column("region_code", "区域代码"), Column("region_name", "区域")]
SCOPE = Column("region_scope", "口径", labels="region_scope")
RECORDS = Column("records", "报送数量", COUNT)
ON_TIME = Column("on_time_records", "按时报送数量", COUNT)
TIMELINESS = Column("timeliness_rate", "及时率", RATE)
RATES = [TIMELINESS, Column("compliance_rate", "合规率", RATE), Column("completeness_rate", "完整率", RATE)]
SCORE_GRADE = [Column("score", "得分", SCORE), Column("grade", "等级")]
# 许可 and 处罚 beside the pooled figures
KIND_WORDS = {"license": "许可", "penalty": "处罚"}
KIND_SPLIT = [column for kind, word in KIND_WORDS.items() for column in (
    Column(f"{kind}_records", f"{word}数量", COUNT), Column(f"{kind}_timeliness_rate", f"{word}及时率", RATE))]
SCORE_CHANGE = Column("score_change", "得分环比", CHANGE)
LATE_SHARE = Column("late_share", "逾期占比", RATE)
NEEDS_RECTIFICATION = Column("needs_rectification", "需整改", FLAG)
CHANGE_COLUMNS = [
    Column("score", "得分", SCORE), Column("previous_score", "上季度得分", SCORE), SCORE_CHANGE,
    TIMELINESS, Column("timeliness_change", "及时率环比（百分点）", CHANGE),
    Column("compliance_rate", "合规率", RATE), Column("compliance_change", "合规率环比（百分点）", CHANGE),
    Column("completeness_rate", "完整率", RATE), Column("completeness_change", "完整率环比（百分点）", CHANGE),
]
PROBLEM_COLUMNS = [Column("late_records", "逾期", COUNT), Column("non_compliant_records", "不合规", COUNT),
                   Column("incomplete_records", "不完整", COUNT), Column("uscc_error_records", "错码", COUNT),
                   Column("undated_records", "未填报送时间", COUNT), Column("problem_records", "问题记录", COUNT)]
NAMED_COLUMNS = [Column("month", "月份"), *DEPT, Column("record_kind", "类别", labels="record_kind"), RECORDS,
                 Column("named_reasons", "点名原因")]
# the charts of the selection's trend: (column of Scorecard.trend, measure, y axis format, y axis bounds)
TREND_CHARTS = [("timeliness_rate", "及时率", "0%", (0, 1)), ("compliance_rate", "合规率", "0%", (0, 1)),
                ("completeness_rate", "完整率", "0%", (0, 1)), ("records", "报送数量", "0", (0, None))]
WHOLE_TREND_COLUMNS = [Column("month", "月份"), RECORDS, ON_TIME, *RATES]

(DEPARTMENTS, REGIONS, CHANGES, PROBLEM_TYPES, NAMED, WHOLE_TREND, TREND, PROBLEMS) = (
    "部门排名", "区域排名", "环比变化", "问题分类", "点名通报", "整体趋势", "月度趋势", "问题数据清单")


def _section(title: str, frame: pd.DataFrame, columns: list[Column], flag_column: str | None = None,
             totals: list[list] | None = None, note: str | None = None) -> Section:
    """One table per section (a sheet in the workbook); a missing value is an empty cell."""
    table = Table.of_frame(frame, columns, flag_column, missing="", totals=totals or [])
    return Section(title, tables=[table], note=note)


def _total_rows(scorecard: Scorecard, columns: list[Column]) -> list[list]:
    """合计 rows in ``columns``' order: the selection as a whole, named in the department column."""
    if scorecard.totals is None:
        return []
    rows = []
    for whole in scorecard.totals.to_dict("records"):
        # a whole has no department rank, code or region column of its own: its label says what it is
        blank = dict.fromkeys([RANK.key, RANK_IN_SELECTION.key, DEPT_CODE.key, "region_name"])
        named = {**whole, **blank, DEPT_NAME.key: total_label(whole)}
        rows.append([plain(named.get(column.key)) for column in columns])  # NaN (no rate, no change): None
    return rows


def total_label(whole: dict) -> str:
    """合计 淄博市（全市）."""
    return f"合计 {whole.get('region_name') or whole['region_code']}（{label('region_scope', whole['region_scope'])}）"


def sections(scorecard: Scorecard) -> list[Section]:
    # Ranks are the marts' province-wide ones; a region selection adds its own rank beside them.
    ranks = [RANK, RANK_IN_SELECTION] if scorecard.region_code else [RANK]
    ranking = [*ranks, *DEPT, Column("region_name", "区域"), RECORDS, ON_TIME, TIMELINESS, *KIND_SPLIT, *RATES[1:],
               *SCORE_GRADE, SCORE_CHANGE, LATE_SHARE, NEEDS_RECTIFICATION]
    changes, problem_types = [*DEPT, *CHANGE_COLUMNS], [*DEPT, RECORDS, *PROBLEM_COLUMNS]
    return [
        _section(DEPARTMENTS, scorecard.departments, ranking, "needs_rectification",
                 _total_rows(scorecard, ranking)),
        _section(REGIONS, scorecard.regions,
                 [SCOPE, *ranks, *REGION, RECORDS, *RATES, *SCORE_GRADE, SCORE_CHANGE, NEEDS_RECTIFICATION],
                 "needs_rectification", note=REGION_NOTE),
        _section(CHANGES, scorecard.departments, changes, totals=_total_rows(scorecard, changes),
                 note=f"与上一季度（{scorecard.previous_quarter}）比较；▲ 上升，▼ 下降；上季度无记录的单位不比较（空白）"),
        _section(PROBLEM_TYPES, scorecard.departments, problem_types, totals=_total_rows(scorecard, problem_types),
                 note="一条记录可有多类问题，各类之和可大于问题记录数；未填报送时间的记录按决定日期归期并计为逾期"),
        _named_section(scorecard),
        _section(WHOLE_TREND, scorecard.trend, WHOLE_TREND_COLUMNS,
                 note=f"{region_label(scorecard)}整体，截至 {scorecard.quarter} 的至多十二个月（自有数据的首月起），"
                      "按月合并计算"),
        _section(TREND, scorecard.monthly_trend, [*DEPT, Column("month", "月份"), RECORDS, ON_TIME, *RATES]),
        _section(PROBLEMS, scorecard.problems,
                 [*DEPT, Column("category", "类别"), Column("doc_no", "决定文书号"),
                  Column("decision_date", "决定日期", DATE), Column("submitted_date", "报送日期", DATE),
                  Column("working_days_elapsed", "工作日数", COUNT), Column("problem", "问题")]),
    ]


REGION_NOTE = ("全省、全市（市本级与所辖县区合计）、市本级、县区各自排名；"
               "排名为同口径排名，区域内排名为所选区域内同口径的排名")


def _named_section(scorecard: Scorecard) -> Section:
    if scorecard.named is None:
        return Section(NAMED, tables=[Table(NAMED_COLUMNS, [], missing="")],
                       note="数据仓库尚无月度报送覆盖表（marts.rpt_reporting_coverage_monthly），"
                            "零报送与点名单位无法列出；请先以当前版本运行 creditwh run")
    zero = int(scorecard.named["is_zero_delivery"].sum())
    return _section(NAMED, scorecard.named, NAMED_COLUMNS,
                    note=f"本季度各月月度监测点名的部门与类别，零报送在前（零报送 {zero} 个部门·类别·月）")


def title(scorecard: Scorecard) -> str:
    return f"{scorecard.quarter} 双公示信息报送质量季度评估"


# what a region selection covers besides the region itself (marts.dim_region_hierarchy's levels)
COVERS = {"province": "（含所辖市、县区）", "city": "（含所辖县区）"}


def whole_name(scorecard: Scorecard) -> str:
    """The selection in a chart's title: 淄博市, or 全部区域."""
    return scorecard.region_name or scorecard.region_code or "全部区域"


def region_label(scorecard: Scorecard) -> str:
    if scorecard.region_code is None:
        return "全部区域"
    return f"{scorecard.region_code} {scorecard.region_name}{COVERS.get(scorecard.region_level, '')}"


_WEIGHT_NAMES = {"timeliness": "及时率", "compliance": "合规率", "completeness": "完整率"}


def _score_rule(weights: dict[str, float] | None) -> str:
    if not weights:
        return "评分权重未配置（dbt_project.yml vars 中无 timeliness_score_weights），得分取自数据仓库"
    terms = " + ".join(f"{w:g} × {_WEIGHT_NAMES.get(k, k)}" for k, w in weights.items())
    return f"得分 = 100 ×（{terms}）"


def _grade_rule(thresholds: list[dict] | None) -> str:
    if not thresholds:
        return "等级阈值未配置（dbt_project.yml vars 中无 evaluation_grade_thresholds）"
    ordered = sorted(thresholds, key=lambda t: t.get("min_score") or 0, reverse=True)
    return "；".join(
        f"{t.get('grade')}：得分 ≥ {t['min_score']:g}" if t.get("min_score") else f"{t.get('grade')}：其余"
        for t in ordered
    )


def notes(scorecard: Scorecard) -> list[tuple[str, str]]:
    """说明: what the file covers and how the figures are computed (label, text)."""
    start, end = quarter_bounds(scorecard.quarter)
    rules = scorecard.scoring
    deadline = (f"自行政决定作出之日起{rules.deadline_working_days}个工作日内报送"
                if rules.deadline_working_days is not None
                else "未配置（dbt_project.yml vars 中无 disclosure_deadline_working_days），以数据仓库的按时标记为准")
    rectify = (f"逾期报送的记录占比超过 {rules.rectification_late_share:.0%} 的单位（标红显示；各单位的逾期占比见部门排名）"
               if rules.rectification_late_share is not None
               else "未配置（dbt_project.yml vars 中无 rectification_late_share），以数据仓库的需整改标记为准（标红显示）")
    rank_rule = "按得分从高到低排名，得分相同者并列（1、2、2、4）；部门排名为全省排名，区域按口径分别排名"
    if scorecard.region_code:
        rank_rule += "，区域内排名为所选区域内的排名"
    return [
        ("标题", title(scorecard)),
        ("评估季度", f"{scorecard.quarter}（{start.isoformat()} 至 {end.isoformat()}，按报送日期统计）"),
        ("区域", region_label(scorecard)),
        ("生成时间", f"{scorecard.generated_at:%Y-%m-%d %H:%M:%S}（北京时间）"),
        ("统计范围", "行政许可与行政处罚（双公示）合并计算，并分列许可、处罚的数量与及时率；"
                     "比率 = 符合条件的记录数 ÷ 报送数量；未填报送时间的记录按决定日期归期并计为逾期"),
        ("报送时限", deadline),
        ("得分", _score_rule(rules.weights)),
        ("等级", _grade_rule(rules.grade_thresholds)),
        ("排名", rank_rule),
        ("需整改", rectify),
        ("环比", f"与上一季度（{scorecard.previous_quarter}）比较：得分之差；比率之差以百分点计；▲ 上升，▼ 下降"),
        ("问题数据清单", f"逾期、不合规或不完整的记录共 {len(scorecard.problems)} 条，"
                         "仅列文书号、日期与代码，不含个人信息"),
    ]
