"""DuckDB's memory bound (CREDIT_DUCKDB_MEMORY_LIMIT) reaches every engine the pipeline opens:
its own connections, the Great Expectations gates' and dbt's."""

from __future__ import annotations

import os
import subprocess

import duckdb

from creditwh.dbt_project import guarded_dbt_executable
from creditwh.rules import DBT_PROJECT_DIR
from creditwh.defs.resources import WarehouseResource
from creditwh.warehouse.settings import DEFAULT_DUCKDB_MEMORY_LIMIT, Settings


def _as_duckdb_shows(limit: str) -> str:
    con = duckdb.connect(config={"memory_limit": limit})
    try:
        return con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    finally:
        con.close()


def test_the_bound_defaults_and_follows_the_environment():
    assert Settings.from_env({}).duckdb_memory_limit == DEFAULT_DUCKDB_MEMORY_LIMIT
    assert Settings.from_env({"CREDIT_DUCKDB_MEMORY_LIMIT": "700MB"}).duckdb_config == {"memory_limit": "700MB"}


def test_the_warehouse_connection_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv("CREDIT_DUCKDB_MEMORY_LIMIT", "700MB")
    resource = WarehouseResource(warehouse_path=str(tmp_path / "credit.duckdb"))
    with resource.connect() as con:
        shown = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert shown == _as_duckdb_shows("700MB") != _as_duckdb_shows(DEFAULT_DUCKDB_MEMORY_LIMIT)


def test_the_gates_connection_is_bounded(tmp_path):
    from creditwh.quality.gx_duckdb import _read_only_datasource  # GX's import is slow: here only

    database = tmp_path / "credit.duckdb"
    duckdb.connect(str(database)).close()
    engine = _read_only_datasource(database, {"memory_limit": "700MB"}).get_engine()
    try:
        with engine.connect() as connection:
            shown = connection.exec_driver_sql("SELECT current_setting('memory_limit')").scalar()
    finally:
        engine.dispose()
    assert shown == _as_duckdb_shows("700MB")


def test_dbt_runs_under_the_bound(tmp_path):
    env = {**os.environ, "CREDIT_WAREHOUSE": str(tmp_path / "credit.duckdb"), "CREDIT_DUCKDB_MEMORY_LIMIT": "700MB"}
    shown = subprocess.run(
        [guarded_dbt_executable(), "show", "--quiet", "--inline", "select current_setting('memory_limit') as m",
         "--output", "json", "--target-path", str(tmp_path / "target"), "--vars", '{"as_of": "2026-03-31"}'],
        cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, check=True,
    ).stdout
    assert f'"m": "{_as_duckdb_shows("700MB")}"' in shown
