"""What a warehouse holds, table by table, for telling whether two builds are the same: a run killed
and rerun against an uninterrupted one (tests/e2e/test_crash_safety.py), a warehouse that took a
batch incrementally against one rebuilt from scratch (bench/run_bench.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb

# every schema a run writes: landing's raw, then dbt's layers
BUILT_SCHEMAS = ("raw", "reference", "staging", "intermediate", "audit", "marts", "public")


def table_fingerprints(warehouse: Path, schemas: tuple[str, ...] = BUILT_SCHEMAS,
                       views: bool = True) -> dict[str, tuple[int, str]]:
    """Every table (and view, unless ``views`` is False: reading a staging base view parses its raw
    table again) of the schemas -> (rows, an order-insensitive hash of its rows)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        placeholders = ", ".join("?" for _ in schemas)
        names = con.execute(
            f"""select schema_name || '.' || table_name from duckdb_tables()
                where schema_name in ({placeholders}) and not temporary
                union all
                select schema_name || '.' || view_name from duckdb_views()
                where ? and schema_name in ({placeholders}) and not temporary and not internal""",
            [*schemas, views, *schemas],
        ).fetchall()
        out = {}
        for (name,) in names:
            schema, table = name.split(".", 1)
            rows, digest = con.execute(
                f"""select count(*), coalesce(sum(hash(t::varchar)), 0)::varchar
                    from (select * from "{schema}"."{table}") t"""
            ).fetchall()[0]
            out[name] = (rows, digest)
        return out
    finally:
        con.close()
