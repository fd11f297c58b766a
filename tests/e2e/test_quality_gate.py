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


def _with_bad_submission_times(raw, bad: int, total: int = 20) -> None:
    write_csv(raw / "registry" / "r.csv", REGISTRY_HEADER, registry_rows())
    rows = [penalty_row(f"济市监罚〔2025〕{i}号", submitted="上周五" if i <= bad else "2025-10-10 09:30")
            for i in range(1, total + 1)]
    write_csv(raw / "penalty" / "some_broken.csv", PENALTY_HEADER, rows)


def test_bad_rows_under_the_configured_share_are_defects_not_a_stop(tmp_path, monkeypatch):
    # 2 of 20 rows (10 %) under the default share: flagged, counted, warned about, published
    _with_bad_submission_times(tmp_path / "raw", bad=2)

    report, warehouse = run(tmp_path / "raw", tmp_path, monkeypatch)

    assert report.ok, (report.steps_failed, report.checks_failed)
    assert query(warehouse, """select count(*) from marts.fct_disclosure_timeliness
                               where defects = 'UNPARSEABLE_DATE:submitted_at' and not is_on_time""") == [(2,)]


def test_the_share_of_defective_rows_that_stops_the_line_is_configuration(tmp_path, monkeypatch):
    _with_bad_submission_times(tmp_path / "raw", bad=2)
    monkeypatch.setenv("CREDIT_MAX_DEFECTIVE_ROW_SHARE", "0.05")

    report, _ = run(tmp_path / "raw", tmp_path, monkeypatch)

    assert not report.ok
    failed = dict(report.checks_failed)
    summary = failed["staging/stg_extracts__penalties:gx_stg_extracts__penalties"]
    assert "FAILED unexpected_rows_expectation: 2 rows" in summary  # the defective rows, over 5 %
    assert "WARNED expect_column_values_to_not_be_null(submitted_at)" in summary


def test_a_flood_passes_when_the_share_is_turned_off(tmp_path, monkeypatch):
    _with_bad_submission_times(tmp_path / "raw", bad=20)
    monkeypatch.setenv("CREDIT_MAX_DEFECTIVE_ROW_SHARE", "1")

    report, warehouse = run(tmp_path / "raw", tmp_path, monkeypatch)

    assert report.ok, (report.steps_failed, report.checks_failed)
    assert query(warehouse, "select count(*), count(*) filter (where is_on_time) from marts.fct_disclosure_timeliness") \
        == [(20, 0)]
