"""A failing Great Expectations gate stops everything downstream of the checked asset."""

from __future__ import annotations

from .helpers import PENALTY_HEADER, REGISTRY_HEADER, penalty_row, query, registry_rows, run, write_csv


def test_failing_staging_gate_blocks_downstream(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    write_csv(raw / "registry" / "r.csv", REGISTRY_HEADER, registry_rows())
    # 报送时间 unparseable on every row: each row is flagged, and the flood trips the gate
    rows = [penalty_row(f"济市监罚〔2025〕{i}号", submitted="上周五") for i in range(1, 21)]
    write_csv(raw / "penalty" / "broken.csv", PENALTY_HEADER, rows)

    report, warehouse = run(raw, tmp_path, monkeypatch)

    assert not report.ok
    failed = dict(report.checks_failed)
    assert "staging/stg_extracts__penalties:gx_stg_extracts__penalties" in failed
    assert "submitted_at" in failed["staging/stg_extracts__penalties:gx_stg_extracts__penalties"]
    # the staging table exists (so the defect can be inspected) but nothing was built from it
    assert query(warehouse, "select count(*) from staging.stg_extracts__penalties") == [(20,)]
    built = {r[0] for r in query(warehouse, "select table_name from duckdb_tables() where schema_name = 'intermediate'")}
    assert "int_penalties__current" not in built
