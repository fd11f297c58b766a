"""The publication as BI clients meet it: opened by DuckDB 1.x (the LTS every bundled driver
ships), reflected through SQLAlchemy with the project's pins, and described column by column."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import registry
from sqlalchemy.pool import NullPool

from creditwh.warehouse.publishing import DESCRIPTION_KEY, PUBLISHED_SCHEMAS


OLD_DUCKDB = "1.4.4"  # the LTS line: Metabase, DBeaver, ODBC and many Superset images bundle 1.x

OLD_READER = textwrap.dedent("""
    import json, sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(json.dumps({
        "version": duckdb.__version__,
        "penalties": con.execute("select count(*) from marts.fct_penalty_publication").fetchall()[0][0],
        "disclosures": con.execute("select count(*) from public.penalty_disclosures").fetchall()[0][0],
        "tables": con.execute("select count(*) from duckdb_tables() where schema_name in ('marts', 'public')").fetchall()[0][0],
        "commented_columns": con.execute("select count(*) from duckdb_columns() where schema_name in ('marts', 'public') and comment <> ''").fetchall()[0][0],
    }))
""")


@pytest.fixture(scope="module")
def published(cli_build_of_12_penalties) -> Path:
    _raw, warehouse = cli_build_of_12_penalties  # read only
    return warehouse.parent / "published"


def _registry_reachable() -> bool:
    """Whether the package index uv would use answers at all (PyPI unless UV_INDEX_URL says otherwise)."""
    import os

    host = urlparse(os.environ.get("UV_INDEX_URL") or os.environ.get("UV_DEFAULT_INDEX") or "https://pypi.org").hostname
    try:
        socket.create_connection((host, 443), timeout=10).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def old_duckdb_python(tmp_path_factory) -> Path:
    """A throwaway environment with DuckDB 1.4.4. Without any reachable package index the test
    is skipped (said so); if the index answers but the version cannot be had, it fails."""
    venv = tmp_path_factory.mktemp("duckdb_1x") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    uv = Path(sys.executable).parent / "uv"
    installed = subprocess.run([str(uv), "pip", "install", "--python", str(python), f"duckdb=={OLD_DUCKDB}"],
                               capture_output=True, text=True)
    if installed.returncode != 0:
        if not _registry_reachable():
            pytest.skip(f"no package index reachable to install duckdb=={OLD_DUCKDB}: {installed.stderr[-500:]}")
        pytest.fail(f"could not install duckdb=={OLD_DUCKDB}: {installed.stderr[-2000:]}")
    return python


def test_duckdb_1x_opens_the_publication(published, old_duckdb_python):
    path = published / "credit_marts.duckdb"
    read = subprocess.run([str(old_duckdb_python), "-c", OLD_READER, str(path)], capture_output=True, text=True)
    assert read.returncode == 0, read.stderr[-2000:]
    seen = json.loads(read.stdout)
    con = duckdb.connect(str(path), read_only=True)
    columns = con.execute("select count(*) from duckdb_columns() where schema_name in ('marts', 'public')").fetchall()[0][0]
    con.close()
    assert seen["version"] == OLD_DUCKDB
    assert seen["penalties"] == 12 and seen["disclosures"] > 0
    assert seen["tables"] >= 10 and seen["commented_columns"] == columns  # the comments travel too


def test_every_published_table_and_column_is_described(published):
    con = duckdb.connect(str(published / "credit_marts.duckdb"), read_only=True)
    schemas = list(PUBLISHED_SCHEMAS)
    tables = con.execute("select schema_name, table_name, comment from duckdb_tables() where schema_name in (?, ?)",
                         schemas).fetchall()
    columns = con.execute("select schema_name, table_name, column_name, comment from duckdb_columns() "
                          "where schema_name in (?, ?)", schemas).fetchall()
    con.close()
    assert [t for t in tables if not (t[2] or "").strip()] == []
    assert [c for c in columns if not (c[3] or "").strip()] == []
    comments = {(s, t, c): text for s, t, c, text in columns}

    # the Parquet copy says the same: field metadata per column, the table's as schema metadata
    table_comments = {(s, t): text for s, t, text in tables}
    for schema, table in [("marts", "fct_penalty_publication"), ("public", "penalty_disclosures")]:
        parquet = pq.read_schema(published / "current" / f"{schema}.{table}" / "data.parquet")
        assert parquet.metadata[DESCRIPTION_KEY].decode() == table_comments[(schema, table)]
        for field in parquet:
            assert field.metadata[DESCRIPTION_KEY].decode() == comments[(schema, table, field.name)]


def test_sqlalchemy_reflection_with_the_readme_dialect(published):
    # exactly the README's recipe: one registration, then the URL
    registry.register("duckdb.creditwh", "creditwh.bi_dialect", "DuckDBCatalogDialect")
    path = (published / "credit_marts.duckdb").resolve().as_posix()
    engine = sa.create_engine(f"duckdb+creditwh:///{path}?access_mode=read_only", poolclass=NullPool)
    try:
        inspector = sa.inspect(engine)
        assert {"fct_penalty_publication", "fct_disclosure_timeliness"} <= set(inspector.get_table_names(schema="marts"))
        columns = inspector.get_columns("fct_penalty_publication", schema="marts")
        assert columns and all(c["comment"] for c in columns)
        assert inspector.get_table_comment("fct_penalty_publication", schema="marts")["text"]
        table = sa.Table("penalty_disclosures", sa.MetaData(), schema="public", autoload_with=engine)
        assert len(table.columns) > 3 and all(c.comment for c in table.columns)
        frame = pd.read_sql_table("fct_penalty_publication", engine, schema="marts")
        assert len(frame) == 12 and list(frame.columns) == [c["name"] for c in columns]
    finally:
        engine.dispose()


def test_where_creditwh_is_installed_the_url_alone_reflects(published):
    # a fresh interpreter, no registration: the package's `sqlalchemy.dialects` entry point
    code = textwrap.dedent("""
        import sys, sqlalchemy as sa
        engine = sa.create_engine(f"duckdb+creditwh:///{sys.argv[1]}?access_mode=read_only")
        columns = sa.inspect(engine).get_columns("rpt_timeliness_monthly", schema="marts")
        print(sum(1 for c in columns if c["comment"]), len(columns))
        engine.dispose()
    """)
    path = (published / "credit_marts.duckdb").resolve().as_posix()
    done = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    commented, columns = map(int, done.stdout.split())
    assert columns > 5 and commented == columns


def test_duckdb_1x_opens_a_publication_patched_from_the_last(cli_build_of_12_penalties, tmp_path_factory,
                                                            old_duckdb_python):
    from creditwh.warehouse.publishing import publish
    from creditwh.warehouse.settings import Settings

    from .cli_runs import copy_of_build

    _raw, warehouse = copy_of_build(cli_build_of_12_penalties, tmp_path_factory, "patched_publication")
    with duckdb.connect(str(warehouse)) as con:  # what the next run changed: one disclosure less
        published_before = con.execute("select count(*) from public.penalty_disclosures").fetchall()[0][0]
        con.execute("delete from public.penalty_disclosures "
                    "where doc_no = (select min(doc_no) from public.penalty_disclosures)")
    done = publish(Settings.from_env({"CREDIT_WAREHOUSE": str(warehouse)}))
    assert done.manifest["patched_from"] is not None  # DuckDB 2.0 wrote into the 1.x-format copy

    read = subprocess.run([str(old_duckdb_python), "-c", OLD_READER, str(done.duckdb_path)],
                          capture_output=True, text=True)
    assert read.returncode == 0, read.stderr[-2000:]
    seen = json.loads(read.stdout)
    assert seen["penalties"] == 12 and seen["disclosures"] == published_before - 1
