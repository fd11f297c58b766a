"""Published marts: a read-only copy of the marts and public schemas for BI tools.

BI tools never open the live warehouse: DuckDB allows one writer, and a reader holding the
live file blocks the next run. After a run whose gates all passed, the ``marts`` and
``public`` schemas are copied into

  <warehouse dir>/published/credit_marts.duckdb        one DuckDB file, opened read-only
  <warehouse dir>/published/current/<schema>.<table>/data.parquet
  <warehouse dir>/published/published.json             what is published, as of when

Both are built under names no reader uses, then swapped in with one rename each. The DuckDB file
starts as a copy of the last publication's (same storage version), whose tables are patched: the
rows a table gained, lost or changed since, found by row hash against the hashes the last
publication left (creditwh.warehouse.row_hashes), and a check that the patched table holds the
warehouse's rows; a table with other columns, or new, is copied whole. A table's Parquet file is
written whole from the result, or, when the table did not change, is the last publication's file.

- the DuckDB file is built as ``credit_marts.<stamp>.duckdb.building`` and ``os.replace``d
  onto ``credit_marts.duckdb``. A reader that has the old file open keeps its inode (the
  rename does not touch open files and takes no lock), a connection opened afterwards gets
  the new file: a reader sees the previous complete publication or the new one, never a
  half-built table, and never holds up the next run.
- the Parquet tables are written to ``parquet.<stamp>/`` and the ``current`` symlink is
  replaced atomically (a temporary symlink renamed over it). The previous folder is kept
  until the next publication succeeds, for readers still scanning it; older ones are pruned.

Beside them, ``parquet.<stamp>/lookup/<schema>.<table>/data.parquet`` holds the few
intermediate and reference tables an entity look-up or a scorecard reads beyond the marts
(LOOKUP_TABLES): a look-up made while a run holds the warehouse answers from one publication
folder, whole, without opening the live file (creditwh.report.source).

What BI clients get from it:

- the DuckDB file is written in storage version ``STORAGE_VERSION`` (``ATTACH ...
  (STORAGE_VERSION ...)``), which every DuckDB 1.x reads (1.4 LTS, 1.5 and the tools bundling
  them); DuckDB 2.0's own format is refused by them ("created with a newer version").
- every table and column carries its dbt description (the model YAML, read from dbt's
  ``target/manifest.json`` at publish time) as a DuckDB comment, and each Parquet file carries
  the same as field metadata (``description``) and the table's as schema metadata.

A publication that would lose most of a table the last one held (an empty or half-mounted raw
folder) is refused unless allowed (``allow_shrink``; the limit is Settings.shrink_limit).

A killed publication leaves only ``*.building`` files, which the next one removes; it never
replaces what readers use. A warehouse whose last change did not end with every gate
passing is never published: the writing steps mark the warehouse changed
(``<warehouse>.state.json``) and only a run whose gates passed marks it verified.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from creditwh.dbt_project import ensure_manifest, manifest_nodes
from creditwh.warehouse import row_hashes
from creditwh.warehouse.settings import CHINA_TZ, SHRINK_GUARD_MIN_ROWS, Settings

PUBLISHED_SCHEMAS = ("marts", "public")
DUCKDB_NAME = "credit_marts.duckdb"
CURRENT_LINK = "current"
MANIFEST_NAME = "published.json"
BUILDING_SUFFIX = ".building"
# The oldest storage format DuckDB 2.0 writes that every DuckDB 1.x client opens.
STORAGE_VERSION = "v1.0.0"
DESCRIPTION_KEY = b"description"  # Parquet field and schema metadata key
LOOKUP_FOLDER = "lookup"
# Parquet files written at once. Writing them is most of a daily publication at 10 M (about 65 s of one
# core for the big tables, each rewritten whole for a few changed rows); two writers beside DuckDB's
# patching took a publication of 0.2 % changed rows from 73 s to 68 s on the 2-core bench machine.
PARQUET_WRITERS = 2
# What creditwh.report.load and creditwh.scorecard.build read outside the published schemas
# (tests/unit/test_publishing.py checks this list against their SQL).
LOOKUP_TABLES = ("reference.regions",)


class PublishError(RuntimeError):
    pass


def published_dir(settings: Settings) -> Path:
    return settings.warehouse_dir / "published"


def published_duckdb(settings: Settings) -> Path:
    return published_dir(settings) / DUCKDB_NAME


def published_parquet(settings: Settings) -> Path:
    return published_dir(settings) / CURRENT_LINK


def read_only_url(path: Path) -> str:
    """The SQLAlchemy URL (duckdb-engine) a BI tool uses for the published file."""
    return f"duckdb:///{Path(path).resolve().as_posix()}?access_mode=read_only"


# --- whether the warehouse may be published -------------------------------------------------

def _state_path(settings: Settings) -> Path:
    return settings.warehouse_path.with_name(settings.warehouse_path.name + ".state.json")


def read_state(settings: Settings) -> dict:
    try:
        return json.loads(_state_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_json_atomically(path: Path, doc: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def mark_changing(settings: Settings, run_id: str) -> None:
    """A step is about to write the warehouse: until its run's gates pass, nothing is published."""
    _write_json_atomically(_state_path(settings), {
        "verified": False, "changed_by_run": run_id, "changed_at": _now(), "as_of": settings.as_of.isoformat(),
    })


def mark_verified(settings: Settings, run_id: str) -> None:
    _write_json_atomically(_state_path(settings), {
        "verified": True, "changed_by_run": run_id, "verified_at": _now(), "as_of": settings.as_of.isoformat(),
    })


def _now() -> str:
    return datetime.now(CHINA_TZ).isoformat(timespec="seconds")


# --- building and swapping a publication ----------------------------------------------------

@dataclass(frozen=True)
class Publication:
    duckdb_path: Path
    parquet_dir: Path  # the stable `current` link
    manifest: dict

    @property
    def tables(self) -> dict[str, int]:
        return self.manifest["tables"]


def read_manifest(settings: Settings) -> dict | None:
    """The last publication's manifest, None when nothing has been published."""
    try:
        return json.loads((published_dir(settings) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def publish(settings: Settings, run_id: str | None = None, allow_shrink: bool = False) -> Publication:
    """Publish the warehouse's marts and public schemas. The caller holds the warehouse lock.

    ``run_id``: the run whose gates have just passed (the Dagster asset); without it (the
    ``creditwh publish`` command) the warehouse must be in the state its last verified run left.
    ``allow_shrink``: publish even what would lose most of a table the last publication held.
    """
    state = read_state(settings)
    if run_id is not None and state.get("changed_by_run") == run_id:
        mark_verified(settings, run_id)
        state = read_state(settings)
    elif not state.get("verified"):
        raise PublishError(
            "the warehouse has changed since a run last passed every gate"
            + (f" (run {state['changed_by_run']} at {state.get('changed_at', '?')} did not finish)"
               if state.get("changed_by_run") else " (no verified run recorded)")
            + "; run `creditwh run` to rebuild and publish"
        )
    if not settings.warehouse_path.exists():
        raise PublishError(f"no warehouse at {settings.warehouse_path}; build it with `creditwh run`")

    out = published_dir(settings)
    out.mkdir(parents=True, exist_ok=True)
    remove_partial(out)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    db_building = out / f"credit_marts.{stamp}.duckdb{BUILDING_SUFFIX}"
    pq_building = out / f"parquet.{stamp}{BUILDING_SUFFIX}"
    pq_final = out / f"parquet.{stamp}"

    try:
        manifest = _build(settings, db_building, pq_building, stamp, state, allow_shrink)
    except PublishError:
        remove_partial(out)
        raise
    _write_json_atomically(pq_building / MANIFEST_NAME, manifest)
    _fsync_tree(pq_building)
    os.replace(pq_building, pq_final)

    # The swaps: one rename each. Readers of the old file keep it; new connections get the new one.
    os.replace(db_building, out / DUCKDB_NAME)
    tmp_link = out / f".{CURRENT_LINK}.{stamp}.tmp"
    tmp_link.symlink_to(pq_final.name, target_is_directory=True)
    os.replace(tmp_link, out / CURRENT_LINK)
    _write_json_atomically(out / MANIFEST_NAME, manifest)
    _fsync_dir(out)
    _prune(out, keep={pq_final.name})
    return Publication(out / DUCKDB_NAME, out / CURRENT_LINK, manifest)


def _patchable(settings: Settings) -> tuple[Path, str] | None:
    """The last publication's DuckDB file and stamp, when the next one may start from a copy of it:
    written in this code's storage version (the manifest says which)."""
    last = read_manifest(settings)
    path = published_dir(settings) / DUCKDB_NAME
    if last is None or last.get("storage_version") != STORAGE_VERSION or not path.is_file():
        return None
    return path, last["publication"]


def _build(settings: Settings, db_path: Path, pq_dir: Path, stamp: str, state: dict, allow_shrink: bool) -> dict:
    """Copy the published schemas into a new DuckDB file and Parquet folders (not yet visible).

    The DuckDB file starts from a copy of the last publication, when there is one in this storage
    version, and each table that kept its columns is patched: a daily batch changes a few rows of each
    table, and writing only those costs a fraction of writing every table anew (bench/RESULTS.md). A
    patched table is checked against the warehouse's (row count, sum of row hashes) before it is kept."""
    descriptions = dbt_descriptions()
    last = _patchable(settings)
    if last is not None:
        shutil.copyfile(last[0], db_path)
    con = duckdb.connect(config=settings.duckdb_config)
    try:
        if last is not None:
            con.execute("ATTACH ? AS publication", [str(db_path)])
        else:
            con.execute(f"ATTACH ? AS publication (STORAGE_VERSION '{STORAGE_VERSION}')", [str(db_path)])
        con.execute("USE publication")
        con.execute("ATTACH ? AS src (READ_ONLY)", [str(settings.warehouse_path)])
        tables = con.execute(
            f"""SELECT schema_name, table_name FROM duckdb_tables()
                WHERE database_name = 'src' AND NOT temporary
                  AND schema_name IN ({', '.join('?' for _ in PUBLISHED_SCHEMAS)})
                ORDER BY schema_name, table_name""",
            list(PUBLISHED_SCHEMAS),
        ).fetchall()
        present = {schema for schema, _ in tables}
        if missing := [s for s in PUBLISHED_SCHEMAS if s not in present]:
            raise PublishError(f"the warehouse has no {', '.join(missing)} tables to publish; run `creditwh run`")
        if not allow_shrink:
            _refuse_shrinking(settings, _source_counts(con, tables))
        counts: dict[str, int] = {}
        for schema in PUBLISHED_SCHEMAS:
            con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        kept = _columns_of_tables(con, "publication")
        built = _columns_of_tables(con, "src")
        for schema, table in set(kept) - set(built):
            con.execute(f'DROP TABLE "{schema}"."{table}"')
        hashes_valid = row_hashes.attach(con, published_dir(settings), last[1] if last is not None else None)
        row_hashes.forget_publication(con)
        last_parquet = published_dir(settings) / f"parquet.{last[1]}" if last is not None else None
        # A table's Parquet is written (pyarrow, one core per file) while DuckDB patches the next
        # tables: each writer reads a copy already committed, through a cursor of its own.
        with ThreadPoolExecutor(max_workers=PARQUET_WRITERS) as parquet_writer:
            written = []
            for schema, table in tables:
                name = f'"{schema}"."{table}"'
                described = descriptions.get((schema, table), TableDescription("", {}))
                folder = pq_dir / f"{schema}.{table}"
                folder.mkdir(parents=True)
                stored = row_hashes.stored(con, schema, table) if hashes_valid else None
                if kept.get((schema, table)) != built[(schema, table)]:
                    con.execute(f"DROP TABLE IF EXISTS {name}")
                    con.execute(f"CREATE TABLE {name} AS SELECT * FROM src.{name}")
                    changed = True
                    _hash_built_rows(con, name)
                    row_hashes.replace(con, schema, table, "built_rows")
                elif stored is not None:
                    changed = _patch_from_stored(con, schema, table, stored)
                else:
                    _patch(con, name)
                    changed = True
                    row_hashes.replace(con, schema, table, "built_rows")
                con.execute("DROP TABLE IF EXISTS built_rows; DROP TABLE IF EXISTS changed_rows")
                _comment(con, name, described)
                target = folder / "data.parquet"
                if changed or not _link_unchanged_parquet(last_parquet, f"{schema}.{table}", described, target):
                    written.append(parquet_writer.submit(_write_described_parquet, con.cursor(),
                                                         f"publication.{name}", described, target))
                counts[f"{schema}.{table}"] = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
            for parquet in written:
                parquet.result()  # a failed write fails the publication
        row_hashes.describe(con, stamp, tables)
        lookup_counts = _copy_lookup_tables(con, pq_dir / LOOKUP_FOLDER)
        manifest = {
            "published_at": datetime.now(CHINA_TZ).isoformat(timespec="seconds"),
            "publication": stamp,
            "as_of": state.get("as_of"),
            "run_id": state.get("changed_by_run"),
            "warehouse": str(settings.warehouse_path),
            "extract_files_sha256": _extract_files_digest(con),
            "tables": counts,
            "lookup_tables": lookup_counts,
            "storage_version": STORAGE_VERSION,
            "patched_from": last[1] if last is not None else None,  # the publication the file was copied from
        }
        con.execute("DETACH src")
        con.execute(f"DETACH {row_hashes.ALIAS}")
        con.execute(
            "CREATE OR REPLACE TABLE main.publication AS SELECT ?::TIMESTAMPTZ AS published_at, ? AS publication, "
            "?::DATE AS as_of, ? AS run_id, ? AS extract_files_sha256, ?::JSON AS tables",
            [manifest["published_at"], stamp, manifest["as_of"], manifest["run_id"],
             manifest["extract_files_sha256"], json.dumps(counts, ensure_ascii=False)],
        )
        con.execute("COMMENT ON TABLE main.publication IS "
                    "'本次发布：发布时间、数据截至日期、运行编号、源文件摘要、各表行数 (published_at, as_of, run_id, "
                    "extract_files_sha256, tables)'")
        con.execute("CHECKPOINT")
        con.execute("USE memory")
        con.execute("DETACH publication")
    finally:
        con.close()
    if Path(str(db_path) + ".wal").exists():
        raise PublishError(f"{db_path.name} kept a write-ahead log after its checkpoint")
    _fsync_file(db_path)
    return manifest


# --- what the published tables mean -----------------------------------------------------------

@dataclass(frozen=True)
class TableDescription:
    table: str
    columns: dict[str, str]


def dbt_descriptions() -> dict[tuple[str, str], TableDescription]:
    """(schema, table) -> the model's description and its columns', from dbt's manifest.

    The dbt YAML is the one source; the manifest is its parsed form, built if missing.
    """
    ensure_manifest()
    return {
        (node["schema"], node.get("alias") or node["name"]): TableDescription(
            node.get("description", "").strip(),
            {name: col.get("description", "").strip() for name, col in node.get("columns", {}).items()},
        )
        for node in manifest_nodes() if node.get("resource_type") in ("model", "seed", "snapshot")
    }


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _comment(con: duckdb.DuckDBPyConnection, name: str, described: TableDescription) -> None:
    """COMMENT ON the published table and each of its columns (BI tools show them): its description,
    or none (a patched table may hold the comment of a description since removed)."""
    columns = [column for column, *_ in con.execute(f"SELECT * FROM {name} LIMIT 0").description]

    def text(description: str | None) -> str:
        return _sql_string(description) if description else "NULL"

    con.begin()  # one transaction, not one per statement: a table's comments cost one commit
    con.execute(f"COMMENT ON TABLE {name} IS {text(described.table)}")
    for column in columns:
        con.execute(f'COMMENT ON COLUMN {name}."{column}" IS {text(described.columns.get(column))}')
    con.commit()


def _columns_of_tables(con: duckdb.DuckDBPyConnection, database: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(schema, table) -> its columns (name, type) in order, for the published schemas of ``database``."""
    tables: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, table, column, data_type in con.execute(
        f"""SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns()
            WHERE database_name = ? AND schema_name IN ({', '.join('?' for _ in PUBLISHED_SCHEMAS)})
            AND NOT internal ORDER BY schema_name, table_name, column_index""",
        [database, *PUBLISHED_SCHEMAS],
    ).fetchall():
        tables.setdefault((schema, table), []).append((column, data_type))
    return tables


def _hash_built_rows(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """TEMP built_rows (row_hash, n): the warehouse table's rows, by hash."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE built_rows AS "
                f"SELECT hash(r) AS row_hash, count(*) AS n FROM src.{name} AS r GROUP BY ALL")


def _patch(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Make the copied table ``publication.<name>`` hold the rows of ``src.<name>``: the rows whose
    hash the two hold a different number of times are deleted and inserted anew, in one transaction.
    Then both must hold as many rows with the same sum of row hashes, or nothing is published.
    (Without stored row hashes: the first publication after one that left none.)"""
    _hash_built_rows(con, name)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE changed_rows AS
        WITH published AS (SELECT hash(r) AS row_hash, count(*) AS n FROM publication.{name} AS r GROUP BY ALL)
        SELECT row_hash FROM published FULL JOIN built_rows AS built USING (row_hash)
        WHERE published.n IS DISTINCT FROM built.n""")
    con.begin()
    con.execute(f"DELETE FROM publication.{name} AS r WHERE hash(r) IN (SELECT row_hash FROM changed_rows)")
    con.execute(f"INSERT INTO publication.{name} SELECT * FROM src.{name} AS r "
                "WHERE hash(r) IN (SELECT row_hash FROM changed_rows)")
    con.commit()
    patched = con.execute(f"SELECT count(*), coalesce(sum(hash(r)), 0) FROM publication.{name} AS r").fetchall()[0]
    source = con.execute("SELECT coalesce(sum(n), 0), coalesce(sum(row_hash::HUGEINT * n), 0) FROM built_rows").fetchall()[0]
    if patched != source:
        raise PublishError(f"{name} patched from the last publication does not hold the warehouse's rows "
                           f"({patched[0]} rows against {source[0]}); nothing was published")


def _patch_from_stored(con: duckdb.DuckDBPyConnection, schema: str, table: str, stored: str) -> bool:
    """``_patch`` with the publication's row hashes read from ``stored`` (creditwh.warehouse.row_hashes)
    instead of hashed again; False when nothing changed (the table is left as copied). The check: the
    delete removes exactly the rows the stored hashes say the publication holds of each changed hash,
    the insert adds exactly the warehouse's, and the table ends with the warehouse's row count."""
    name = f'"{schema}"."{table}"'
    _hash_built_rows(con, name)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE changed_rows AS
        SELECT row_hash, published.n AS published_n, built.n AS built_n
        FROM {stored} AS published FULL JOIN built_rows AS built USING (row_hash)
        WHERE published.n IS DISTINCT FROM built.n""")
    changes, to_delete, to_insert = con.execute(
        "SELECT count(*), coalesce(sum(published_n), 0), coalesce(sum(built_n), 0) FROM changed_rows").fetchall()[0]
    if not changes:
        return False
    con.begin()
    deleted = con.execute(f"DELETE FROM publication.{name} AS r WHERE hash(r) IN "
                          "(SELECT row_hash FROM changed_rows WHERE published_n IS NOT NULL)").fetchall()[0][0]
    inserted = con.execute(f"INSERT INTO publication.{name} SELECT * FROM src.{name} AS r WHERE hash(r) IN "
                           "(SELECT row_hash FROM changed_rows WHERE built_n IS NOT NULL)").fetchall()[0][0]
    if (deleted, inserted) != (to_delete, to_insert):
        con.rollback()
        raise PublishError(f"{name} patched from the last publication: {deleted} rows deleted and {inserted} "
                           f"inserted where its row hashes call for {to_delete} and {to_insert}; nothing was published")
    con.commit()
    rows = con.execute(f"SELECT count(*) FROM publication.{name}").fetchall()[0][0]
    expected = con.execute("SELECT coalesce(sum(n), 0) FROM built_rows").fetchall()[0][0]
    if rows != expected:
        raise PublishError(f"{name} patched from the last publication holds {rows} rows against the warehouse's "
                           f"{expected}; nothing was published")
    row_hashes.update(con, schema, table, "changed_rows")
    return True


def _link_unchanged_parquet(last_folder: Path | None, table: str, described: TableDescription, target: Path) -> bool:
    """An unchanged table's Parquet is the last publication's file (a hard link: the old folder is
    pruned later, the file stays), when that file carries the same descriptions."""
    if last_folder is None:
        return False
    source = last_folder / table / "data.parquet"
    try:
        schema = pq.read_schema(source)
        if _descriptions_of(schema) != _descriptions_of(_described_schema(schema, described)):
            return False
        os.link(source, target)
    except (OSError, pa.ArrowException):
        return False
    return True


def _descriptions_of(schema: pa.Schema) -> tuple:
    return ((schema.metadata or {}).get(DESCRIPTION_KEY),
            tuple((field.metadata or {}).get(DESCRIPTION_KEY) for field in schema))


def _write_described_parquet(con: duckdb.DuckDBPyConnection, name: str, described: TableDescription,
                             path: Path) -> None:
    """The table as Parquet, streamed, its descriptions as field and schema metadata; ``con`` is closed."""
    with con:
        reader = con.sql(f"SELECT * FROM {name}").to_arrow_reader()
        schema = _described_schema(reader.schema, described)
        with pq.ParquetWriter(str(path), schema, write_statistics=_columns_with_statistics(schema)) as writer:
            for batch in reader:
                writer.write_batch(pa.RecordBatch.from_arrays(batch.columns, schema=schema))


def _columns_with_statistics(schema: pa.Schema) -> list[str]:
    """The columns whose min/max a reader can skip row groups by: numbers, dates, flags. Not the text
    columns: codes and names in no particular order span every row group, and their statistics were about
    a sixth of the writing time (bench/RESULTS.md)."""
    return [field.name for field in schema if not (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
                                                   or pa.types.is_string_view(field.type))]


def _described_schema(schema: pa.Schema, described: TableDescription) -> pa.Schema:
    fields = [field.with_metadata({**(field.metadata or {}), DESCRIPTION_KEY: described.columns[field.name]})
              if described.columns.get(field.name) else field for field in schema]
    metadata = {**(schema.metadata or {}), **({DESCRIPTION_KEY: described.table} if described.table else {})}
    return pa.schema(fields, metadata=metadata)


def _source_counts(con: duckdb.DuckDBPyConnection, tables: list[tuple[str, str]]) -> dict[str, int]:
    return {f"{schema}.{table}": con.execute(f'SELECT count(*) FROM src."{schema}"."{table}"').fetchall()[0][0]
            for schema, table in tables}


def shrinking_tables(before: dict[str, int], after: dict[str, int], limit: float) -> list[tuple[str, int, int]]:
    """(table, rows before, rows after) of each sizeable table that would lose more than ``limit`` of its rows."""
    return [(name, rows, after.get(name, 0)) for name, rows in sorted(before.items())
            if rows >= SHRINK_GUARD_MIN_ROWS and after.get(name, 0) < rows * (1 - limit)]


def _refuse_shrinking(settings: Settings, counts: dict[str, int]) -> None:
    last = read_manifest(settings)
    if last is None:
        return
    if shrinking := shrinking_tables(last["tables"], counts, settings.shrink_limit):
        vanishing = ", ".join(f"{name} {before} → {after} rows" for name, before, after in shrinking)
        raise PublishError(
            f"refused to publish: it would drop most of what the publication of {last.get('as_of')} held "
            f"({vanishing}; more than {settings.shrink_limit:.0%} of a table). Is the raw folder "
            f"{settings.raw_dir} mounted and complete? If the loss is intended, publish with --allow-shrink"
        )


def _copy_lookup_tables(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    """LOOKUP_TABLES the warehouse has, as Parquet beside the publication's own."""
    present = {f"{schema}.{table}" for schema, table in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()}
    counts = {}
    for name in (n for n in LOOKUP_TABLES if n in present):
        schema, table = name.split(".")
        target = folder / name
        target.mkdir(parents=True)
        source = f'src."{schema}"."{table}"'
        con.execute(f"COPY (SELECT * FROM {source}) TO ? (FORMAT parquet)", [str(target / "data.parquet")])
        counts[name] = con.execute(f"SELECT count(*) FROM {source}").fetchall()[0][0]
    return counts


def _extract_files_digest(con: duckdb.DuckDBPyConnection) -> str | None:
    """A digest of every delivered file's path, hash and status: which extracts the figures are of."""
    try:
        rows = con.execute(
            "SELECT file_path, sha256, status FROM src.audit.extract_files ORDER BY file_path"
        ).fetchall()
    except duckdb.Error:
        return None
    return hashlib.sha256("\n".join("\t".join(map(str, r)) for r in rows).encode("utf-8")).hexdigest()


def remove_partial(out: Path) -> list[Path]:
    """What a killed publication left behind: never swapped in, safe to delete under the lock."""
    removed = []
    for path in out.iterdir() if out.is_dir() else []:
        if path.name.endswith(BUILDING_SUFFIX) or path.name.endswith(BUILDING_SUFFIX + ".wal") or (
            path.name.startswith(".") and path.name.endswith(".tmp")
        ):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


def _prune(out: Path, keep: set[str]) -> None:
    """Keep the new Parquet folder and the one before it (readers may still scan it)."""
    folders = sorted(p.name for p in out.glob("parquet.*") if p.is_dir() and not p.name.endswith(BUILDING_SUFFIX))
    keep = set(keep) | set(folders[-2:])
    for name in folders:
        if name not in keep:
            shutil.rmtree(out / name, ignore_errors=True)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    _fsync_file(path)


def _fsync_tree(root: Path) -> None:
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            _fsync_file(Path(dirpath) / name)
        _fsync_dir(Path(dirpath))
