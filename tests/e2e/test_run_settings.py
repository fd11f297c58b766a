"""`creditwh run` hands its settings to the run whole (materialize_all): the run builds what the
settings say, whatever the environment says, and leaves the process environment as it found it.
Paths reach SQL as parameters: the same run has a warehouse and a raw folder whose names hold a quote."""

from __future__ import annotations

import json
import os
from datetime import date
from types import SimpleNamespace

import pytest

from creditwh.pipeline import materialize_all
from creditwh.warehouse.publishing import published_duckdb
from creditwh.warehouse.settings import Settings

from .helpers import PENALTY_HEADER, REGISTRY_HEADER, penalty_row, query, registry_rows, write_csv


def _environment() -> dict[str, str]:
    """The process environment, less what Great Expectations sets itself (its SQLAlchemy engine
    names it to a Snowflake connector in SF_PARTNER)."""
    return {name: value for name, value in os.environ.items() if name != "SF_PARTNER"}


@pytest.fixture(scope="module")
def settings_run(tmp_path_factory):
    """One run given its settings whole, of a raw folder and into a warehouse named with a quote,
    while the environment names other ones."""
    tmp = tmp_path_factory.mktemp("settings")
    raw, warehouse, decoy = tmp / "o'brien's raw", tmp / "o'brien" / "wh" / "credit.duckdb", tmp / "decoy" / "credit.duckdb"
    write_csv(raw / "registry" / "2025-07.csv", REGISTRY_HEADER, registry_rows())
    write_csv(raw / "penalty" / "2025-10_o'brien.csv", PENALTY_HEADER,
              [penalty_row(f"济市监罚〔2025〕{i}号") for i in range(1, 4)])
    with pytest.MonkeyPatch.context() as monkeypatch:
        # what the environment says, and the run must not follow
        for name, value in {"CREDIT_RAW_DIR": tmp / "nothing", "CREDIT_WAREHOUSE": decoy,
                            "CREDIT_AS_OF": "2020-01-01", "CREDIT_PII_KEY": "another key"}.items():
            monkeypatch.setenv(name, str(value))
        # two dbt threads: models on both build at once, and their post-hooks must not conflict
        settings = Settings.from_env({"CREDIT_RAW_DIR": str(raw), "CREDIT_WAREHOUSE": str(warehouse),
                                      "CREDIT_AS_OF": "2026-03-31", "CREDIT_PII_KEY": "test-secret-key",
                                      "CREDIT_DBT_THREADS": "2"})
        before = _environment()
        report = materialize_all(settings, log_level="ERROR")
        after = _environment()
    return SimpleNamespace(settings=settings, report=report, warehouse=warehouse, decoy=decoy,
                           environment_before=before, environment_after=after)


def test_a_run_takes_its_settings_whole_and_leaves_the_environment_unchanged(settings_run):
    report, warehouse = settings_run.report, settings_run.warehouse
    assert settings_run.environment_after == settings_run.environment_before
    assert report.ok, (report.steps_failed, report.checks_failed)
    assert not settings_run.decoy.parent.exists()
    assert query(warehouse, "SELECT DISTINCT as_of_date FROM marts.fct_penalty_publication") == [(date(2026, 3, 31),)]
    assert query(warehouse, "SELECT count(*) FROM audit.extract_files WHERE status = 'loaded'") == [(2,)]
    published = json.loads((warehouse.parent / "published" / "published.json").read_text(encoding="utf-8"))
    assert published["as_of"] == "2026-03-31"


def test_the_whole_graph_runs_with_the_warehouse_under_a_folder_named_o_brien(settings_run):
    report, warehouse = settings_run.report, settings_run.warehouse
    assert report.ok, (report.steps_failed, report.checks_failed)
    assert "o'brien" in str(warehouse)
    assert query(warehouse, "select file_path, status from audit.extract_files order by file_path") == [
        ("penalty/2025-10_o'brien.csv", "loaded"), ("registry/2025-07.csv", "loaded")]
    assert query(published_duckdb(settings_run.settings), "select count(*) from public.penalty_disclosures") == [(3,)]
