"""Land a raw directory into the warehouse's ``raw`` schema, in one transaction."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .contract import KindSpec, load_contract, map_header
from .files import DeliveredFile, UndecodableFile, discover, fingerprint, sniff_problem, utf8_copy
from .pii import pii_columns_sql, register_normaliser
from .readers import ScanResult, UnreadableFile, scan_csv, scan_xlsx

log = logging.getLogger(__name__)

LINEAGE_COLUMNS = ["_file_path", "_row_number", "_line_number"]


@dataclass(frozen=True)
class FileOutcome:
    file_path: str
    kind: str
    sha256: str
    status: str  # loaded | rejected | duplicate
    rows_read: int
    rows_parse_rejected: int
    reason: str | None
    encoding: str | None
    reader: str | None


def raw_columns(spec: KindSpec) -> list[str]:
    """The raw table's columns: lineage, the contract's columns (PII replaced), extras."""
    cols = list(LINEAGE_COLUMNS)
    for name in spec.column_names:
        if name in spec.pii_columns:
            cols += [f"{name}_key", f"{name}_masked", f"{name}_is_ric"]
        else:
            cols.append(name)
    return cols + ["_extra"]


def _create_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP SCHEMA IF EXISTS raw CASCADE")
    con.execute("CREATE SCHEMA raw")
    con.execute(
        """CREATE TABLE raw.extract_files (
            file_path VARCHAR PRIMARY KEY, kind VARCHAR, sha256 VARCHAR, status VARCHAR,
            rows_read BIGINT, rows_parse_rejected BIGINT, reason VARCHAR, encoding VARCHAR,
            reader VARCHAR, file_order INTEGER)"""
    )
    con.execute(
        """CREATE TABLE raw.parse_rejects (
            file_path VARCHAR, line_number BIGINT, reason VARCHAR, raw_text VARCHAR)"""
    )
    for kind, spec in load_contract().items():
        defs = []
        for col in raw_columns(spec):
            if col in ("_row_number", "_line_number"):
                defs.append(f'"{col}" BIGINT')
            elif col.endswith("_is_ric"):
                defs.append(f'"{col}" BOOLEAN')
            elif col == "_extra":
                defs.append('"_extra" JSON')
            else:
                defs.append(f'"{col}" VARCHAR')
        con.execute(f"CREATE TABLE raw.{kind} ({', '.join(defs)})")


def _insert_scan(con, spec: KindSpec, delivered: DeliveredFile, scan: ScanResult, pii_key: bytes) -> None:
    mapping = map_header(spec, scan.header)
    position = {name: i for i, name in enumerate(mapping.canonical_by_position) if name is not None}
    select = ["? AS _file_path", "_row_number", "_line_number"]
    for name in spec.column_names:
        source = f"c{position[name]}" if name in position else "NULL::VARCHAR"
        if name in spec.pii_columns:
            select += pii_columns_sql(name, source, pii_key)
        else:
            select.append(f'{source} AS "{name}"')
    extras = mapping.extra_columns
    if extras:
        pairs = ", ".join(f"'{h.replace(chr(39), chr(39) * 2)}', c{i}" for i, h in extras)
        select.append(f"json_object({pairs}) AS _extra")
    else:
        select.append("NULL::JSON AS _extra")
    con.execute(
        f"INSERT INTO raw.{spec.kind} SELECT {', '.join(select)} FROM _scan ORDER BY _row_number",
        [delivered.rel_path],
    )


def _land_file(con, delivered: DeliveredFile, scratch: Path, seen: dict[str, str], pii_key: bytes) -> FileOutcome:
    fp = fingerprint(delivered.path)

    def outcome(status, reason=None, scan: ScanResult | None = None, encoding=None) -> FileOutcome:
        return FileOutcome(
            delivered.rel_path, delivered.kind, fp.sha256, status,
            scan.rows_read if scan else 0, len(scan.rejects) if scan else 0,
            reason, encoding, scan.reader if scan else None,
        )

    if fp.sha256 in seen:
        return outcome("duplicate", f"DUPLICATE: same bytes as {seen[fp.sha256]}")
    seen[fp.sha256] = delivered.rel_path
    if reason := delivered.misplaced_reason:
        return outcome("rejected", reason)
    if reason := sniff_problem(delivered.path, fp, delivered.suffix):
        return outcome("rejected", reason)
    spec = load_contract()[delivered.kind]
    encoding = None
    try:
        if delivered.suffix == ".xlsx":
            # a further worksheet whose first row names contract columns holds records
            scan = scan_xlsx(con, delivered.path, lambda cells: any(map_header(spec, cells).canonical_by_position))
        else:
            text_path, encoding = utf8_copy(delivered.path, fp, scratch)
            scan = scan_csv(con, text_path, fp.physical_lines)
    except (UndecodableFile, UnreadableFile) as exc:
        return outcome("rejected", str(exc), encoding=encoding)
    if problem := map_header(spec, scan.header).problem:
        return outcome("rejected", problem, encoding=encoding)
    # a header and no rows is an empty batch (nothing to report this month): loaded, rows_read = 0
    _insert_scan(con, spec, delivered, scan, pii_key)
    if scan.rejects:
        con.executemany(
            "INSERT INTO raw.parse_rejects VALUES (?, ?, ?, ?)",
            [(delivered.rel_path, line, reason, text) for line, reason, text in scan.rejects],
        )
    return outcome("loaded", scan=scan, encoding=encoding)


def _land_file_safely(con, delivered: DeliveredFile, scratch: Path, seen: dict[str, str],
                      pii_key: bytes) -> FileOutcome:
    """A failure nobody foresaw rejects the file, with the error as its reason, and takes back
    any of its rows already written; the other files go on."""
    try:
        return _land_file(con, delivered, scratch, seen, pii_key)
    except Exception as exc:
        log.exception("landing %s failed", delivered.rel_path)
        con.execute("DELETE FROM raw.parse_rejects WHERE file_path = ?", [delivered.rel_path])
        if delivered.kind in load_contract():
            con.execute(f"DELETE FROM raw.{delivered.kind} WHERE _file_path = ?", [delivered.rel_path])
        try:
            sha256 = fingerprint(delivered.path).sha256
        except OSError:
            sha256 = None
        message = (str(exc).strip().splitlines() or [""])[0][:500]
        return FileOutcome(delivered.rel_path, delivered.kind, sha256, "rejected", 0, 0,
                           f"LANDING_ERROR: {type(exc).__name__}: {message}", None, None)


def _scratch_directory(scratch_root: Path | None) -> tempfile.TemporaryDirectory:
    """A fresh scratch folder; under ``scratch_root`` (next to the warehouse) what earlier,
    killed runs left there is removed first. The caller holds the warehouse lock."""
    if scratch_root is None:
        return tempfile.TemporaryDirectory(prefix="creditwh-landing-")
    scratch_root.mkdir(parents=True, exist_ok=True)
    for stale in scratch_root.glob("landing-*"):
        log.warning("removing %s, left by a landing that did not finish", stale)
        shutil.rmtree(stale, ignore_errors=True)
    return tempfile.TemporaryDirectory(prefix=f"landing-{os.getpid()}-", dir=scratch_root)


def land(con: duckdb.DuckDBPyConnection, raw_dir: Path, pii_key: bytes,
         scratch_root: Path | None = None) -> list[FileOutcome]:
    """Rebuild the warehouse's raw schema from every file under raw_dir. All or nothing.

    Files are read into a scratch database first (a reader that fails there costs nothing),
    then the raw schema is replaced in one warehouse transaction: a crash at any point
    leaves the previous raw schema whole (and its scratch files, which the next landing in
    the same ``scratch_root`` removes). Identity numbers are hashed before the scratch
    tables are written, so plaintext only ever lives in the scan's temporary table.
    """
    files = discover(raw_dir)
    outcomes: list[FileOutcome] = []
    seen: dict[str, str] = {}
    with _scratch_directory(scratch_root) as scratch:
        scratch_db = Path(scratch) / "landing.duckdb"
        work = duckdb.connect(str(scratch_db))
        try:
            register_normaliser(work)
            _create_raw_schema(work)
            for order, delivered in enumerate(files, start=1):
                result = _land_file_safely(work, delivered, Path(scratch), seen, pii_key)
                log.info("%s %s: %s rows%s", result.status, result.file_path, result.rows_read,
                         f" ({result.reason})" if result.reason else "")
                work.execute(
                    "INSERT INTO raw.extract_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [result.file_path, result.kind, result.sha256, result.status, result.rows_read,
                     result.rows_parse_rejected, result.reason, result.encoding, result.reader, order],
                )
                outcomes.append(result)
            tables = [r[0] for r in work.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw' AND NOT temporary"
            ).fetchall()]
        finally:
            work.close()
        con.execute(f"ATTACH '{scratch_db}' AS landing (READ_ONLY)")
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute("DROP SCHEMA IF EXISTS raw CASCADE")
                con.execute("CREATE SCHEMA raw")
                for table in tables:
                    con.execute(f"CREATE TABLE raw.{table} AS SELECT * FROM landing.raw.{table}")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        finally:
            con.execute("DETACH landing")
    return outcomes
