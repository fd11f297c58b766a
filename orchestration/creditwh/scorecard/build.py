"""Read one quarter's 双公示 evaluation from the marts into a Scorecard (季度评估成绩单).

Every figure, rule value and region hierarchy comes from the marts as dbt built them; this
module only selects a quarter and a region, and words the problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pandas as pd

from creditwh.periods import is_quarter, previous_quarter, quarter_months
from creditwh.scorecard.figures import (
    IN_SELECTED_REGION, KIND_COUNTS, PROBLEM_COUNTS, named_units, previous_departments, selection_trend,
    with_changes, with_department_counts, with_kind_rates,
)
from creditwh.scorecard.reasons import PROBLEM_SOURCE_COLUMNS, problem_list
from creditwh.warehouse.settings import now_in_china

# marts.rpt_timeliness_quarterly_region's scopes, in the order a reader meets them: the whole, then its parts
REGION_SCOPES = ("province", "city", "city_own", "district")


class ScorecardError(ValueError):
    """A request the warehouse cannot answer: the message is for the person who typed it."""


@dataclass(frozen=True)
class ScoringRules:
    """The rule values the scorecard states, as the marts were built with them (dbt vars);
    None where not configured."""

    deadline_working_days: int | None = None
    weights: dict[str, float] | None = None  # {timeliness, compliance, completeness}
    grade_thresholds: list[dict] | None = None  # [{grade, min_score}]
    rectification_late_share: float | None = None  # 需整改 above this share of late records

    @classmethod
    def from_marts(cls, con: duckdb.DuckDBPyConnection) -> "ScoringRules":
        cursor = con.execute("select * from marts.rpt_timeliness_evaluation_rules")
        row = cursor.fetchone()
        values = dict(zip([d[0] for d in cursor.description], row)) if row else {}
        # one <rate>_weight column per weighted rate, in the vars' order
        weights = {name.removesuffix("_weight"): value for name, value in values.items() if name.endswith("_weight")}
        grades = con.execute(
            "select grade, min_score from marts.rpt_timeliness_evaluation_grades order by grade_order"
        ).fetchall()
        return cls(
            deadline_working_days=values.get("deadline_working_days"),
            weights=weights or None,
            grade_thresholds=[{"grade": grade, "min_score": score} for grade, score in grades] or None,
            rectification_late_share=values.get("rectification_late_share"),
        )


@dataclass(frozen=True)
class Scorecard:
    quarter: str  # '2025Q4'
    region_code: str | None  # filter, or None for all
    region_name: str | None
    departments: pd.DataFrame  # 部门排名: figures, 许可/处罚 split, problem counts, change from the quarter before
    regions: pd.DataFrame  # 区域排名: one row per region and scope (全省, 全市, 市本级, 县区)
    monthly_trend: pd.DataFrame  # 月度趋势, one row per department and month of the quarter
    problems: pd.DataFrame  # 问题数据清单
    scoring: ScoringRules = field(default_factory=ScoringRules)
    generated_at: datetime = field(default_factory=now_in_china)
    region_level: str | None = None  # province, city or district (marts.dim_region_hierarchy)
    totals: pd.DataFrame | None = None  # 合计: the selection as a whole (its region row), with the departments' sums
    trend: pd.DataFrame | None = None  # the selection as a whole, month by month over twelve months
    named: pd.DataFrame | None = None  # 点名通报 of the quarter's months; None: the warehouse has no coverage mart

    def is_empty(self) -> bool:
        return self.departments.empty

    @property
    def months(self) -> list[str]:
        return quarter_months(self.quarter)

    @property
    def previous_quarter(self) -> str:
        return previous_quarter(self.quarter)


def competition_rank(marts_rank: pd.Series) -> pd.Series:
    """Rank within a selection (1, 2, 2, 4 by score desc).

    Ranking the marts' province-wide ranks gives exactly that, and keeps the marts' ties
    (no second float comparison of scores that could disagree with dbt's).
    """
    return marts_rank.rank(method="min").astype("int64")


def load_scorecard(con: duckdb.DuckDBPyConnection, quarter: str, region: str | None = None) -> Scorecard:
    """The scorecard of `quarter` ('2025Q4'), for all regions or one region code and what lies under it."""
    if not is_quarter(quarter):
        raise ScorecardError(f"bad quarter {quarter!r}: write it as YYYYQn, e.g. 2025Q4 (季度格式为 YYYYQn)")
    try:
        return _load(con, quarter, region.strip() if region else None)
    except duckdb.CatalogException as exc:
        raise ScorecardError(
            f"the warehouse has no scorecard tables yet ({exc}); build it first with `creditwh run`"
        ) from exc


def _load(con: duckdb.DuckDBPyConnection, quarter: str, region: str | None) -> Scorecard:
    region_name, region_level = region_of(con, region) if region else (None, None)
    scoring = ScoringRules.from_marts(con)
    selection = {"quarter": quarter, "region": region}

    departments = _departments(con, selection)
    if departments.empty:
        raise ScorecardError(_no_data_message(con, quarter, region, region_name))
    regions = _regions(con, selection)
    return Scorecard(
        quarter=quarter,
        region_code=region,
        region_name=region_name,
        region_level=region_level,
        departments=departments,
        regions=regions,
        monthly_trend=_monthly_trend(con, quarter, departments),
        problems=_problems(con, selection, scoring.deadline_working_days),
        scoring=scoring,
        totals=_totals(regions, departments, region, region_level),
        trend=selection_trend(con, selection),
        named=named_units(con, selection),
    )


def _departments(con: duckdb.DuckDBPyConnection, selection: dict) -> pd.DataFrame:
    """The quarter's departments in the selection, ranked, with their 许可/处罚 split, problem counts
    and change from the quarter before."""
    departments = con.execute(
        f"""
        select q.rank, q.source_dept_name, q.source_dept_code, q.region_code, d.region_name,
               q.records, q.on_time_records, q.timeliness_rate, q.compliance_rate, q.completeness_rate,
               q.score, q.grade, q.needs_rectification, p.region_code as province_code
        from marts.rpt_timeliness_quarterly q
        left join marts.dim_department d using (source_dept_code)
        left join marts.dim_region_hierarchy p on p.member_region_code = q.region_code and p.region_level = 'province'
        where q.period_quarter = $quarter and {IN_SELECTED_REGION.format(column="q.region_code")}
        order by q.rank, q.source_dept_code
        """,
        selection,
    ).df()
    if departments.empty:
        return departments
    departments.insert(1, "rank_in_selection", competition_rank(departments["rank"]))
    departments = with_department_counts(con, selection, departments)
    return with_changes(departments, previous_departments(con, selection), ["source_dept_code"])


def _regions(con: duckdb.DuckDBPyConnection, selection: dict) -> pd.DataFrame:
    """The region rows in the selection, the whole first, each scope ranked within the selection too,
    with the change from the quarter before."""
    query = f"""
        select region_scope, rank, region_code, region_name, records, on_time_records, timeliness_rate,
               compliance_rate, completeness_rate, score, grade, needs_rectification
        from marts.rpt_timeliness_quarterly_region
        where period_quarter = $quarter and {IN_SELECTED_REGION.format(column="region_code")}
        order by list_position($scopes, region_scope), rank, region_code
        """
    regions = con.execute(query, {**selection, "scopes": list(REGION_SCOPES)}).df()
    previous = con.execute(query, {**selection, "quarter": previous_quarter(selection["quarter"]),
                                   "scopes": list(REGION_SCOPES)}).df()
    regions.insert(2, "rank_in_selection",
                   regions.groupby("region_scope")["rank"].rank(method="min").astype("int64"))
    return with_changes(regions, previous, ["region_code", "region_scope"])


def _totals(regions: pd.DataFrame, departments: pd.DataFrame, region: str | None,
            region_level: str | None) -> pd.DataFrame:
    """合计: the selection's own region row (every province's when no region is chosen), as the mart
    pooled, scored and graded it, with the sums of its departments' kind and problem counts."""
    if region:
        whole = regions[(regions["region_scope"] == region_level) & (regions["region_code"] == region)].copy()
        sums = departments[KIND_COUNTS + PROBLEM_COUNTS].sum().to_frame().T.assign(region_code=region)
    else:
        whole = regions[regions["region_scope"] == "province"].copy()
        sums = (departments.groupby("province_code")[KIND_COUNTS + PROBLEM_COUNTS].sum()
                .rename_axis("region_code").reset_index())
    return with_kind_rates(whole.merge(sums, on="region_code", how="left"))


def region_of(con: duckdb.DuckDBPyConnection, region: str) -> tuple[str, str]:
    """The name and level of a region of seeds/regions.csv (the regions with a name)."""
    row = con.execute(
        """
        select region_name, region_level from marts.dim_region_hierarchy
        where region_code = ? and member_region_code = region_code and region_name is not null
        """,
        [region],
    ).fetchone()
    if row:
        return row
    known = con.execute(
        """
        select region_code || ' ' || region_name from marts.dim_region_hierarchy
        where member_region_code = region_code and region_name is not null and region_level in ('province', 'city')
        order by region_code
        """
    ).fetchall()
    listed = "、".join(r[0] for r in known) or "none"
    raise ScorecardError(
        f"unknown region code {region!r} (未知的区域代码): use a 6-digit code of reference.regions, "
        f"e.g. a province or city: {listed}"
    )


def _no_data_message(con, quarter: str, region: str | None, region_name: str | None) -> str:
    quarters = [q for (q,) in con.execute(
        f"""
        select distinct period_quarter from marts.rpt_timeliness_quarterly
        where {IN_SELECTED_REGION.format(column="region_code")} order by 1
        """,
        {"region": region},
    ).fetchall()]
    where = f" in {region} {region_name}" if region else ""
    have = ", ".join(quarters) if quarters else "none"
    return f"no 双公示 records for {quarter}{where} (该季度无数据); quarters with data{' there' if region else ''}: {have}"


def _monthly_trend(con: duckdb.DuckDBPyConnection, quarter: str, departments: pd.DataFrame) -> pd.DataFrame:
    """Each department x month of the quarter (marts.rpt_timeliness_quarterly_trend), in the departments' order."""
    return con.execute(
        """
        select source_dept_name, source_dept_code, strftime(period_month, '%Y-%m') as month,
               records, on_time_records, compliant_records, complete_records,
               timeliness_rate, compliance_rate, completeness_rate
        from marts.rpt_timeliness_quarterly_trend
        where period_quarter = $quarter and list_contains($depts, source_dept_code)
        order by list_position($depts, source_dept_code), period_month
        """,
        {"quarter": quarter, "depts": departments["source_dept_code"].tolist()},
    ).df()


def _problems(con: duckdb.DuckDBPyConnection, selection: dict, deadline: int | None) -> pd.DataFrame:
    """Late, non-compliant or incomplete records. Codes, document numbers and dates only:
    no subject name, identity number or masked person data is ever selected."""
    rows = con.execute(
        f"""
        select {", ".join(PROBLEM_SOURCE_COLUMNS)}
        from marts.fct_disclosure_timeliness
        where period_quarter = $quarter
          and {IN_SELECTED_REGION.format(column="region_code")}
          and not (coalesce(is_on_time, false) and coalesce(is_compliant, false) and coalesce(is_complete, false))
        order by source_dept_name, source_dept_code, doc_no, record_kind
        """,
        selection,
    ).fetchall()
    return problem_list(rows, deadline)
