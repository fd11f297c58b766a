"""Paths reach SQL as parameters: a warehouse and a raw folder whose names hold a quote run like any other."""

from __future__ import annotations

from creditwh.warehouse.publishing import published_duckdb
from creditwh.warehouse.settings import Settings

from .helpers import PENALTY_HEADER, REGISTRY_HEADER, penalty_row, query, registry_rows, run, write_csv


def test_the_whole_graph_runs_with_the_warehouse_under_a_folder_named_o_brien(tmp_path, monkeypatch):
    raw = tmp_path / "o'brien's raw"
    write_csv(raw / "registry" / "2025-07.csv", REGISTRY_HEADER, registry_rows())
    write_csv(raw / "penalty" / "2025-10_o'brien.csv", PENALTY_HEADER,
              [penalty_row(f"济市监罚〔2025〕{i}号") for i in range(1, 4)])
    report, warehouse = run(raw, tmp_path / "o'brien", monkeypatch)
    assert report.ok, (report.steps_failed, report.checks_failed)
    assert "o'brien" in str(warehouse)
    assert query(warehouse, "select file_path, status from audit.extract_files order by file_path") == [
        ("penalty/2025-10_o'brien.csv", "loaded"), ("registry/2025-07.csv", "loaded")]
    published = published_duckdb(Settings.from_env())
    assert query(published, "select count(*) from public.penalty_disclosures") == [(3,)]
