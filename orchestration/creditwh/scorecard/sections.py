"""What every export shows, once: the sections with their Chinese headings, and the 说明 notes.

Each writer (xlsx, csv, html) renders these; only the cell formatting differs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from creditwh.scorecard.build import Scorecard, quarter_bounds

# Column kinds: how a value is written. rate: fraction in [0, 1] shown as a percentage.
TEXT, COUNT, RATE, SCORE, DATE, FLAG = "text", "count", "rate", "score", "date", "flag"


@dataclass(frozen=True)
class Column:
    key: str  # column of the scorecard's DataFrame
    heading: str
    kind: str = TEXT


@dataclass(frozen=True)
class Section:
    title: str  # sheet name (xlsx), 【title】 (csv), h2 (html)
    frame: pd.DataFrame
    columns: list[Column]
    flag_column: str | None = None  # rows where this is true are highlighted (需整改)

    def rows(self) -> list[list]:
        """Plain Python values (None for missing), in column order."""
        return [[plain(v) for v in row] for row in self.frame[[c.key for c in self.columns]].itertuples(index=False)]

    def flagged(self) -> list[bool]:
        if self.flag_column is None:
            return [False] * len(self.frame)
        return [bool(plain(v)) for v in self.frame[self.flag_column]]


def plain(value):
    """pandas/numpy scalars -> Python values; NA, NaN and NaT -> None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def text(value, kind: str) -> str:
    """A value as text, for csv and html: rates as 93.8%, scores to one decimal, flags 是/否."""
    value = plain(value)
    if value is None:
        return ""
    if kind == RATE:
        return f"{value:.1%}"
    if kind == SCORE:
        return f"{value:.1f}"
    if kind == FLAG:
        return "是" if value else "否"
    if kind == DATE and isinstance(value, date):
        return value.isoformat()
    return str(value)


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


def sections(scorecard: Scorecard) -> list[Section]:
    # Ranks are the marts' province-wide ones; a region selection adds its own rank beside them.
    ranks = [RANK, RANK_IN_SELECTION] if scorecard.region_code else [RANK]
    return [
        Section(DEPARTMENTS, scorecard.departments,
                [*ranks, *DEPT, *REGION, RECORDS, ON_TIME, *RATES, *SCORE_GRADE,
                 Column("needs_rectification", "需整改", FLAG)],
                flag_column="needs_rectification"),
        Section(REGIONS, scorecard.regions, [*ranks, *REGION, RECORDS, *RATES, *SCORE_GRADE]),
        Section(TREND, scorecard.monthly_trend, [*DEPT, Column("month", "月份"), RECORDS, ON_TIME, *RATES]),
        Section(PROBLEMS, scorecard.problems,
                [*DEPT, Column("category", "类别"), Column("doc_no", "决定文书号"),
                 Column("decision_date", "决定日期", DATE), Column("submitted_date", "报送日期", DATE),
                 Column("working_days_elapsed", "工作日数", COUNT), Column("problem", "问题")]),
    ]


def title(scorecard: Scorecard) -> str:
    return f"{scorecard.quarter} 双公示信息报送质量季度评估"


def region_label(scorecard: Scorecard) -> str:
    code = scorecard.region_code
    if code is None:
        return "全部区域"
    if code.endswith("0000"):
        return f"{code} {scorecard.region_name}（含所辖市、县区）"
    if code.endswith("00"):
        return f"{code} {scorecard.region_name}（含所辖县区）"
    return f"{code} {scorecard.region_name}"


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
