"""Read one month's 双公示 monitoring from the marts into a Bulletin (月度监测通报).

Every count, rate, reason and rule value comes from the marts as dbt built them
(marts.rpt_reporting_coverage_monthly and the tables beside it); this module only selects a
month and a region, adds counts up over a region, and words the problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pandas as pd

from creditwh.periods import is_month, month_start, months_up_to, previous_month
# the region selection and its look-up are the scorecard's: one meaning of "a region and what lies under it"
from creditwh.scorecard.build import IN_SELECTED_REGION, ScorecardError
from creditwh.scorecard.build import region_of  # one region look-up, and its refusal, for both
from creditwh.scorecard.reasons import PROBLEM_SOURCE_COLUMNS, RECORD_KINDS, problem_list
from creditwh.warehouse.settings import now_in_china

TREND_MONTHS = 12
ZERO_DELIVERY = "零报送"  # the first 点名通报 reason (rules.md), listed first

# Counts of marts.rpt_reporting_coverage_monthly that add up over departments and kinds.
SUMMED = ["records", "on_time_records", "compliant_records", "complete_records", "realtime_records",
          "uscc_errors", "name_mismatches", "records_without_submission_date", "rejected_files", "rejected_rows"]
# Each pooled rate and the count it is the share of: rates are recomputed from summed counts, never averaged.
POOLED_RATES = {"timeliness_rate": "on_time_records", "compliance_rate": "compliant_records",
                "completeness_rate": "complete_records", "realtime_sharing_rate": "realtime_records"}


class BulletinError(ValueError):
    """A request the warehouse cannot answer: the message is for the person who typed it."""


@dataclass(frozen=True)
class BulletinRules:
    """The targets and limits the bulletin states, as the marts were built with them (dbt vars);
    None where not configured."""

    deadline_working_days: int | None = None
    realtime_sharing_working_days: int | None = None
    realtime_sharing_target: float | None = None
    timeliness_target: float | None = None
    compliance_target: float | None = None
    completeness_target: float | None = None
    uscc_error_rate_limit: float | None = None
    rectification_late_share: float | None = None
    obligation_lookback_months: int | None = None

    @classmethod
    def from_marts(cls, con: duckdb.DuckDBPyConnection) -> "BulletinRules":
        values = {**_one_row(con, "marts.rpt_timeliness_evaluation_rules"),
                  **_one_row(con, "marts.rpt_reporting_coverage_rules")}
        return cls(**{name: values.get(name) for name in cls.__dataclass_fields__})

    def target_of(self, rate: str) -> float | None:
        """The target of a rate column ('timeliness_rate' -> timeliness_target)."""
        if rate == "realtime_sharing_rate":
            return self.realtime_sharing_target
        return getattr(self, rate.replace("_rate", "_target"), None)


def _one_row(con: duckdb.DuckDBPyConnection, table: str) -> dict:
    cursor = con.execute(f"select * from {table}")
    row = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], row)) if row else {}


@dataclass(frozen=True)
class Bulletin:
    month: str  # '2026-03'
    region_code: str | None  # filter, or None for all
    region_name: str | None
    overview: pd.DataFrame  # 总体情况: 许可, 处罚 and 合计, this month and the month before
    named: pd.DataFrame  # 点名通报: one row per named department and kind, 零报送 first
    departments: pd.DataFrame  # 部门排名: kinds pooled per department
    sharing: pd.DataFrame  # 重错码与实时共享: per department and kind
    problems: pd.DataFrame  # 问题数据清单
    rejected_files: pd.DataFrame  # 退回文件: files rejected whole, charged or unattributed
    undated: pd.DataFrame  # 无法归期: records with neither date, per department
    trend: pd.DataFrame  # 近12个月趋势: the region as a whole, one row per month
    rules: BulletinRules = field(default_factory=BulletinRules)
    generated_at: datetime = field(default_factory=now_in_china)
    region_level: str | None = None  # province, city or district (marts.dim_region_hierarchy)

    @property
    def previous_month(self) -> str:
        return previous_month(self.month)

    @property
    def shows_unattributed(self) -> bool:
        return shows_unattributed(self.region_code, self.region_level)


def shows_unattributed(region: str | None, region_level: str | None) -> bool:
    """Files charged to nobody belong to no region: the province-wide bulletin lists them."""
    return region is None or region_level == "province"


def load_bulletin(con: duckdb.DuckDBPyConnection, month: str, region: str | None = None) -> Bulletin:
    """The bulletin of `month` ('2026-03'), for all regions or one region code and what lies under it."""
    if not is_month(month):
        raise BulletinError(f"bad month {month!r}: write it as YYYY-MM, e.g. 2026-03 (月份格式为 YYYY-MM)")
    try:
        return _load(con, month, region.strip() if region else None)
    except ScorecardError as exc:  # the region look-up is the scorecard's
        raise BulletinError(str(exc)) from exc
    except duckdb.CatalogException as exc:
        raise BulletinError(
            f"the warehouse has no bulletin tables yet ({exc}); build it first with `creditwh run`"
        ) from exc


def _load(con: duckdb.DuckDBPyConnection, month: str, region: str | None) -> Bulletin:
    region_name, region_level = region_of(con, region) if region else (None, None)
    rules = BulletinRules.from_marts(con)
    coverage = _coverage(con, months_up_to(month, TREND_MONTHS), region)
    this_month = coverage[coverage["month"] == month]
    if this_month.empty:
        raise BulletinError(_no_data_message(con, month, region, region_name))
    selection = {"month": month_start(month), "region": region}
    return Bulletin(
        month=month,
        region_code=region,
        region_name=region_name,
        region_level=region_level,
        overview=overview(coverage, month),
        named=named_units(this_month),
        departments=department_ranking(this_month),
        sharing=this_month[this_month["records"] > 0].sort_values(["source_dept_name", "source_dept_code",
                                                                     "record_kind"]),
        problems=_problems(con, selection, rules.deadline_working_days),
        rejected_files=_rejected_files(con, selection, shows_unattributed(region, region_level)),
        undated=_undated(con, region),
        trend=trend(coverage, months_up_to(month, TREND_MONTHS)),
        rules=rules,
    )


def _coverage(con: duckdb.DuckDBPyConnection, months: list[str], region: str | None) -> pd.DataFrame:
    """The department x kind x month rows of the months shown, in the region."""
    return con.execute(
        f"""
        select strftime(c.period_month, '%Y-%m') as month, c.*, r.region_name
        from marts.rpt_reporting_coverage_monthly c
        -- the region's name, also for a department that never delivered (not in dim_department)
        left join marts.dim_region_hierarchy r on r.region_code = c.region_code and r.member_region_code = c.region_code
        where c.period_month between $first and $last and {IN_SELECTED_REGION.format(column="c.region_code")}
        """,
        {"first": month_start(months[0]), "last": month_start(months[-1]), "region": region},
    ).df()


def _no_data_message(con, month: str, region: str | None, region_name: str | None) -> str:
    first, last, count = con.execute(
        f"""
        select strftime(min(period_month), '%Y-%m'), strftime(max(period_month), '%Y-%m'),
               count(distinct period_month)
        from marts.rpt_reporting_coverage_monthly
        where {IN_SELECTED_REGION.format(column="region_code")}
        """,
        {"region": region},
    ).fetchone()
    where = f" in {region} {region_name}" if region else ""
    have = f"{first} … {last} ({count} months)" if count else "none"
    return f"no 双公示 records or delivery obligations for {month}{where} (该月无数据); months with data" \
           f"{' there' if region else ''}: {have}"


def pooled(rows: pd.DataFrame) -> dict:
    """Counts summed, rates recomputed from them (NULL over no records), units counted."""
    sums = {column: int(rows[column].sum()) for column in SUMMED}
    rates = {rate: (sums[count] / sums["records"] if sums["records"] else None) for rate, count in POOLED_RATES.items()}
    units = {
        "owed_units": int(rows.loc[rows["is_owed"].astype(bool), "source_dept_code"].nunique()),
        "delivering_units": int(rows.loc[rows["records"] > 0, "source_dept_code"].nunique()),
        "zero_delivery_units": int(rows.loc[rows["is_zero_delivery"].astype(bool), "source_dept_code"].nunique()),
        "named_units": int(rows.loc[rows["is_named"].astype(bool), "source_dept_code"].nunique()),
    }
    return {**sums, **rates, **units}


OVERVIEW_KINDS = [("license", RECORD_KINDS.get("license", "license")),
                  ("penalty", RECORD_KINDS.get("penalty", "penalty")), (None, "合计")]


def overview(coverage: pd.DataFrame, month: str) -> pd.DataFrame:
    """许可, 处罚 and both (合计, last): this month's figures, the month before's, and the change."""
    before = previous_month(month)
    rows = []
    for kind, label in OVERVIEW_KINDS:
        of_kind = coverage if kind is None else coverage[coverage["record_kind"] == kind]
        now, then = pooled(of_kind[of_kind["month"] == month]), pooled(of_kind[of_kind["month"] == before])
        row = {"record_kind": kind or "total", "category": label, **now,
               "previous_records": then["records"], "records_change": now["records"] - then["records"]}
        for rate in POOLED_RATES:  # a rate's change in percentage points
            row[f"previous_{rate}"] = then[rate]
            row[f"{rate}_change"] = None if now[rate] is None or then[rate] is None else 100 * (now[rate] - then[rate])
        rows.append(row)
    return pd.DataFrame(rows)


def named_units(this_month: pd.DataFrame) -> pd.DataFrame:
    """Every named department and kind with its reasons (the mart's words and order), 零报送 first."""
    named = this_month[this_month["is_named"].astype(bool)].copy()
    named["zero_first"] = ~named["named_reasons"].str.split(",").apply(lambda reasons: ZERO_DELIVERY in reasons)
    named["category"] = named["record_kind"].map(lambda kind: RECORD_KINDS.get(kind, kind))
    named["reasons"] = named["named_reasons"].str.replace(",", "、")
    return named.sort_values(["zero_first", "source_dept_name", "source_dept_code", "record_kind"]).drop(
        columns="zero_first").reset_index(drop=True)


RANKED_BY = ["timeliness_rate", "compliance_rate", "completeness_rate"]  # 部门排名: 及时率 first


def department_ranking(this_month: pd.DataFrame) -> pd.DataFrame:
    """Kinds pooled per department, ranked by 及时率, then 合规率, then 完整率 (equal on all three: the same
    rank, 1, 2, 2, 4); a department without records that month last, unranked. Its 点名 reasons by kind."""
    rows = []
    for (code, name, region_code, region_name), group in this_month.groupby(
            ["source_dept_code", "source_dept_name", "region_code", "region_name"], dropna=False, sort=False):
        named = group[group["is_named"].astype(bool)].sort_values("record_kind")
        reasons = "；".join(f"{RECORD_KINDS.get(kind, kind)}：{text.replace(',', '、')}"
                           for kind, text in zip(named["record_kind"], named["named_reasons"]))
        rows.append({"source_dept_code": code, "source_dept_name": name, "region_code": region_code,
                     "region_name": region_name, **pooled(group), "is_named": not named.empty,
                     "named_reasons": reasons})
    ranking = pd.DataFrame(rows).sort_values(
        [*RANKED_BY, "source_dept_name", "source_dept_code"], ascending=[False] * 3 + [True] * 2,
        na_position="last").reset_index(drop=True)
    ranked = ranking["records"] > 0
    # a department's rank: 1 + the departments strictly better on (及时率, 合规率, 完整率)
    keys = list(ranking.loc[ranked, RANKED_BY].itertuples(index=False, name=None))
    ranking["rank"] = pd.Series([keys.index(key) + 1 for key in keys], index=ranking.index[ranked], dtype="Int64")
    return ranking[["rank", *ranking.columns.drop("rank")]]


def trend(coverage: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """The region as a whole, month by month (a month without rows: no records, rates empty)."""
    return pd.DataFrame([{"month": m, **pooled(coverage[coverage["month"] == m])} for m in months])


def _problems(con: duckdb.DuckDBPyConnection, selection: dict, deadline: int | None) -> pd.DataFrame:
    """Late, non-compliant, incomplete, code-error (错码, 码名不符) or undated records of the month. Codes,
    document numbers and dates only: no subject name, identity number or masked person data is selected."""
    rows = con.execute(
        f"""
        select * replace (
            -- 码名不符 said as a defect code (seeds/defect_codes.csv words it)
            concat_ws(',', nullif(defects, ''), case when has_name_mismatch then '{NAME_MISMATCH}' end) as defects)
        from (
            select {", ".join(PROBLEM_SOURCE_COLUMNS)}, has_name_mismatch
            from marts.fct_disclosure_timeliness
            where period_month = $month
              and {IN_SELECTED_REGION.format(column="region_code")}
              and not (coalesce(is_on_time, false) and coalesce(is_compliant, false) and coalesce(is_complete, false)
                       and not coalesce(has_uscc_error, true) and not coalesce(has_name_mismatch, true)
                       and submitted_date is not null)
        )
        order by source_dept_name, source_dept_code, record_kind, doc_no
        """,
        selection,
    ).fetchall()
    return problem_list([row[:-1] for row in rows], deadline)


NAME_MISMATCH = "MISMATCH:subject_name"  # 码名不符


def _rejected_files(con: duckdb.DuckDBPyConnection, selection: dict, with_unattributed: bool) -> pd.DataFrame:
    """Files rejected whole in the month, charged to a department of the region; and, province-wide,
    the files charged to nobody (`unattributed`, with this month or none)."""
    return con.execute(
        f"""
        select charged_dept_name as source_dept_name,
               nullif(charged_dept_code, 'unattributed') as source_dept_code, file_path, record_kind, reason,
               strftime(charged_month, '%Y-%m') as charged_month
        from marts.rpt_rejected_files
        where (charged_dept_code <> 'unattributed' and charged_month = $month
               and {IN_SELECTED_REGION.format(column="region_code")})
           or (charged_dept_code = 'unattributed' and $unattributed and coalesce(charged_month, $month) = $month)
        order by charged_dept_code = 'unattributed', source_dept_name, file_path
        """,
        {**selection, "unattributed": with_unattributed},
    ).df()


def _undated(con: duckdb.DuckDBPyConnection, region: str | None) -> pd.DataFrame:
    """无法归期: records with neither a decision nor a submission date, per department and kind."""
    return con.execute(
        f"""
        select source_dept_name, source_dept_code, record_kind, records
        from marts.rpt_records_without_period
        where {IN_SELECTED_REGION.format(column="region_code")}
        order by source_dept_name, source_dept_code, record_kind
        """,
        {"region": region},
    ).df().assign(category=lambda f: f["record_kind"].map(lambda kind: RECORD_KINDS.get(kind, kind)))
