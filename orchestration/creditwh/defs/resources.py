"""Resources: the warehouse file and the dbt CLI."""

from __future__ import annotations

import os
from contextlib import contextmanager

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource

from creditwh.defs.dbt.project import DBT_PROJECT, guarded_dbt_executable
from creditwh.settings import Settings


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse and the run's settings (CREDIT_* environment variables).

    Empty config values fall back to the environment, so the UI and ``creditwh run`` agree.
    """

    raw_dir: str = ""
    warehouse_path: str = ""
    as_of: str = ""

    def settings(self) -> Settings:
        env = {}
        if self.raw_dir:
            env["CREDIT_RAW_DIR"] = self.raw_dir
        if self.warehouse_path:
            env["CREDIT_WAREHOUSE"] = self.warehouse_path
        if self.as_of:
            env["CREDIT_AS_OF"] = self.as_of
        return Settings.from_env({**os.environ, **env})

    @contextmanager
    def connect(self, read_only: bool = False):
        settings = self.settings()
        settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(settings.warehouse_path), read_only=read_only, config=settings.duckdb_config)
        try:
            yield con
        finally:
            con.close()


def build_resources() -> dict:
    return {
        "warehouse": WarehouseResource(),
        "dbt": DbtCliResource(
            project_dir=DBT_PROJECT,
            profiles_dir=str(DBT_PROJECT.project_dir),
            # the dbt of this environment, whether or not the venv is activated, made to die
            # with the run that started it (a killed run leaves no dbt writing the warehouse)
            dbt_executable=guarded_dbt_executable(),
        ),
    }
