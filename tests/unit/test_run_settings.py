"""A run's settings are fixed once for the run: without CREDIT_AS_OF, every step of a run (UI,
schedule, sensor) has the as-of date of the day the run was created, China time, even when the
clock passes midnight between two steps."""

from __future__ import annotations

from datetime import date

import dagster as dg

from creditwh.defs.resources import WarehouseResource
from creditwh.warehouse import settings as settings_module
from creditwh.warehouse.settings import CHINA_TZ, Settings


def _two_steps(seen: list[date]):
    @dg.asset
    def first_step(warehouse: WarehouseResource) -> None:
        seen.append(warehouse.settings().as_of)

    @dg.asset(deps=[first_step])
    def second_step(warehouse: WarehouseResource) -> None:
        seen.append(warehouse.settings().as_of)

    return [first_step, second_step]


def test_the_steps_of_a_run_agree_on_the_as_of_date_across_midnight(monkeypatch, tmp_path):
    monkeypatch.delenv("CREDIT_AS_OF", raising=False)
    clock = iter([date(2001, 1, 1), date(2001, 1, 2), date(2001, 1, 3), date(2001, 1, 4)])
    monkeypatch.setattr(settings_module, "today_in_china", lambda: next(clock))  # midnight at every reading
    seen: list[date] = []
    with dg.instance_for_test() as instance:
        result = dg.materialize(_two_steps(seen), instance=instance,
                                resources={"warehouse": WarehouseResource(warehouse_path=str(tmp_path / "w.duckdb"))})
        created = instance.get_run_record_by_id(result.run_id).create_timestamp
    assert result.success
    assert seen == [created.astimezone(CHINA_TZ).date()] * 2


def test_a_configured_as_of_date_is_the_runs():
    seen: list[date] = []
    assert dg.materialize(_two_steps(seen), resources={"warehouse": WarehouseResource(as_of="2026-03-31")}).success
    assert seen == [date(2026, 3, 31)] * 2


def test_settings_given_as_config_are_the_settings_themselves(tmp_path):
    given = Settings.from_env({"CREDIT_WAREHOUSE": str(tmp_path / "w.duckdb"), "CREDIT_AS_OF": "2026-03-31",
                               "CREDIT_PII_KEY": "a secret", "CREDIT_SHRINK_LIMIT": "0.25",
                               "CREDIT_DUCKDB_MEMORY_LIMIT": "700MB", "CREDIT_MAX_DEFECTIVE_ROW_SHARE": "1",
                               "CREDIT_DBT_THREADS": "2"})
    elsewhere = {"CREDIT_WAREHOUSE": "/elsewhere/credit.duckdb", "CREDIT_PII_KEY": "another key"}
    assert Settings.from_env(elsewhere, config=given.as_config()) == given
    development = Settings.from_env({})
    assert Settings.from_env(elsewhere, config=development.as_config()) == development  # the development key stays
