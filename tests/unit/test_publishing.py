"""Publication: built aside, swapped in with one rename; a reader holding the old file keeps
reading it and does not hold up the next publication; new connections get the new one."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import creditwh
from creditwh.warehouse.publishing import (
    LOOKUP_TABLES, PUBLISHED_SCHEMAS, PublishError, mark_changing, mark_verified, publish, published_dir,
)
from creditwh.warehouse.settings import Settings


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
        "credit_marts.duckdb", "current", "published.json", "row_hashes.duckdb"]
    assert _read_in_new_process(out / "credit_marts.duckdb") == 10


def test_a_failed_parquet_write_fails_the_publication_and_the_last_one_stays(tmp_path, monkeypatch):
    """The Parquet files are written beside the DuckDB copy, on a thread: its failure is the publication's."""
    from creditwh.warehouse import publishing

    settings = _settings(tmp_path)
    _build_warehouse(settings, 10)
    mark_verified(settings, "run-1")
    first = publish(settings)
    _build_warehouse(settings, 30)
    mark_verified(settings, "run-2")

    def disk_full(con, name, described, path):
        con.close()
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publishing, "_write_described_parquet", disk_full)
    with pytest.raises(OSError, match="No space left"):
        publish(settings)
    assert _read_in_new_process(first.duckdb_path) == 10
    assert json.loads((published_dir(settings) / "published.json").read_text(encoding="utf-8"))["run_id"] == "run-1"


def test_a_publication_that_would_drop_most_of_a_table_is_refused(tmp_path):
    """An empty or half-mounted raw folder over an existing warehouse: the last publication stays."""
    settings = _settings(tmp_path)
    _build_warehouse(settings, 300)
    mark_changing(settings, "run-1")
    publish(settings, run_id="run-1")
    out = published_dir(settings)
    manifest, inode = (out / "published.json").read_text(encoding="utf-8"), os.stat(out / "credit_marts.duckdb").st_ino

    _build_warehouse(settings, 100)
    mark_changing(settings, "run-2")
    with pytest.raises(PublishError) as refused:
        publish(settings, run_id="run-2")
    message = str(refused.value)
    assert "marts.fct_x 300 → 100 rows" in message and "public.disclosures 150 → 50 rows" in message
    assert "--allow-shrink" in message and "50%" in message
    assert (out / "published.json").read_text(encoding="utf-8") == manifest
    assert os.stat(out / "credit_marts.duckdb").st_ino == inode
    assert not [p for p in out.iterdir() if p.name.endswith(".building")]
    with pytest.raises(PublishError, match="300 → 100"):
        publish(settings)  # `creditwh publish` as well: the gates passed, the guard still holds
    assert publish(settings, allow_shrink=True).tables == {"marts.fct_x": 100, "public.disclosures": 50}


def test_the_shrink_limit_is_configuration_and_small_tables_are_not_guarded(tmp_path):
    settings = _settings(tmp_path)
    _build_warehouse(settings, 300)
    mark_verified(settings, "run-1")
    publish(settings)
    _build_warehouse(settings, 160)  # loses 47 %: within the default limit
    assert publish(settings).tables["marts.fct_x"] == 160
    _build_warehouse(settings, 40)  # loses 75 %
    assert publish(replace(settings, shrink_limit=0.8)).tables["marts.fct_x"] == 40
    _build_warehouse(settings, 0)  # 40 → 0 and 20 → 0: tables under SHRINK_GUARD_MIN_ROWS rows
    assert publish(settings).tables == {"marts.fct_x": 0, "public.disclosures": 0}


def _tables_read(module_file: Path) -> set[str]:
    text = module_file.read_text(encoding="utf-8")
    return set(re.findall(r"\b((?:marts|public|intermediate|reference|staging|audit|raw)\.\w+)\b", text))


def test_lookup_tables_are_what_lookups_read_beyond_the_published_schemas():
    package = Path(creditwh.__file__).parent
    read = set().union(*(_tables_read(package / module) for module in ("report/load.py", "scorecard/build.py",
                                                                          "bulletin/build.py")))
    assert {t for t in read if t.split(".")[0] not in PUBLISHED_SCHEMAS} == set(LOOKUP_TABLES)


def test_lookup_tables_are_published_beside_the_marts(tmp_path):
    settings = _settings(tmp_path)
    _build_warehouse(settings, 10)
    con = duckdb.connect(str(settings.warehouse_path))
    con.execute("create schema reference; create table reference.regions as select '370100' as region_code")
    con.close()
    mark_verified(settings, "run-1")
    publication = publish(settings)
    assert publication.manifest["lookup_tables"] == {"reference.regions": 1}
    assert "reference.regions" not in publication.tables  # not for BI tools: not in the manifest's tables
    con = duckdb.connect()
    assert con.execute(f"select * from '{publication.parquet_dir}/lookup/reference.regions/data.parquet'"
                       ).fetchall() == [("370100",)]
    con.close()


def test_descriptions_become_comments_and_parquet_metadata(tmp_path, monkeypatch):
    from creditwh.warehouse import publishing

    settings = _settings(tmp_path)
    _build_warehouse(settings, 4)
    described = {("marts", "fct_x"): publishing.TableDescription("事实表 x — it's described", {"id": "记录编号"})}
    monkeypatch.setattr(publishing, "dbt_descriptions", lambda: described)
    mark_changing(settings, "run-1")
    done = publish(settings, run_id="run-1")

    con = duckdb.connect(str(done.duckdb_path), read_only=True)
    assert con.execute("select comment from duckdb_tables() where table_name = 'fct_x'").fetchall() == [
        ("事实表 x — it's described",)]
    assert con.execute("select column_name, comment from duckdb_columns() where table_name = 'fct_x'").fetchall() == [
        ("id", "记录编号")]
    con.close()
    schema = pq.read_schema(done.parquet_dir / "marts.fct_x" / "data.parquet")
    assert schema.metadata[b"description"].decode() == "事实表 x — it's described"
    assert schema.field("id").metadata[b"description"].decode() == "记录编号"


def test_descriptions_come_from_the_dbt_yaml():
    from creditwh.warehouse.publishing import dbt_descriptions

    monthly = dbt_descriptions()[("marts", "rpt_timeliness_monthly")]
    assert monthly.table.startswith("双公示月度监测")
    assert monthly.columns["on_time_records"] == "按时报送数量"


def _published_rows(done, table: str) -> tuple[list, list]:
    """(the rows of the published DuckDB table, the rows of its Parquet), each sorted."""
    con = duckdb.connect(str(done.duckdb_path), read_only=True)
    rows = sorted(con.execute(f"select * from {table}").fetchall())
    con.close()
    return rows, sorted(tuple(row.values()) for row in pq.read_table(done.parquet_dir / table / "data.parquet").to_pylist())


def test_a_publication_is_patched_from_the_last_and_holds_exactly_the_warehouse(tmp_path, monkeypatch):
    from creditwh.warehouse import publishing

    settings = _settings(tmp_path)
    _build_warehouse(settings, 200)
    mark_changing(settings, "run-1")
    first = publish(settings, run_id="run-1")
    assert first.manifest["patched_from"] is None  # nothing to start from
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("update marts.fct_x set id = id + 1000 where id between 10 and 14")  # changed
        con.execute("delete from marts.fct_x where id between 20 and 29")  # gone
        con.execute("insert into marts.fct_x values (7), (7), (5000)")  # new, and a row held three times now
        con.execute("create table public.new_disclosures as select 'new' as doc_no")  # a new table
        con.execute("create or replace table public.disclosures as select range as id, 'x' as added "
                    "from range(100)")  # other columns
    described = {("marts", "fct_x"): publishing.TableDescription("", {"id": "记录编号"})}
    monkeypatch.setattr(publishing, "dbt_descriptions", lambda: described)
    mark_changing(settings, "run-2")
    second = publish(settings, run_id="run-2")

    assert second.manifest["patched_from"] == first.manifest["publication"]
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        for table in ("marts.fct_x", "public.disclosures", "public.new_disclosures"):
            built = sorted(con.execute(f"select * from {table}").fetchall())
            assert _published_rows(second, table) == (built, built), table
    assert second.tables == {"marts.fct_x": 193, "public.disclosures": 100, "public.new_disclosures": 1}
    published = duckdb.connect(str(second.duckdb_path), read_only=True)
    assert published.execute("select column_name, comment from duckdb_columns() where table_name = 'disclosures'"
                             ).fetchall() == [("id", None), ("added", None)]
    assert published.execute("select comment from duckdb_columns() where table_name = 'fct_x'").fetchall() == [
        ("记录编号",)]
    published.close()

    # a table the warehouse no longer has is no longer published
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("drop table public.new_disclosures")
    mark_changing(settings, "run-3")
    assert "public.new_disclosures" not in publish(settings, run_id="run-3").tables


def _publish_run(settings: Settings, run_id: str):
    mark_changing(settings, run_id)
    return publish(settings, run_id=run_id)


def test_an_unchanged_table_keeps_its_parquet_file_unless_its_description_changed(tmp_path, monkeypatch):
    from creditwh.warehouse import publishing

    settings = _settings(tmp_path)
    _build_warehouse(settings, 50)
    first = _publish_run(settings, "run-1")
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("insert into marts.fct_x values (50)")  # public.disclosures stays as it was
    second = _publish_run(settings, "run-2")

    def inode(done, table):  # its own folder: done.parquet_dir is the `current` link, now the newest's
        return os.stat(published_dir(settings) / f"parquet.{done.manifest['publication']}" / table / "data.parquet").st_ino

    assert inode(second, "public.disclosures") == inode(first, "public.disclosures")  # the same file
    assert inode(second, "marts.fct_x") != inode(first, "marts.fct_x")
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        for table in ("marts.fct_x", "public.disclosures"):
            built = sorted(con.execute(f"select * from {table}").fetchall())
            assert _published_rows(second, table) == (built, built), table

    described = {("public", "disclosures"): publishing.TableDescription("公示", {"id": "记录编号"})}
    monkeypatch.setattr(publishing, "dbt_descriptions", lambda: described)
    third = _publish_run(settings, "run-3")
    assert inode(third, "public.disclosures") != inode(second, "public.disclosures")  # written anew
    assert pq.read_schema(third.parquet_dir / "public.disclosures" / "data.parquet").field("id").metadata == {
        b"description": "记录编号".encode()}


def test_row_hashes_of_a_publication_never_swapped_in_are_not_used(tmp_path, monkeypatch):
    """The hashes file names the publication it describes; any other is hashed again (the slow path)."""
    from creditwh.warehouse import publishing, row_hashes

    settings = _settings(tmp_path)
    _build_warehouse(settings, 40)
    _publish_run(settings, "run-1")
    with duckdb.connect(str(published_dir(settings) / row_hashes.HASHES_NAME)) as con:
        con.execute("update described set publication = 'a publication killed before its swap'")
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("delete from marts.fct_x where id < 5")
    hashed_again = []
    monkeypatch.setattr(publishing, "_patch", lambda con, name, patch=publishing._patch: (
        hashed_again.append(name), patch(con, name))[-1])
    second = _publish_run(settings, "run-2")
    assert sorted(hashed_again) == ['"marts"."fct_x"', '"public"."disclosures"']
    assert second.tables == {"marts.fct_x": 35, "public.disclosures": 20}

    # the hashes it left describe it: the next publication reads them instead of hashing again
    hashed_again.clear()
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("delete from marts.fct_x where id < 10")
    assert _publish_run(settings, "run-3").tables == {"marts.fct_x": 30, "public.disclosures": 20}
    assert hashed_again == []


def test_row_hashes_that_do_not_describe_the_publication_stop_it(tmp_path):
    """A patch that finds other rows than the stored hashes promise publishes nothing."""
    from creditwh.warehouse import row_hashes

    settings = _settings(tmp_path)
    _build_warehouse(settings, 40)
    first = _publish_run(settings, "run-1")
    with duckdb.connect(str(published_dir(settings) / row_hashes.HASHES_NAME)) as con:
        con.execute("delete from marts.fct_x where row_hash = (select min(row_hash) from marts.fct_x)")
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("insert into marts.fct_x values (40)")
    with pytest.raises(PublishError, match="fct_x.*nothing was published"):
        _publish_run(settings, "run-2")
    assert _read_in_new_process(first.duckdb_path) == 40
    # and the hashes it began to change describe nothing now: the next publication hashes again
    assert _publish_run(settings, "run-3").tables["marts.fct_x"] == 41


def test_a_publication_of_another_storage_version_is_not_patched(tmp_path):
    settings = _settings(tmp_path)
    _build_warehouse(settings, 10)
    mark_changing(settings, "run-1")
    publish(settings, run_id="run-1")
    manifest = published_dir(settings) / "published.json"
    older = json.loads(manifest.read_text(encoding="utf-8"))
    del older["storage_version"]  # as the publications before patching were
    manifest.write_text(json.dumps(older), encoding="utf-8")

    mark_changing(settings, "run-2")
    assert publish(settings, run_id="run-2").manifest["patched_from"] is None


def test_parquet_keeps_min_max_for_the_columns_a_reader_can_skip_by(tmp_path):
    """Row-group statistics for numbers and dates (a date filter skips row groups), none for text:
    codes and names in no order span every row group, and their statistics cost writing time."""
    settings = _settings(tmp_path)
    _build_warehouse(settings, 10)
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("create table marts.fct_dated as select range as id, date '2026-01-01' + range::int as decided, "
                    "'91370100MA' || range as entity_code from range(10)")
    done = _publish_run(settings, "run-1")
    row_group = pq.ParquetFile(done.parquet_dir / "marts.fct_dated" / "data.parquet").metadata.row_group(0)
    statistics = {row_group.column(i).path_in_schema: row_group.column(i).statistics for i in range(row_group.num_columns)}
    assert (statistics["id"].min, statistics["id"].max) == (0, 9)
    assert str(statistics["decided"].max) == "2026-01-10"
    assert statistics["entity_code"] is None
