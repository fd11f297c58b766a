"""The scorecard asset sits below every mart the scorecard reads, so Dagster's lineage is true."""

from __future__ import annotations

import re
from pathlib import Path

import creditwh
from creditwh.defs.scorecards.assets import MARTS_READ


def test_the_scorecard_asset_depends_on_the_marts_the_scorecard_reads():
    readers = [Path(creditwh.__file__).parent / "scorecard" / name for name in ("build.py", "figures.py")]
    read = {table for path in readers for table in re.findall(r"\bmarts\.(\w+)", path.read_text(encoding="utf-8"))}
    assert {key.path[-1] for key in MARTS_READ} == read


EMPTY_MARTS = """
create schema marts;
create table marts.dim_region_hierarchy (region_code varchar, region_name varchar, region_level varchar,
    member_region_code varchar);
create table marts.rpt_timeliness_evaluation_rules as select 7 as deadline_working_days;
create table marts.rpt_timeliness_evaluation_grades (grade_order integer, grade varchar, min_score double);
create table marts.dim_department (source_dept_code varchar, region_name varchar);
create table marts.rpt_timeliness_quarterly (period_quarter varchar, rank bigint, source_dept_name varchar,
    source_dept_code varchar, region_code varchar, records bigint, on_time_records bigint, timeliness_rate double,
    compliance_rate double, completeness_rate double, score double, grade varchar, needs_rectification boolean);
insert into marts.rpt_timeliness_quarterly (period_quarter, source_dept_code, region_code)
values ('2025Q4', '11370100MB0000001A', '370100');
"""


def test_an_empty_quarter_fails_with_its_reason_not_a_traceback(tmp_path, monkeypatch):
    import dagster as dg
    import duckdb

    from creditwh.defs.resources import WarehouseResource
    from creditwh.defs.scorecards.assets import timeliness_scorecard

    monkeypatch.setenv("CREDIT_DAGSTER_HOME", str(tmp_path / "dagster_home"))
    with duckdb.connect(str(tmp_path / "credit.duckdb")) as con:
        con.execute(EMPTY_MARTS)
    warehouse = WarehouseResource(warehouse_path=str(tmp_path / "credit.duckdb"), as_of="2026-03-31")
    result = dg.materialize([timeliness_scorecard], partition_key="2025Q1", resources={"warehouse": warehouse},
                            raise_on_error=False)
    assert not result.success
    (failure,) = [e for e in result.get_step_failure_events()]
    error = failure.step_failure_data.user_failure_data
    assert error.description == ("双公示季度评估 2025Q1: no 双公示 records for 2025Q1 (该季度无数据); "
                                 "quarters with data: 2025Q4")
