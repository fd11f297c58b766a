"""The hand-written DuckDB floors: bench/floor.sql, rpt_timeliness_quarterly in one pass from the
extract files, and the per-step floors, the least DuckDB work that each step of `creditwh run`
stands for (a bare scan of the files into tables for landing, floor.sql a section at a time on
those tables for the models, each expectation as one bare query on the pipeline's tables for the
gates, a bare copy of the marts for the publication), each step timed."""

from __future__ import annotations

import csv
import json
import re
import time
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import duckdb

from creditwh.rules import dbt_vars

FLOOR_SQL = Path(__file__).with_name("floor.sql")


def write_calendar(path: Path, first_year: int = 2004) -> Path:
    """The State Council working days chinesecalendar knows, as the floor's input."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["calendar_date", "is_working_day"])
        day = date(first_year, 1, 1)
        while True:
            try:
                working = chinese_calendar.is_workday(day)
            except NotImplementedError:
                break
            writer.writerow([day.isoformat(), "true" if working else "false"])
            day += timedelta(days=1)
    return path


def _scan(files: str, union_by_name: bool = True) -> str:
    return (f"read_csv('{files}', all_varchar = true, header = true, filename = true, "
            f"union_by_name = {str(union_by_name).lower()})")


def floor_script(raw_dir: Path | None, calendar_csv: Path, as_of: date) -> str:
    """floor.sql filled in; without `raw_dir` it reads the landing floor's tables instead of the files."""
    rules = dbt_vars()
    weights = rules["timeliness_score_weights"]
    grade_case = "CASE " + " ".join(
        f"WHEN score >= {t['min_score']} THEN '{t['grade']}'" for t in rules["evaluation_grade_thresholds"]
    ) + " END"
    return FLOOR_SQL.read_text(encoding="utf-8").format(
        **{f"{kind}_source": _scan(f"{raw_dir.as_posix()}/{kind}/*.csv") if raw_dir else f"landed_{kind}"
           for kind in ("license", "penalty")},
        calendar_csv=calendar_csv.as_posix(), as_of=as_of.isoformat(),
        deadline=rules["disclosure_deadline_working_days"], w_timeliness=weights["timeliness"],
        w_compliance=weights["compliance"], w_completeness=weights["completeness"],
        grade_case=grade_case, late_share=rules["rectification_late_share"],
    )


def run_floor(raw_dir: Path, calendar_csv: Path, as_of: date, database: str = ":memory:") -> list[tuple]:
    """The floor's rpt_timeliness_quarterly rows, sorted by quarter and department."""
    con = duckdb.connect(database)
    try:
        con.execute(floor_script(raw_dir, calendar_csv, as_of))
        return con.execute("SELECT * FROM rpt_timeliness_quarterly ORDER BY period_quarter, source_dept_code").fetchall()
    finally:
        con.close()


def landing_floor_sql(raw_dir: Path) -> str:
    """Every extract file the pipeline lands, scanned as text into one table per kind. The generated
    extracts are CSV only, with the canonical header in every file of a kind: columns are matched
    by position, which halves the scan against matching them by name."""
    return "\n".join(f"CREATE TABLE landed_{kind.name} AS SELECT * FROM {_scan(f'{kind.as_posix()}/*.csv', False)};"
                      for kind in sorted(raw_dir.iterdir()) if kind.is_dir())


def floor_sections(script: str) -> dict[str, str]:
    """floor.sql cut at its `-- step: <name>` lines."""
    parts = re.split(r"^-- step: (\w+)$", script, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


def publication_floor(con: duckdb.DuckDBPyConnection, warehouse: Path, out_dir: Path) -> None:
    """What a publication is at least: every marts and public table of `warehouse` copied into a
    DuckDB file and written as Parquet."""
    out_dir.mkdir(parents=True, exist_ok=True)
    con.execute(f"ATTACH '{warehouse.as_posix()}' AS built (READ_ONLY)")
    con.execute(f"ATTACH '{(out_dir / 'published.duckdb').as_posix()}' AS published")
    tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'built' "
                         "AND schema_name IN ('marts', 'public') ORDER BY ALL").fetchall()
    for schema, table in tables:
        con.execute(f'CREATE TABLE published."{schema}__{table}" AS SELECT * FROM built."{schema}"."{table}"')
        con.execute(f"COPY built.\"{schema}\".\"{table}\" TO '{(out_dir / f'{schema}.{table}.parquet').as_posix()}' "
                    "(FORMAT parquet)")
    con.execute("DETACH published")
    con.execute("DETACH built")


QUIET = "SET enable_progress_bar = false"  # the floors' logs are read, not watched
GATES_STEP = "gates"  # the pipeline's Great Expectations checks, one step per gated table, summed


def gate_queries() -> list[tuple[str, list]]:
    """Every expectation of expectations/*.json, on the table it gates, as one bare query counting
    its unexpected rows (with its parameters): the work of the gates without Great Expectations."""
    from creditwh.defs.quality.checks import EXPECTATIONS_DIR, rule_values, suites_of
    from creditwh.quality.gx_duckdb import _resolve  # the suites' references to seeds and vars

    queries = []
    for own_suite in sorted(EXPECTATIONS_DIR.glob("*.*.json")):
        schema, table = own_suite.name.split(".")[:2]
        for suite in suites_of(schema, table):
            for expectation in json.loads(suite.read_text(encoding="utf-8"))["expectations"]:
                kwargs = {key: _resolve(value, rule_values) for key, value in expectation["kwargs"].items()}
                queries.append(_unexpected_rows_sql(expectation["type"], kwargs, schema, table))
    return queries


def _unexpected_rows_sql(kind: str, kwargs: dict, schema: str, table: str) -> tuple[str, list]:
    source = f'"{schema}"."{table}"'
    column = f'"{kwargs.get("column")}"'
    count = f"SELECT count(*) FROM {source} WHERE "
    if kind == "expect_column_values_to_not_be_null":
        return count + f"{column} IS NULL", []
    if kind in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        columns = ", ".join(f'"{c}"' for c in kwargs.get("column_list", [kwargs.get("column")]))
        return (f"SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM {source} GROUP BY {columns} "
                "HAVING count(*) > 1)"), []
    if kind == "expect_column_values_to_be_between":
        bounds = [(f"{column} < ?", kwargs.get("min_value")), (f"{column} > ?", kwargs.get("max_value"))]
        present = [(condition, value) for condition, value in bounds if value is not None]
        return count + " OR ".join(condition for condition, _ in present), [value for _, value in present]
    if kind == "expect_column_values_to_be_in_set":
        values = [str(v).lower() if isinstance(v, bool) else str(v) for v in kwargs["value_set"]]
        return count + f"NOT list_contains(?, CAST({column} AS VARCHAR))", [values]
    if kind == "expect_column_values_to_match_regex":
        return count + f"NOT regexp_matches({column}, ?)", [kwargs["regex"]]
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        operator = ">=" if kwargs.get("or_equal") else ">"
        return count + f'NOT ("{kwargs["column_A"]}" {operator} "{kwargs["column_B"]}")', []
    if kind == "expect_table_columns_to_match_set":
        return "SELECT count(*) FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?", [schema, table]
    if kind == "unexpected_rows_expectation":
        return f"SELECT count(*) FROM ({kwargs['unexpected_rows_query'].replace('{batch}', source)})", []
    raise ValueError(f"no floor for {kind}")


def gates_floor(warehouse: Path, queries: list[tuple[str, list]]) -> None:
    from creditwh.landing.pii import register_sql_functions  # the SQL functions the suites call

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        con.execute(QUIET)
        register_sql_functions(con)
        for sql, parameters in queries:
            con.execute(sql, parameters).fetchall()
    finally:
        con.close()


def run_step_floors(raw_dir: Path, calendar_csv: Path, as_of: date, work_dir: Path, warehouse: Path) -> dict:
    """Seconds of each step's floor, keyed by the pipeline step it stands for, in a file database
    under `work_dir` (the pipeline writes to a file too); `warehouse` is the pipeline's, for the
    publication floor."""
    work_dir.mkdir(parents=True, exist_ok=True)
    database = work_dir / "floor_steps.duckdb"
    database.unlink(missing_ok=True)
    sections = floor_sections(floor_script(None, calendar_csv, as_of))
    queries = gate_queries()  # read and resolved before the clock starts
    steps = {
        "land_extracts": lambda con: con.execute(landing_floor_sql(raw_dir)),
        "dbt_staging": lambda con: con.execute(sections["setup"] + sections["staging"]),
        "dbt_downstream": lambda con: con.execute(sections["downstream"]),
        GATES_STEP: lambda con: gates_floor(warehouse, queries),
        "published__marts": lambda con: publication_floor(con, warehouse, work_dir / "published"),
    }
    seconds: dict[str, float] = {}
    con = duckdb.connect(str(database))
    try:
        con.execute(QUIET)
        for step, work in steps.items():
            started = time.perf_counter()
            work(con)
            con.execute("CHECKPOINT")
            seconds[step] = round(time.perf_counter() - started, 3)
        rows = con.execute("SELECT * FROM rpt_timeliness_quarterly ORDER BY period_quarter, source_dept_code").fetchall()
    finally:
        con.close()
    return {"step_seconds": seconds, "rows": json.loads(json.dumps([list(r) for r in rows], default=str))}
