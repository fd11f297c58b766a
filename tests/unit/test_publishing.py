"""Publication: built aside, swapped in with one rename; a reader holding the old file keeps
reading it and does not hold up the next publication; new connections get the new one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from creditwh.publishing import PublishError, mark_changing, mark_verified, publish, published_dir
from creditwh.settings import Settings


def _settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"CREDIT_WAREHOUSE": str(tmp_path / "wh" / "credit.duckdb"), "CREDIT_AS_OF": "2026-03-31",
                              "CREDIT_RAW_DIR": str(tmp_path)})


def _build_warehouse(settings: Settings, n: int) -> None:
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(settings.warehouse_path))
    con.execute("create schema if not exists marts; create schema if not exists public; create schema if not exists staging")
    con.execute("create or replace table marts.fct_x as select range as id from range(?)", [n])
    con.execute("create or replace table public.disclosures as select range as id from range(?) where range % 2 = 0", [n])
    con.execute("create or replace table staging.stg_x as select 1 as never_published")
    con.close()


def _read_in_new_process(path: Path) -> int:
    code = (f"import duckdb, os; c = duckdb.connect({str(path)!r}, read_only=True); "
            "print(c.execute('select count(*) from marts.fct_x').fetchall()[0][0]); os._exit(0)")
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def test_publish_swaps_while_a_reader_holds_the_old_file(tmp_path):
    settings = _settings(tmp_path)
    _build_warehouse(settings, 10)
    mark_changing(settings, "run-1")
    first = publish(settings, run_id="run-1")
    assert first.tables == {"marts.fct_x": 10, "public.disclosures": 5}

    holder = duckdb.connect(str(first.duckdb_path), read_only=True)  # a BI tool, mid-dashboard
    assert holder.execute("select count(*) from marts.fct_x").fetchall() == [(10,)]
    _build_warehouse(settings, 30)
    mark_changing(settings, "run-2")
    second = publish(settings, run_id="run-2")  # not blocked by the reader
    assert holder.execute("select count(*) from marts.fct_x").fetchall() == [(10,)]  # its snapshot, whole
    assert _read_in_new_process(second.duckdb_path) == 30  # a new connection gets the new file
    holder.close()

    con = duckdb.connect(str(second.duckdb_path), read_only=True)
    assert {r[0] for r in con.execute("select schema_name from duckdb_tables()").fetchall()} == {"marts", "public", "main"}
    meta = con.execute("select as_of, run_id, tables from publication").fetchall()[0]
    con.close()
    assert (str(meta[0]), meta[1], json.loads(meta[2])) == ("2026-03-31", "run-2", second.tables)
    with pytest.raises(duckdb.Error):
        duckdb.connect(str(second.duckdb_path), read_only=True).execute("create table marts.y(a int)")

    out = published_dir(settings)
    current = out / "current"
    assert current.is_symlink() and (current / "published.json").exists()
    assert json.loads((out / "published.json").read_text(encoding="utf-8"))["tables"] == second.tables
    con = duckdb.connect()
    assert con.execute(f"select count(*) from '{current}/marts.fct_x/data.parquet'").fetchall() == [(30,)]
    con.close()
    # the previous Parquet folder is kept for readers still scanning it; a third publish prunes the first
    assert len(list(out.glob("parquet.*"))) == 2
    publish(settings, run_id="run-2")
    assert len(list(out.glob("parquet.*"))) == 2


def test_an_unverified_warehouse_is_not_published(tmp_path):
    settings = _settings(tmp_path)
    _build_warehouse(settings, 10)
    with pytest.raises(PublishError, match="no verified run"):
        publish(settings)
    mark_changing(settings, "run-1")
    with pytest.raises(PublishError, match="run-1"):
        publish(settings)  # the command, not the run: the gates have not passed
    with pytest.raises(PublishError, match="run-1"):
        publish(settings, run_id="run-0")  # another run's publication step
    assert not (published_dir(settings) / "credit_marts.duckdb").exists()
    mark_verified(settings, "run-1")
    assert publish(settings).manifest["run_id"] == "run-1"


def test_what_a_killed_publication_left_is_removed_and_never_used(tmp_path):
    settings = _settings(tmp_path)
    _build_warehouse(settings, 10)
    mark_verified(settings, "run-1")
    out = published_dir(settings)
    out.mkdir(parents=True)
    (out / "credit_marts.20260101T000000000000Z.duckdb.building").write_bytes(b"half a file")
    (out / "parquet.20260101T000000000000Z.building" / "marts.fct_x").mkdir(parents=True)
    os.symlink("nowhere", out / ".current.20260101T000000000000Z.tmp")
    publish(settings)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith("parquet.")) == [
        "credit_marts.duckdb", "current", "published.json"]
    assert _read_in_new_process(out / "credit_marts.duckdb") == 10
