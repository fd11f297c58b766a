"""The scorecard's figures beyond the ranking, read from the marts for one quarter and a selection
of regions: 许可/处罚 split and problem counts per department, the change from the previous quarter,
the selection's month-by-month trend, and the units named in the monthly bulletin (点名通报).

Counts are read, rates are pooled from them (never averaged); no rule is computed here.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from creditwh.periods import previous_quarter, quarter_months

# `column` lies in the chosen region ($region) or under it; every region when $region is null.
IN_SELECTED_REGION = """($region is null or {column} in (
    select member_region_code from marts.dim_region_hierarchy where region_code = $region))"""

RECORD_KIND_SPLIT = ("license", "penalty")  # 许可, 处罚

# Per department of the quarter: records and on-time records of each kind, and records by problem type.
# A record can have several problems: the types do not add up to problem_records.
DEPARTMENT_COUNTS = f"""
select
    source_dept_code,
    {", ".join(f"count(*) filter (where record_kind = '{kind}') as {kind}_records, "
               f"count(*) filter (where record_kind = '{kind}' and is_on_time) as {kind}_on_time_records"
               for kind in RECORD_KIND_SPLIT)},
    count(*) filter (where not coalesce(is_on_time, false)) as late_records,
    count(*) filter (where not coalesce(is_compliant, false)) as non_compliant_records,
    count(*) filter (where not coalesce(is_complete, false)) as incomplete_records,
    count(*) filter (where has_uscc_error) as uscc_error_records,
    count(*) filter (where lacks_submission_date) as undated_records,
    count(*) filter (where not (coalesce(is_on_time, false) and coalesce(is_compliant, false)
                                and coalesce(is_complete, false))) as problem_records
from marts.fct_disclosure_timeliness
where period_quarter = $quarter and {IN_SELECTED_REGION.format(column="region_code")}
group by source_dept_code
"""
PROBLEM_COUNTS = ["late_records", "non_compliant_records", "incomplete_records", "uscc_error_records",
                  "undated_records", "problem_records"]
KIND_COUNTS = [f"{kind}_{count}" for kind in RECORD_KIND_SPLIT for count in ("records", "on_time_records")]

# measure -> its change column; rates change in percentage points
CHANGES = {"score": "score_change", "timeliness_rate": "timeliness_change",
           "compliance_rate": "compliance_change", "completeness_rate": "completeness_change"}
TREND_COUNTS = {"on_time_records": "timeliness_rate", "compliant_records": "compliance_rate",
                "complete_records": "completeness_rate"}
TREND_MONTHS = 12


def pooled_rate(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator as floats, NaN (no rate) where there are no records."""
    return numerator.astype("float64") / denominator.astype("float64").where(denominator > 0)


def with_department_counts(con: duckdb.DuckDBPyConnection, selection: dict, departments: pd.DataFrame) -> pd.DataFrame:
    """``departments`` with its kind split (counts and 及时率 per kind) and its problem counts by type."""
    counts = con.execute(DEPARTMENT_COUNTS, selection).df()
    merged = departments.merge(counts, on="source_dept_code", how="left")
    merged[KIND_COUNTS + PROBLEM_COUNTS] = merged[KIND_COUNTS + PROBLEM_COUNTS].fillna(0).astype("int64")
    return with_kind_rates(merged)


def with_kind_rates(frame: pd.DataFrame) -> pd.DataFrame:
    for kind in RECORD_KIND_SPLIT:
        frame[f"{kind}_timeliness_rate"] = pooled_rate(frame[f"{kind}_on_time_records"], frame[f"{kind}_records"])
    frame["late_share"] = pooled_rate(frame["records"] - frame["on_time_records"], frame["records"])
    return frame


def with_changes(current: pd.DataFrame, previous: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``current`` with the previous quarter's score and the change of the score and each rate (rates in
    percentage points); no change where the unit had no records the quarter before."""
    before = previous[keys + list(CHANGES)].rename(columns={m: f"previous_{m}" for m in CHANGES})
    merged = current.merge(before, on=keys, how="left")
    for measure, change in CHANGES.items():
        points = 1 if measure == "score" else 100
        # rounded: a change of 0.0 must not read ▼0.0 from float noise
        merged[change] = ((merged[measure] - merged[f"previous_{measure}"]) * points).astype("float64").round(6)
    return merged


def previous_departments(con: duckdb.DuckDBPyConnection, selection: dict) -> pd.DataFrame:
    return con.execute(
        f"""
        select source_dept_code, {", ".join(CHANGES)}
        from marts.rpt_timeliness_quarterly
        where period_quarter = $quarter and {IN_SELECTED_REGION.format(column="region_code")}
        """,
        {**selection, "quarter": previous_quarter(selection["quarter"])},
    ).df()


def trend_months(quarter: str) -> list[str]:
    """The twelve months ending with the quarter's last: '2025Q4' -> '2025-01' … '2025-12'."""
    quarters = [quarter]
    while len(quarters) * 3 < TREND_MONTHS:
        quarters.insert(0, previous_quarter(quarters[0]))
    return [month for q in quarters for month in quarter_months(q)]


def selection_trend(con: duckdb.DuckDBPyConnection, selection: dict) -> pd.DataFrame:
    """The selection as a whole, month by month over the twelve months ending with the quarter (from
    the first with records): records and the pooled rates; a month without records has 0 records and no rate."""
    months = trend_months(selection["quarter"])
    counts = con.execute(
        f"""
        select strftime(period_month, '%Y-%m') as month, count(*) as records,
               count(*) filter (where is_on_time) as on_time_records,
               count(*) filter (where is_compliant) as compliant_records,
               count(*) filter (where is_complete) as complete_records
        from marts.fct_disclosure_timeliness
        where list_contains($months, strftime(period_month, '%Y-%m'))
          and {IN_SELECTED_REGION.format(column="region_code")}
        group by 1
        """,
        {"months": months, "region": selection["region"]},
    ).df()
    # from the first month with records: the months before the warehouse's data would only draw a flat zero
    months = months[min([months.index(m) for m in counts["month"]], default=len(months) - 1):]
    trend = counts.set_index("month").reindex(months, fill_value=0).rename_axis("month").reset_index()
    for count, rate in TREND_COUNTS.items():
        trend[rate] = pooled_rate(trend[count], trend["records"])
    return trend


def named_units(con: duckdb.DuckDBPyConnection, selection: dict) -> pd.DataFrame | None:
    """Every department-kind-month of the quarter named in the monthly bulletin (点名通报), zero
    delivery (零报送) first; None when the warehouse has no marts.rpt_reporting_coverage_monthly."""
    exists = con.execute("select count(*) from information_schema.tables where table_schema = 'marts' "
                         "and table_name = 'rpt_reporting_coverage_monthly'").fetchone()[0]
    if not exists:
        return None
    return con.execute(
        f"""
        select strftime(period_month, '%Y-%m') as month, source_dept_name, source_dept_code, record_kind,
               records, is_zero_delivery, named_reasons
        from marts.rpt_reporting_coverage_monthly
        where is_named and list_contains($months, strftime(period_month, '%Y-%m'))
          and {IN_SELECTED_REGION.format(column="region_code")}
        order by not is_zero_delivery, month, source_dept_code, record_kind
        """,
        {"months": quarter_months(selection["quarter"]), "region": selection["region"]},
    ).df()
