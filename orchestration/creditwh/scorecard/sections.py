"""What every export shows, once: the sections with their Chinese headings, and the 说明 notes.

The writers of creditwh.render (xlsx, csv, html) render these.
"""

from __future__ import annotations

import pandas as pd

from creditwh.periods import quarter_bounds
from creditwh.render import COUNT, DATE, FLAG, RATE, SCORE, Column, Section, Table
from creditwh.scorecard.build import Scorecard

RANK = Column("rank", "排名")
RANK_IN_SELECTION = Column("rank_in_selection", "区域内排名")
DEPT = [Column("source_dept_name", "部门"), Column("source_dept_code", "部门代码")]
REGION = [Column("region_code", "区域代码"), Column("region_name", "区域")]
RECORDS = Column("records", "报送数量", COUNT)
ON_TIME = Column("on_time_records", "按时报送数量", COUNT)
RATES = [Column("timeliness_rate", "及时率", RATE), Column("compliance_rate", "合规率", RATE),
         Column("completeness_rate", "完整率", RATE)]
SCORE_GRADE = [Column("score", "得分", SCORE), Column("grade", "等级")]

DEPARTMENTS, REGIONS, TREND, PROBLEMS = "部门排名", "区域排名", "月度趋势", "问题数据清单"


def _section(title: str, frame: pd.DataFrame, columns: list[Column], flag_column: str | None = None) -> Section:
    """One table per section (a sheet in the workbook); a missing value is an empty cell."""
    return Section(title, tables=[Table.of_frame(frame, columns, flag_column, missing="")])


def sections(scorecard: Scorecard) -> list[Section]:
    # Ranks are the marts' province-wide ones; a region selection adds its own rank beside them.
    ranks = [RANK, RANK_IN_SELECTION] if scorecard.region_code else [RANK]
    return [
        _section(DEPARTMENTS, scorecard.departments,
                 [*ranks, *DEPT, *REGION, RECORDS, ON_TIME, *RATES, *SCORE_GRADE,
                  Column("needs_rectification", "需整改", FLAG)],
                 flag_column="needs_rectification"),
        _section(REGIONS, scorecard.regions, [*ranks, *REGION, RECORDS, *RATES, *SCORE_GRADE]),
        _section(TREND, scorecard.monthly_trend, [*DEPT, Column("month", "月份"), RECORDS, ON_TIME, *RATES]),
        _section(PROBLEMS, scorecard.problems,
                 [*DEPT, Column("category", "类别"), Column("doc_no", "决定文书号"),
                  Column("decision_date", "决定日期", DATE), Column("submitted_date", "报送日期", DATE),
                  Column("working_days_elapsed", "工作日数", COUNT), Column("problem", "问题")]),
    ]


def title(scorecard: Scorecard) -> str:
    return f"{scorecard.quarter} 双公示信息报送质量季度评估"


# what a region selection covers besides the region itself (marts.dim_region_hierarchy's levels)
COVERS = {"province": "（含所辖市、县区）", "city": "（含所辖县区）"}


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
    rectify = (f"逾期报送的记录占比超过 {rules.rectification_late_share:.0%} 的单位（标红显示）"
               if rules.rectification_late_share is not None
               else "未配置（dbt_project.yml vars 中无 rectification_late_share），以数据仓库的需整改标记为准（标红显示）")
    rank_rule = "按得分从高到低排名，得分相同者并列（1、2、2、4）；排名为全省排名"
    if scorecard.region_code:
        rank_rule += "，区域内排名为所选区域内的排名"
    return [
        ("标题", title(scorecard)),
        ("评估季度", f"{scorecard.quarter}（{start.isoformat()} 至 {end.isoformat()}，按报送日期统计）"),
        ("区域", region_label(scorecard)),
        ("生成时间", f"{scorecard.generated_at:%Y-%m-%d %H:%M:%S}（北京时间）"),
        ("统计范围", "行政许可与行政处罚（双公示）合并计算；比率 = 符合条件的记录数 ÷ 报送数量"),
        ("报送时限", deadline),
        ("得分", _score_rule(rules.weights)),
        ("等级", _grade_rule(rules.grade_thresholds)),
        ("排名", rank_rule),
        ("需整改", rectify),
        ("问题数据清单", f"逾期、不合规或不完整的记录共 {len(scorecard.problems)} 条，"
                         "仅列文书号、日期与代码，不含个人信息"),
    ]
