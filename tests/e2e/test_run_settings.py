"""`creditwh run` hands its settings to the run whole (materialize_all): the run builds what the
settings say, whatever the environment says, and leaves the process environment as it found it."""

from __future__ import annotations

import json
import os
from datetime import date

from creditwh.pipeline import materialize_all
from creditwh.warehouse.settings import Settings

from .helpers import license_record, penalty_record, query, write_records


def _environment() -> dict[str, str]:
    """The process environment, less what Great Expectations sets itself (its SQLAlchemy engine
    names it to a Snowflake connector in SF_PARTNER)."""
    return {name: value for name, value in os.environ.items() if name != "SF_PARTNER"}


def test_a_run_takes_its_settings_whole_and_leaves_the_environment_unchanged(tmp_path, monkeypatch):
    raw, warehouse, decoy = tmp_path / "raw", tmp_path / "wh" / "credit.duckdb", tmp_path / "decoy" / "credit.duckdb"
    write_records(raw / "penalty" / "2026-01.csv",
                  [penalty_record("济市监罚〔2026〕1号", decided="2026-01-05", submitted="2026-01-07 10:00")])
    write_records(raw / "license" / "2026-01.csv",
                  [license_record("济市监许〔2026〕1号", decided="2026-01-05", submitted="2026-01-06 10:00")])
    # what the environment says, and the run must not follow
    for name, value in {"CREDIT_RAW_DIR": tmp_path / "nothing", "CREDIT_WAREHOUSE": decoy,
                        "CREDIT_AS_OF": "2020-01-01", "CREDIT_PII_KEY": "another key"}.items():
        monkeypatch.setenv(name, str(value))
    settings = Settings.from_env({"CREDIT_RAW_DIR": str(raw), "CREDIT_WAREHOUSE": str(warehouse),
                                  "CREDIT_AS_OF": "2026-03-31", "CREDIT_PII_KEY": "test-secret-key"})
    before = _environment()

    report = materialize_all(settings, log_level="ERROR")

    assert _environment() == before
    assert report.ok, (report.steps_failed, report.checks_failed)
    assert not decoy.parent.exists()
    assert query(warehouse, "SELECT DISTINCT as_of_date FROM marts.fct_penalty_publication") == [(date(2026, 3, 31),)]
    assert query(warehouse, "SELECT count(*) FROM audit.extract_files WHERE status = 'loaded'") == [(2,)]
    published = json.loads((warehouse.parent / "published" / "published.json").read_text(encoding="utf-8"))
    assert published["as_of"] == "2026-03-31"
