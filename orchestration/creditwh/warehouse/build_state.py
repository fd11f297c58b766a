"""When an incremental build is safe, and when only a full rebuild gives the right answer.

Staging of the 双公示 volume is incremental by delivered file (dbt_project/macros/
incremental_by_file.sql), and its current versions by record identity (macros/
current_versions.sql): rows built by an earlier run are kept. That is right only while the SQL
and the rules that built them are the same. So every successful dbt step records, in the
warehouse, a fingerprint of the dbt project's files (models, macros, seeds, dbt_project.yml) and
of the dbt and DuckDB versions; a step whose project differs, or with no record, builds with
--full-refresh. A regulation change is a data change in the project, so it rebuilds; a new
monthly batch does not. Each step keeps its own record, since one can succeed while the next fails.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version

import duckdb

from creditwh.dbt_project import project_source_files
from creditwh.rules import DBT_PROJECT_DIR

STATE_TABLE = "audit.dbt_build_state"


def build_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """What a dbt step's output depends on besides the rows it reads incrementally: the project, and
    what the landed rows were computed with (raw.landing_state: the PII key's and the landing rules'
    fingerprints). Re-landed rows with unchanged file bytes (a new key, a new masking rule) are staged
    again only if the step rebuilds: incremental staging knows files by path and sha256 alone."""
    try:
        landing_state = con.execute("SELECT * FROM raw.landing_state ORDER BY ALL").fetchall()
    except duckdb.CatalogException:
        landing_state = []
    return hashlib.sha256(f"{project_fingerprint()}\0{landing_state!r}".encode()).hexdigest()


def project_fingerprint() -> str:
    digest = hashlib.sha256()
    # chinesecalendar: the working days that incremental timeliness rows keep were counted on its calendar
    for package in ("dbt-core", "dbt-duckdb", "duckdb", "chinesecalendar"):
        digest.update(f"{package}=={version(package)}\n".encode())
    for path in project_source_files():
        digest.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def recorded_fingerprint(con: duckdb.DuckDBPyConnection, step: str) -> str | None:
    if not _has_step_records(con):
        return None
    row = con.execute(f"SELECT project_fingerprint FROM {STATE_TABLE} WHERE step = ?", [step]).fetchone()
    return row[0] if row else None


def record_fingerprint(con: duckdb.DuckDBPyConnection, step: str, fingerprint: str) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    if not _has_step_records(con):  # none yet, or the single record of a warehouse built before steps had theirs
        con.execute(f"CREATE OR REPLACE TABLE {STATE_TABLE} (step VARCHAR PRIMARY KEY, project_fingerprint VARCHAR)")
    con.execute(f"INSERT OR REPLACE INTO {STATE_TABLE} VALUES (?, ?)", [step, fingerprint])


def needs_full_refresh(con: duckdb.DuckDBPyConnection, step: str, fingerprint: str) -> bool:
    """What the step built earlier was not built by the project whose fingerprint this is (or nobody knows)."""
    return recorded_fingerprint(con, step) != fingerprint


def _has_step_records(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute(
        "SELECT count(*) FROM duckdb_columns() "
        "WHERE schema_name = 'audit' AND table_name = 'dbt_build_state' AND column_name = 'step'"
    ).fetchone()[0] > 0
