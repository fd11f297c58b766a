"""Read one quarter's 双公示 evaluation from the marts into a Scorecard (季度评估成绩单)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd

from creditwh import rules
from creditwh.scorecard.reasons import RECORD_KINDS, describe_problems
from creditwh.warehouse.settings import CHINA_TZ

QUARTER_PATTERN = re.compile(r"\d{4}Q[1-4]", re.ASCII)


class ScorecardError(ValueError):
    """A request the warehouse cannot answer: the message is for the person who typed it."""


@dataclass(frozen=True)
class ScoringRules:
    """The rule values the scorecard states (dbt project vars); None where not configured."""

    deadline_working_days: int | None = None
    weights: dict[str, float] | None = None  # {timeliness, compliance, completeness}
    grade_thresholds: list[dict] | None = None  # [{grade, min_score}]
    rectification_late_share: float | None = None  # 需整改 above this share of late records

    @classmethod
    def from_dbt_vars(cls) -> "ScoringRules":
        project_vars = rules.dbt_vars()
        return cls(
            deadline_working_days=project_vars.get("disclosure_deadline_working_days"),
            weights=project_vars.get("timeliness_score_weights"),
            grade_thresholds=project_vars.get("evaluation_grade_thresholds"),
            rectification_late_share=project_vars.get("rectification_late_share"),
        )


def _china_now() -> datetime:
    return datetime.now(CHINA_TZ).replace(microsecond=0)


@dataclass(frozen=True)
class Scorecard:
    quarter: str  # '2025Q4'
    region_code: str | None  # filter, or None for all
    region_name: str | None
    departments: pd.DataFrame  # 部门排名
    regions: pd.DataFrame  # 区域排名
    monthly_trend: pd.DataFrame  # 月度趋势, one row per department and month of the quarter
    problems: pd.DataFrame  # 问题数据清单
    scoring: ScoringRules = field(default_factory=ScoringRules)
    generated_at: datetime = field(default_factory=_china_now)

    def is_empty(self) -> bool:
        return self.departments.empty

    @property
    def months(self) -> list[str]:
        return quarter_months(self.quarter)


def quarter_months(quarter: str) -> list[str]:
    """'2025Q4' -> ['2025-10', '2025-11', '2025-12']."""
    year, q = int(quarter[:4]), int(quarter[5])
    return [f"{year}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """'2025Q4' -> (2025-10-01, 2025-12-31)."""
    year, q = int(quarter[:4]), int(quarter[5])
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return date(year, 3 * q - 2, 1), end - timedelta(days=1)


def region_prefix(region_code: str) -> str:
    """GB/T 2260: a province (xx0000) covers its cities and districts, a city (xxxx00) its districts."""
    if region_code.endswith("0000"):
        return region_code[:2]
    if region_code.endswith("00"):
        return region_code[:4]
    return region_code


def competition_rank(marts_rank: pd.Series) -> pd.Series:
    """Rank within a selection (1, 2, 2, 4 by score desc).

    Ranking the marts' province-wide ranks gives exactly that, and keeps the marts' ties
    (no second float comparison of scores that could disagree with dbt's).
    """
    return marts_rank.rank(method="min").astype("int64")


def load_scorecard(con: duckdb.DuckDBPyConnection, quarter: str, region: str | None = None) -> Scorecard:
    """The scorecard of `quarter` ('2025Q4'), for all regions or one region code and what lies under it."""
    if not isinstance(quarter, str) or not QUARTER_PATTERN.fullmatch(quarter):
        raise ScorecardError(f"bad quarter {quarter!r}: write it as YYYYQn, e.g. 2025Q4 (季度格式为 YYYYQn)")
    try:
        return _load(con, quarter, region.strip() if region else None)
    except duckdb.CatalogException as exc:
        raise ScorecardError(
            f"the warehouse has no scorecard tables yet ({exc}); build it first with `creditwh run`"
        ) from exc


def _load(con: duckdb.DuckDBPyConnection, quarter: str, region: str | None) -> Scorecard:
    region_name = _region_name(con, region) if region else None
    prefix = region_prefix(region) if region else None
    scoring = ScoringRules.from_dbt_vars()

    departments = con.execute(
        """
        select q.rank, q.source_dept_name, q.source_dept_code, q.region_code, r.region_name,
               q.records, q.on_time_records, q.timeliness_rate, q.compliance_rate, q.completeness_rate,
               q.score, q.grade, q.needs_rectification
        from marts.rpt_timeliness_quarterly q
        left join reference.regions r using (region_code)
        where q.period_quarter = $quarter and ($prefix is null or starts_with(q.region_code, $prefix))
        order by q.rank, q.source_dept_code
        """,
        {"quarter": quarter, "prefix": prefix},
    ).df()
    if departments.empty:
        raise ScorecardError(_no_data_message(con, quarter, region, region_name, prefix))
    departments.insert(1, "rank_in_selection", competition_rank(departments["rank"]))

    regions = con.execute(
        """
        select rank, region_code, region_name, records, timeliness_rate, compliance_rate, completeness_rate,
               score, grade
        from marts.rpt_timeliness_quarterly_region
        where period_quarter = $quarter and ($prefix is null or starts_with(region_code, $prefix))
        order by rank, region_code
        """,
        {"quarter": quarter, "prefix": prefix},
    ).df()
    regions.insert(1, "rank_in_selection", competition_rank(regions["rank"]))

    return Scorecard(
        quarter=quarter,
        region_code=region,
        region_name=region_name,
        departments=departments,
        regions=regions,
        monthly_trend=_monthly_trend(con, quarter, departments),
        problems=_problems(con, quarter, prefix, scoring.deadline_working_days),
        scoring=scoring,
    )


def _region_name(con: duckdb.DuckDBPyConnection, region: str) -> str:
    row = con.execute("select region_name from reference.regions where region_code = ?", [region]).fetchone()
    if row:
        return row[0]
    known = con.execute(
        "select region_code || ' ' || region_name from reference.regions "
        "where region_code like '%00' order by region_code"
    ).fetchall()
    listed = "、".join(r[0] for r in known) or "none"
    raise ScorecardError(
        f"unknown region code {region!r} (未知的区域代码): use a 6-digit code of reference.regions, "
        f"e.g. a province or city: {listed}"
    )


def _no_data_message(con, quarter: str, region: str | None, region_name: str | None, prefix: str | None) -> str:
    quarters = [q for (q,) in con.execute(
        """
        select distinct period_quarter from marts.rpt_timeliness_quarterly
        where $prefix is null or starts_with(region_code, $prefix) order by 1
        """,
        {"prefix": prefix},
    ).fetchall()]
    where = f" in {region} {region_name}" if region else ""
    have = ", ".join(quarters) if quarters else "none"
    return f"no 双公示 records for {quarter}{where} (该季度无数据); quarters with data{' there' if region else ''}: {have}"


def _monthly_trend(con: duckdb.DuckDBPyConnection, quarter: str, departments: pd.DataFrame) -> pd.DataFrame:
    """Each department x month of the quarter, licences and penalties pooled: sum counts, then divide."""
    sums = con.execute(
        """
        select source_dept_code, strftime(period_month, '%Y-%m') as month,
               sum(records) as records, sum(on_time_records) as on_time_records,
               sum(compliant_records) as compliant_records, sum(complete_records) as complete_records
        from marts.rpt_timeliness_monthly
        where list_contains($depts, source_dept_code) and list_contains($months, strftime(period_month, '%Y-%m'))
        group by all
        """,
        {"depts": departments["source_dept_code"].tolist(), "months": quarter_months(quarter)},
    ).df()
    # The full grid, so a month without submissions shows as 0 records rather than vanishing.
    grid = departments[["source_dept_name", "source_dept_code"]].merge(
        pd.DataFrame({"month": quarter_months(quarter)}), how="cross"
    )
    trend = grid.merge(sums, on=["source_dept_code", "month"], how="left")
    counts = ["records", "on_time_records", "compliant_records", "complete_records"]
    trend[counts] = trend[counts].fillna(0).astype("int64")
    has_records = trend["records"] > 0
    for rate, count in [("timeliness_rate", "on_time_records"), ("compliance_rate", "compliant_records"),
                        ("completeness_rate", "complete_records")]:
        trend[rate] = (trend[count] / trend["records"]).where(has_records)
    return trend


def _problems(con: duckdb.DuckDBPyConnection, quarter: str, prefix: str | None, deadline: int | None) -> pd.DataFrame:
    """Late, non-compliant or incomplete records. Codes, document numbers and dates only:
    no subject name, identity number or masked person data is ever selected."""
    rows = con.execute(
        """
        select source_dept_name, source_dept_code, record_kind, doc_no, decision_date, submitted_date,
               working_days_elapsed, is_on_time, defects
        from marts.fct_disclosure_timeliness
        where period_quarter = $quarter
          and ($prefix is null or starts_with(region_code, $prefix))
          and not (coalesce(is_on_time, false) and coalesce(is_compliant, false) and coalesce(is_complete, false))
        order by source_dept_name, source_dept_code, doc_no, record_kind
        """,
        {"quarter": quarter, "prefix": prefix},
    ).fetchall()
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
    columns = ["source_dept_name", "source_dept_code", "record_kind", "category", "doc_no", "decision_date",
               "submitted_date", "working_days_elapsed", "problem"]
    problems = pd.DataFrame.from_records(records, columns=columns)
    problems["working_days_elapsed"] = problems["working_days_elapsed"].astype("Int64")
    return problems
