"""Resources: the warehouse (its settings and the sequence each step holds it by) and the dbt project."""

from __future__ import annotations

from datetime import date

import dagster as dg
from dagster_dbt import DbtCliResource
from pydantic import PrivateAttr

from creditwh.dbt_project import guarded_dbt_executable
from creditwh.defs.dbt.project import DBT_PROJECT
from creditwh.warehouse import access
from creditwh.warehouse.settings import CHINA_TZ, VARIABLE_OF_SETTING, Settings


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse and the run's settings, one config field per setting (Settings).

    ``creditwh run`` gives every field in the run config (Settings.as_config); a field left unset
    (``dagster dev``) takes its CREDIT_* variable (Settings.from_env). Without an as-of date, a run's
    is the day it was created, China time: every step of the run agrees on it, even across midnight.
    """

    raw_dir: str | None = None
    warehouse_path: str | None = None
    as_of: str | None = None
    pii_key: str | None = None
    duckdb_memory_limit: str | None = None
    dbt_threads: str | None = None
    shrink_limit: str | None = None
    max_defective_row_share: str | None = None

    _run_day: date | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._run_day = _creation_day(context)

    def settings(self) -> Settings:
        config = {name: getattr(self, name) for name in VARIABLE_OF_SETTING}
        return Settings.from_env(config=config, as_of_default=self._run_day)

    def connect(self, read_only: bool = False):
        return access.connect(self.settings(), read_only)

    def writing(self, context: dg.AssetExecutionContext, step: str):
        """Hold the warehouse for a step of this run that writes it: the lock for the block, and the
        warehouse marked changed by this run (nothing is published until its gates pass). Yields the settings."""
        return access.writing(self.settings(), context.run_id, _command(context, step))

    def holding(self, context: dg.AssetExecutionContext, step: str):
        """The warehouse lock alone, for the block (the publication). Yields the settings."""
        return access.holding(self.settings(), _command(context, step))

    def reading(self, context: dg.AssetExecutionContext, step: str):
        """A read-only connection under the lock taken as a look-up (a scorecard)."""
        return access.reading(self.settings(), _command(context, step))


def _command(context: dg.AssetExecutionContext, step: str) -> str:
    """Who holds the lock, as a refused command tells it."""
    return f"dagster run {context.run.run_id}: {step}"


def _creation_day(context: dg.InitResourceContext) -> date | None:
    """The day, China time, the run was created: one as-of date for all its steps."""
    if context.instance is None or context.run is None:
        return None
    record = context.instance.get_run_record_by_id(context.run.run_id)
    return record.create_timestamp.astimezone(CHINA_TZ).date() if record is not None else None


def build_resources() -> dict:
    return {
        "warehouse": WarehouseResource(),
        # the project and its profiles, for the steps' builds in their own process (defs/dbt/in_process.py);
        # dagster-dbt wants a dbt executable that exists: this environment's, venv activated or not
        "dbt": DbtCliResource(
            project_dir=DBT_PROJECT,
            profiles_dir=str(DBT_PROJECT.project_dir),
            dbt_executable=guarded_dbt_executable(),
        ),
    }
