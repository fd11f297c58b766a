"""Land a raw directory into the warehouse's ``raw`` schema, in one transaction."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import duckdb
import pyarrow as pa

from creditwh import codes
from creditwh.rules import empty_markers

from .contract import KindSpec, load_contract, map_header
from . import pii
from .files import (
    NOTHING_READ_SHA256, DeliveredFile, Fingerprint, NotReadable, UndecodableFile, discover, fingerprint,
    sniff_problem, utf8_copy,
)
from .pii import (
    code_columns_sql, code_number_sql, is_code_column, key_fingerprint, mask_free_text, masked_cells_sql,
    masked_text_sql, pii_columns_sql, register_normaliser, register_sql_functions, row_may_hold_number_sql,
)
from .readers import ScanResult, UnreadableFile, scan_csv, scan_xlsx

log = logging.getLogger(__name__)

LINEAGE_COLUMNS = ["_file_path", "_row_number", "_line_number"]
LANDING_ERROR = "LANDING_ERROR"
# Tables of rows by file whose path column is file_path (the extract tables' is _file_path).
FILE_PATH_TABLES = ("parse_rejects", "rejected_file_senders")
# rules.md "Rejected deliveries": the cells of a file rejected whole that say whom it is charged to
# and in which month. dbt cleans and parses them as staging does (audit.extract_files).
SENDER_COLUMNS = ("数据来源单位统一社会信用代码", "报送时间")
# Files read at once, one per core: at 1 M records on 2 cores landing took 33.7 s with one,
# 22.7 s with two (DuckDB waits on the Python parts of a file's reading, and they on it).
# At most four: every file in flight is held in memory until the warehouse has taken its rows.
LANDING_WORKERS = min(os.cpu_count() or 1, 4)
OnFile = Callable[[int, int, int], None]  # (files settled, files, bytes read): progress
# A file's rows are taken as Arrow from execute() unless it is large. con.sql() plans the query twice
# (its relation binds it, then runs it), and planning the wide landing query is most of a small
# file's cost: the 151 files of raw_samples landed in 4.7-5.3 s with execute(), 7.4 s with sql().
# execute() copies the rows once more (DuckDB 2.0 warns), which a file of many rows feels in memory.
ROWS_TAKEN_BY_EXECUTE = 100_000
warnings.filterwarnings("ignore", "Arrow output on a DB-API result", UserWarning, __name__)


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
    # the previous landing's outcome for the same path and bytes, kept: the file was not read again
    reused: bool = False


# raw.extract_files: an outcome's columns, then the file's place and the stat cache
OUTCOME_COLUMNS = [f.name for f in fields(FileOutcome) if f.name != "reused"]


class Landing(list[FileOutcome]):
    """What land() returns: a FileOutcome per current file (a list, as callers count it), the files
    the previous landing had that are gone (an incremental landing's), and why every file was read,
    when every file was."""

    def __init__(self, outcomes: list[FileOutcome], removed: list[str], full_landing_reason: str | None):
        super().__init__(outcomes)
        self.removed = removed
        self.full_landing_reason = full_landing_reason


@dataclass(frozen=True)
class _Read:
    """A file's outcome and the rows it adds to the raw tables, by table (held in memory until
    the warehouse's transaction takes them)."""

    outcome: FileOutcome
    rows: dict[str, pa.Table] = field(default_factory=dict)


@dataclass(frozen=True)
class _Landed:
    """A file as the previous landing recorded it in raw.extract_files."""

    outcome: FileOutcome
    size_bytes: int | None
    mtime_ns: int | None


def raw_columns(spec: KindSpec) -> list[str]:
    """The raw table's columns: lineage, the contract's columns (PII replaced, code columns with the
    key of a person's number typed into them), extras."""
    cols = list(LINEAGE_COLUMNS)
    for name in spec.column_names:
        if name in spec.pii_columns:
            cols += [f"{name}_key", f"{name}_masked", f"{name}_is_ric"]
        elif is_code_column(name):
            cols += [name, f"{name}_key"]
        else:
            cols.append(name)
    return cols + ["_extra"]


def _rules_fingerprint() -> str:
    """What decides the landed rows besides the files' bytes and the PII key: the contract (header
    spellings, required and PII columns), the empty markers identity numbers are normalised with,
    what counts as an identity number (pii.py, and the code checks it uses), and how files are found
    and split into rows (files.py, readers.py): a fix there must not leave rows landed the old way."""
    rules = repr((sorted(load_contract().items()), sorted(empty_markers())))
    digest = hashlib.sha256(rules.encode("utf-8"))
    for source in (pii.__file__, codes.__file__, Path(__file__).with_name("files.py"),
                   Path(__file__).with_name("readers.py")):
        digest.update(Path(source).read_bytes())
    return digest.hexdigest()


def _create_raw_schema(con: duckdb.DuckDBPyConnection, pii_key: bytes) -> None:
    con.execute("DROP SCHEMA IF EXISTS raw CASCADE")
    con.execute("CREATE SCHEMA raw")
    con.execute(
        """CREATE TABLE raw.extract_files (
            file_path VARCHAR, kind VARCHAR, sha256 VARCHAR, status VARCHAR,
            rows_read BIGINT, rows_parse_rejected BIGINT, reason VARCHAR, encoding VARCHAR,
            reader VARCHAR, file_order INTEGER, size_bytes BIGINT, mtime_ns BIGINT)"""
    )
    con.execute(
        """CREATE TABLE raw.parse_rejects (
            file_path VARCHAR, line_number BIGINT, reason VARCHAR, raw_text VARCHAR)"""
    )
    con.execute(
        f"""CREATE TABLE raw.rejected_file_senders (
            file_path VARCHAR, {', '.join(f'"{name}" VARCHAR' for name in SENDER_COLUMNS)})"""
    )
    # what the landed rows were computed with: rows landed under another key or other rules cannot be kept
    con.execute("CREATE TABLE raw.landing_state (pii_key_fingerprint VARCHAR, rules_fingerprint VARCHAR)")
    con.execute("INSERT INTO raw.landing_state VALUES (?, ?)", [key_fingerprint(pii_key), _rules_fingerprint()])
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


def _raw_shape(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        """SELECT table_name, column_name, data_type FROM duckdb_columns()
           WHERE database_name = current_database() AND schema_name = 'raw'
           ORDER BY table_name, column_index"""
    ).fetchall()


def _landing_state(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    row = con.execute("SELECT * FROM raw.landing_state").fetchone()
    return dict(zip([d[0] for d in con.description], row or ()))


def _full_landing_reason(con: duckdb.DuckDBPyConnection, work: duckdb.DuckDBPyConnection) -> str | None:
    """Why the warehouse's raw schema cannot be updated file by file, if it cannot. ``work`` holds
    the raw schema this landing builds: the tables the contract gives and the landing state."""
    shape = _raw_shape(con)
    if not shape:
        return "no raw schema yet"
    if shape != _raw_shape(work):
        return "the raw tables are not the ones the current contract lands"
    stored, current = _landing_state(con), _landing_state(work)
    if changed := [name for name, value in current.items() if stored.get(name) != value]:
        return f"changed since the last landing: {', '.join(changed)}"
    return None


def _previous_landing(con: duckdb.DuckDBPyConnection) -> dict[str, _Landed]:
    rows = con.execute(f"SELECT {', '.join(OUTCOME_COLUMNS)}, size_bytes, mtime_ns FROM raw.extract_files").fetchall()
    return {row[0]: _Landed(FileOutcome(*row[:-2]), *row[-2:]) for row in rows}


def _scan_rows(con, spec: KindSpec, delivered: DeliveredFile, scan: ScanResult, pii_key: bytes) -> pa.Table:
    """The scan's rows as raw.<kind> has them: identity-number columns keyed, code columns keyed when
    they hold a person's number, every other cell (the extras' too) with identity numbers masked."""
    mapping = map_header(spec, scan.header)
    position = {name: i for i, name in enumerate(mapping.canonical_by_position) if name is not None}
    source = {name: f"c{position[name]}" if name in position else "NULL::VARCHAR" for name in spec.column_names}
    extras = mapping.extra_columns
    text_names = [n for n in spec.column_names if n not in spec.pii_columns and not is_code_column(n)]
    text_cells = [source[n] for n in text_names] + [f"c{i}" for i, _ in extras]
    masked_list, masked_cells = masked_cells_sql(text_cells, "_may_hold", "_masked")
    masked = dict(zip(text_names, masked_cells))
    # worked out once per row in inner SELECTs: may its text cells hold a number, a code cell's
    # person number, and the text cells masked
    inner = ["*", f"{row_may_hold_number_sql(text_cells)} AS _may_hold"]
    select = ["? AS _file_path", "_row_number", "_line_number"]
    for name in spec.column_names:
        if name in spec.pii_columns:
            select += pii_columns_sql(name, source[name], pii_key)
        elif is_code_column(name):
            number = f"_number{len(inner)}"
            inner.append(f"{code_number_sql(name, source[name])} AS {number}")
            select += code_columns_sql(name, source[name], number, pii_key)
        else:
            select.append(f'{masked[name]} AS "{name}"')
    if extras:
        pairs = ", ".join(f"'{mask_free_text(h).replace(chr(39), chr(39) * 2)}', {cell}"
                          for (_, h), cell in zip(extras, masked_cells[len(text_names):]))
        select.append(f"json_object({pairs}) AS _extra")
    else:
        select.append("NULL::JSON AS _extra")
    query = (f"SELECT {', '.join(select)} FROM (SELECT *, {masked_list} AS _masked "
             f"FROM (SELECT {', '.join(inner)} FROM _scan)) ORDER BY _row_number")
    if scan.rows_read < ROWS_TAKEN_BY_EXECUTE:
        return con.execute(query, [delivered.rel_path]).to_arrow_table()
    return con.sql(query, params=[delivered.rel_path]).to_arrow_table()


def _sender_rows(con, spec: KindSpec, delivered: DeliveredFile, scan: ScanResult) -> pa.Table:
    """The distinct (数据来源单位统一社会信用代码, 报送时间) cells of a file read but rejected whole, for
    charging it to its department; a column the header lacks, or names twice, is NULL. Masked like
    every landed cell: a person's number typed there must not be kept."""
    canonical = map_header(spec, scan.header).canonical_by_position
    cells = []
    for name in SENDER_COLUMNS:
        positions = [i for i, column in enumerate(canonical) if column == name]
        cells.append(masked_text_sql(f"c{positions[0]}") if len(positions) == 1 else "NULL::VARCHAR")
    return con.sql(f"SELECT DISTINCT ?, {', '.join(cells)} FROM _scan", params=[delivered.rel_path]).to_arrow_table()


def _land_file(con, delivered: DeliveredFile, fp: Fingerprint, scratch: Path, pii_key: bytes) -> _Read:
    def outcome(status, reason=None, scan: ScanResult | None = None, encoding=None, **rows) -> _Read:
        return _Read(FileOutcome(
            delivered.rel_path, delivered.kind, fp.sha256, status,
            scan.rows_read if scan else 0, len(scan.rejects) if scan else 0,
            # a reader's message may quote the file's real name
            reason and mask_free_text(reason), encoding, scan.reader if scan else None,
        ), rows)

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
            scan = scan_csv(con, text_path, fp)
    except (UndecodableFile, UnreadableFile, NotReadable) as exc:
        return outcome("rejected", str(exc), encoding=encoding)
    if problem := map_header(spec, scan.header).problem:
        return outcome("rejected", problem, encoding=encoding,
                       rejected_file_senders=_sender_rows(con, spec, delivered, scan))
    # a header and no rows is an empty batch (nothing to report this month): loaded, rows_read = 0
    rows = {spec.kind: _scan_rows(con, spec, delivered, scan, pii_key)}
    if scan.rejects:
        lines, reasons, texts = zip(*scan.rejects)
        rows["parse_rejects"] = pa.table({
            "file_path": pa.array([delivered.rel_path] * len(lines), pa.string()),
            "line_number": pa.array(lines, pa.int64()),
            "reason": pa.array(reasons, pa.string()),
            "raw_text": pa.array(texts, pa.string()),
        })
    return outcome("loaded", scan=scan, encoding=encoding, **rows)


def _landing_error(delivered: DeliveredFile, sha256: str | None, exc: Exception) -> FileOutcome:
    """A failure nobody foresaw rejects the file, with the error as its reason; the other files go on.
    The error may quote the file's real name: identity numbers are masked in what is kept."""
    log.error("landing %s failed: %s", delivered.rel_path, mask_free_text("".join(traceback.format_exception(exc))))
    message = mask_free_text((str(exc).strip().splitlines() or [""])[0][:500])
    return FileOutcome(delivered.rel_path, delivered.kind, sha256 or NOTHING_READ_SHA256, "rejected", 0, 0,
                       f"{LANDING_ERROR}: {type(exc).__name__}: {message}", None, None)


def _not_read(delivered: DeliveredFile, exc: Exception) -> FileOutcome:
    """The outcome of a file none of whose bytes could be read."""
    if not isinstance(exc, NotReadable):
        return _landing_error(delivered, None, exc)
    return FileOutcome(delivered.rel_path, delivered.kind, NOTHING_READ_SHA256, "rejected", 0, 0,
                       str(exc), None, None)


def _land_file_safely(con, delivered: DeliveredFile, sha256: str, fp: Fingerprint | None, scratch: Path,
                      pii_key: bytes) -> _Read:
    """_land_file; a file it fails on adds no rows. ``fp`` is None when the stat cache gave the
    hash: the file is fingerprinted here, as reading it needs."""
    try:
        fp = fp or fingerprint(delivered.path)
    except Exception as exc:
        return _Read(_not_read(delivered, exc))
    try:
        return _land_file(con, delivered, fp, scratch, pii_key)
    except Exception as exc:
        return _Read(_landing_error(delivered, sha256, exc))


def _identify(delivered: DeliveredFile, landed: _Landed | None) -> tuple[int, int, str, Fingerprint | None]:
    """The file's size, mtime_ns and sha256. The hash is the previous landing's when the file's size
    and mtime_ns are the ones it recorded (no fingerprint then); otherwise the file is hashed. The
    stat is discovery's, taken before hashing, so a file rewritten meanwhile is hashed again next time.
    NotReadable for a file discovery found no bytes to read in."""
    if delivered.problem:
        raise NotReadable(delivered.problem)
    size_mtime = (delivered.size_bytes, delivered.mtime_ns)
    if landed and (landed.size_bytes, landed.mtime_ns) == size_mtime:
        return *size_mtime, landed.outcome.sha256, None
    fp = fingerprint(delivered.path)
    return *size_mtime, fp.sha256, fp


def _reusable(landed: _Landed | None, sha256: str) -> bool:
    """The previous landing read these bytes at this path, did not call them a duplicate, and did not
    fail unforeseen or find nothing to read: its rows and outcome stand."""
    return (landed is not None and landed.outcome.sha256 == sha256 != NOTHING_READ_SHA256
            and landed.outcome.status != "duplicate"
            and not (landed.outcome.reason or "").startswith(LANDING_ERROR))


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


def _identify_or_error(delivered: DeliveredFile, landed: _Landed | None):
    try:
        return _identify(delivered, landed)
    except Exception as exc:
        return exc


def _land_files(reader, con, files: list[DeliveredFile], previous: dict[str, _Landed], scratch: Path,
                pii_key: bytes, workers: int = LANDING_WORKERS,
                on_file: OnFile | None = None) -> tuple[list[FileOutcome], list[tuple[int | None, int | None]]]:
    """Every current file's outcome and (size_bytes, mtime_ns). The rows of the files not reused from
    the previous landing go into the raw tables of ``con``, the warehouse in its landing transaction,
    instead of those an earlier landing made of the same path; a failure there fails the landing.

    Files are hashed, then read, ``workers`` at a time (one cursor of ``reader``, the in-memory
    reading database, each, so each has its own ``_scan``). A file is a duplicate of an earlier file
    of its kind with the same bytes that loaded: files of one kind and bytes are taken in delivery
    order until one loads (each round reads the next of every such group at once), so every outcome
    is the one reading them one at a time in delivery order would give. ``on_file(files settled,
    files, bytes read)`` follows the reading."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        identities = list(pool.map(_identify_or_error, files, [previous.get(f.rel_path) for f in files]))
    results: list[FileOutcome | None] = [None] * len(files)
    same_bytes: dict[tuple[str, str], list[int]] = {}  # (kind, sha256) -> its undecided files, in delivery order
    for index, (delivered, identity) in enumerate(zip(files, identities)):
        if isinstance(identity, Exception):
            results[index] = _not_read(delivered, identity)
        else:
            same_bytes.setdefault((delivered.kind, identity[2]), []).append(index)

    local = threading.local()
    cursors: list[duckdb.DuckDBPyConnection] = []
    warehouse_lock, bytes_read, read_paths = threading.Lock(), [0], set()
    if on_file is not None:
        on_file(sum(result is not None for result in results), len(files), 0)

    def read(index: int, sha256: str, fp: Fingerprint | None) -> None:
        if not hasattr(local, "con"):
            local.con = reader.cursor()  # shares the database and its functions, not the temp tables
            cursors.append(local.con)
        landed = _land_file_safely(local.con, files[index], sha256, fp, scratch, pii_key)
        with warehouse_lock:  # one connection, one transaction: the rows go in one file at a time
            _replace_file_rows(con, files[index].rel_path, landed.rows, files[index].rel_path in previous)
            results[index] = landed.outcome
            read_paths.add(files[index].rel_path)
            bytes_read[0] += identities[index][0]
            if on_file is not None:
                on_file(sum(result is not None for result in results), len(files), bytes_read[0])

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            while to_read := _settle_without_reading(same_bytes, files, identities, previous, results):
                for future in [pool.submit(read, i, identities[i][2], identities[i][3]) for i in to_read]:
                    future.result()
    finally:
        for cursor in cursors:
            cursor.close()
    if on_file is not None:  # the files settled without reading count too
        on_file(len(files), len(files), bytes_read[0])
    # the rows of files gone, or now settled otherwise without reading (a duplicate now)
    kept = {result.file_path for result in results if result.reused} | read_paths
    if stale := sorted(set(previous) - kept):
        _remove_file_rows(con, stale)

    for result in results:
        log.log(logging.DEBUG if result.reused else logging.INFO, "%s %s: %s rows%s%s",
                result.status, result.file_path, result.rows_read,
                f" ({result.reason})" if result.reason else "", " (unchanged)" if result.reused else "")
    return results, [(None, None) if isinstance(identity, Exception) else identity[:2] for identity in identities]


def _replace_file_rows(con, file_path: str, rows: dict[str, pa.Table], landed_before: bool) -> None:
    """The rows a file adds to the raw tables, instead of those a previous landing made of its path."""
    if landed_before:
        _remove_file_rows(con, [file_path])
    for table, arrow_rows in rows.items():
        # not con.register(): a registered view's catalog entry, dropped or not, lives until the
        # transaction commits and keeps its Arrow table alive, so the landing held every file it read
        # (12 GB at 10 M records); a relation lets the table go when the INSERT is done
        con.from_arrow(arrow_rows).insert_into(f"raw.{table}")


def _remove_file_rows(con, file_paths: list[str]) -> None:
    """The rows of these files, in every raw table of rows by file."""
    for table in [*FILE_PATH_TABLES, *load_contract()]:
        path_column = "file_path" if table in FILE_PATH_TABLES else "_file_path"
        con.execute(f"DELETE FROM raw.{table} WHERE {path_column} IN (SELECT unnest(?::VARCHAR[]))", [file_paths])


def _settle_without_reading(same_bytes: dict[tuple[str, str], list[int]], files: list[DeliveredFile],
                            identities: list, previous: dict[str, _Landed],
                            results: list[FileOutcome | None]) -> list[int]:
    """Decides every file that needs no reading, in delivery order within each group of one kind and
    bytes: an outcome reused from the previous landing, or a duplicate of the group's file that loaded.
    Returns the files to read next: the first undecided one of each group."""
    to_read = []
    for pending in same_bytes.values():
        while pending:
            index = pending[0]
            if results[index] is None:
                landed = previous.get(files[index].rel_path)
                if not _reusable(landed, identities[index][2]):
                    to_read.append(index)
                    break
                results[index] = replace(landed.outcome, reused=True)
            pending.pop(0)
            if results[index].status == "loaded":
                for later in pending:
                    results[later] = _duplicate(files[later], files[index], identities[later][2],
                                                previous.get(files[later].rel_path))
                pending.clear()
    return to_read


def _duplicate(delivered: DeliveredFile, loaded: DeliveredFile, sha256: str, landed: _Landed | None) -> FileOutcome:
    outcome = FileOutcome(delivered.rel_path, delivered.kind, sha256, "duplicate", 0, 0,
                          f"DUPLICATE: same bytes as {loaded.rel_path}", None, None)
    return replace(outcome, reused=landed is not None and landed.outcome == outcome)


@contextmanager
def _one_warehouse_transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: a failure, or the process killed, before the COMMIT leaves the raw schema
    as it was (DuckDB's transactions are atomic and durable)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _update_raw_schema(con: duckdb.DuckDBPyConnection, outcomes: list[FileOutcome], stats: list[tuple]) -> None:
    """The manifest of this landing replaces the previous one."""
    con.execute("DELETE FROM raw.extract_files")
    _insert_manifest(con, outcomes, stats)


def _insert_manifest(con: duckdb.DuckDBPyConnection, outcomes: list[FileOutcome], stats: list[tuple]) -> None:
    """raw.extract_files: every current file's outcome, in delivery order, with its (size_bytes, mtime_ns)."""
    if not outcomes:  # an empty raw folder: DuckDB refuses executemany of no rows
        return
    con.executemany(
        f"INSERT INTO raw.extract_files VALUES ({', '.join('?' * (len(OUTCOME_COLUMNS) + 3))})",
        [[*(getattr(result, name) for name in OUTCOME_COLUMNS), order, *stat]
         for order, (result, stat) in enumerate(zip(outcomes, stats), start=1)],
    )


def land(con: duckdb.DuckDBPyConnection, raw_dir: Path, pii_key: bytes,
         scratch_root: Path | None = None, *, full_refresh: bool = False,
         duckdb_config: dict[str, str] | None = None, on_file: OnFile | None = None) -> Landing:
    """Bring the warehouse's raw schema up to date with the files under raw_dir. All or nothing.

    Only new or changed files are read. A file is known by its relative path and sha256: one the
    previous landing read with the same path and bytes keeps its rows, parse rejects and outcome
    (``reused``). Like git's index, raw.extract_files keeps each file's size and mtime_ns, so an
    unchanged multi-GB file is not even hashed again: when both match, its stored sha256 is taken
    (a rewrite keeping the size within the file system's timestamp resolution goes unnoticed).
    Which file of identical ones is loaded, every file's order and status are worked out afresh
    from all current files, so the raw schema always equals what reading every file would give.
    Every file is read (a full landing) when there is no raw schema yet, when its tables are not
    the ones the current contract lands, when the PII key, the contract or the empty markers
    changed (raw.landing_state keeps fingerprints of them, never the key), and when
    ``full_refresh`` is asked for; after a change to how files are read (readers.py), ask for it.

    Files are read in an in-memory database, and their rows go straight into the warehouse in one
    transaction, begun before the first file is read and committed after the last: a crash at any
    point leaves the previous raw schema whole (and the scratch folder of transcoded files, which
    the next landing in the same ``scratch_root`` removes). Identity numbers are hashed before any
    row reaches the warehouse, so plaintext only ever lives in the scan's in-memory table.

    ``on_file(files settled, files, bytes read)`` is called as each file is read, for progress.
    """
    files = discover(raw_dir)
    with _scratch_directory(scratch_root) as scratch:
        # what the files in flight do not fit in memory spills to the scratch folder
        reader = duckdb.connect(":memory:", config={**(duckdb_config or {}), "temp_directory": str(scratch)})
        try:
            register_normaliser(reader)
            register_sql_functions(reader)
            _create_raw_schema(reader, pii_key)  # the raw schema this landing builds, to compare with
            full_landing_reason = "full refresh asked for" if full_refresh else _full_landing_reason(con, reader)
            previous = {} if full_landing_reason else _previous_landing(con)
            if full_landing_reason:
                log.info("reading every file under %s: %s", raw_dir, full_landing_reason)
            with _one_warehouse_transaction(con):
                if full_landing_reason:
                    _create_raw_schema(con, pii_key)
                outcomes, stats = _land_files(reader, con, files, previous, Path(scratch), pii_key, on_file=on_file)
                reused = {o.file_path for o in outcomes if o.reused}
                if full_landing_reason:
                    _insert_manifest(con, outcomes, stats)
                else:
                    _update_raw_schema(con, outcomes, stats)
        finally:
            reader.close()
    removed = sorted(set(previous) - {o.file_path for o in outcomes})
    log.info("landed %d new/changed files, %d unchanged, %d removed",
             len(outcomes) - len(reused), len(reused), len(removed))
    return Landing(outcomes, removed, full_landing_reason)
