"""When an incremental build is safe, and when only a full rebuild gives the right answer.

Staging of the 双公示 volume is incremental by delivered file (dbt_project/macros/
incremental_by_file.sql): rows staged by an earlier run are kept. That is right only while the
SQL and the rules that staged them are the same. So every successful build records a
fingerprint of the dbt project's files (models, macros, seeds, dbt_project.yml) and of the dbt
and DuckDB versions in the warehouse; a run whose project differs, or a warehouse with no
record, is built with --full-refresh. A regulation change is a data change in the project, so
it rebuilds; a new monthly batch does not.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version

import duckdb

from creditwh.defs.dbt.project import DBT_PROJECT_DIR, project_source_files

STATE_TABLE = "audit.dbt_build_state"


def project_fingerprint() -> str:
    digest = hashlib.sha256()
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        digest.update(f"{package}=={version(package)}\n".encode())
    for path in project_source_files():
        digest.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def recorded_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'audit' AND table_name = 'dbt_build_state'"
    ).fetchone()[0]
    if not exists:
        return None
    row = con.execute(f"SELECT project_fingerprint FROM {STATE_TABLE}").fetchone()
    return row[0] if row else None


def record_fingerprint(con: duckdb.DuckDBPyConnection, fingerprint: str) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    con.execute(f"CREATE OR REPLACE TABLE {STATE_TABLE} AS SELECT ?::VARCHAR AS project_fingerprint", [fingerprint])


def needs_full_refresh(con: duckdb.DuckDBPyConnection, fingerprint: str) -> bool:
    """The staged rows were not built by the project whose fingerprint this is (or nobody knows)."""
    return recorded_fingerprint(con) != fingerprint
