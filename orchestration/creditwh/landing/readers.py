"""Reading one delivered file into a DuckDB scratch table ``_scan``.

``_scan`` has the file's columns as c0..c{n-1} (VARCHAR, as delivered) plus
``_row_number`` (data row ordinal) and ``_line_number`` (the physical line where the row
starts, header = 1). Lines that cannot be split into the header's columns come back as
rejects with their line number and raw text.

CSV has two paths. The fast path is DuckDB's parallel reader; it is trusted only when it
rejects nothing and its rows account for every physical line of the file (rows plus line
breaks inside quoted cells plus the header), which is what makes the line numbers exact.
Any other file (blank lines, ragged rows, stray quotes, odd line endings) is re-read by
Python's csv module, which reports each record's physical lines exactly. Clean files,
the bulk of a province's volume, never touch the slow path.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import duckdb
import pyarrow as pa

from .pii import mask_free_text

SCAN_BATCH_ROWS = 50_000


@dataclass
class ScanResult:
    header: list[str]
    rows_parsed: int = 0
    rejects: list[tuple[int, str, str]] = field(default_factory=list)  # (line, reason, raw text)
    reader: str = ""

    @property
    def rows_read(self) -> int:
        return self.rows_parsed + len(self.rejects)


class UnreadableFile(ValueError):
    pass


def _col(i: int) -> str:
    return f"c{i}"


class _ScanWriter:
    """Appends parsed rows to ``_scan`` in Arrow batches, numbering them as it goes."""

    def __init__(self, con: duckdb.DuckDBPyConnection, result: ScanResult):
        self._con = con
        self._result = result
        self._ncols = len(result.header)
        cols = ", ".join(f"{_col(i)} VARCHAR" for i in range(self._ncols))
        con.execute(f"CREATE OR REPLACE TEMP TABLE _scan (_row_number BIGINT, _line_number BIGINT, {cols})")
        self._batch: list[list] = [[] for _ in range(self._ncols + 2)]

    def add(self, line_number: int, cells: list[str | None]) -> None:
        self._result.rows_parsed += 1
        self._batch[0].append(self._result.rows_parsed)
        self._batch[1].append(line_number)
        for i, value in enumerate(cells):
            self._batch[i + 2].append(value)
        if len(self._batch[0]) >= SCAN_BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self._batch[0]:
            return
        names = ["_row_number", "_line_number"] + [_col(i) for i in range(self._ncols)]
        types = [pa.int64(), pa.int64()] + [pa.string()] * self._ncols
        table = pa.table([pa.array(v, t) for v, t in zip(self._batch, types)], names=names)
        self._con.register("_scan_batch", table)
        self._con.execute("INSERT INTO _scan SELECT * FROM _scan_batch")
        self._con.unregister("_scan_batch")
        self._batch = [[] for _ in range(self._ncols + 2)]


def read_csv_header(path: Path) -> tuple[list[str], int]:
    """The header record and how many physical lines it spans."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise UnreadableFile("EMPTY_FILE: no header row") from None
        except csv.Error as exc:
            raise UnreadableFile(f"UNREADABLE_HEADER: {exc}") from exc
        return header, reader.line_num


def scan_csv(con: duckdb.DuckDBPyConnection, path: Path, physical_lines: int) -> ScanResult:
    header, header_lines = read_csv_header(path)
    if not any(h.strip() for h in header):
        raise UnreadableFile("EMPTY_HEADER: the first line names no columns")
    result = _scan_csv_fast(con, path, header, header_lines, physical_lines)
    return result if result is not None else _scan_csv_exact(con, path, header)


def _scan_csv_fast(con, path: Path, header: list[str], header_lines: int, physical_lines: int):
    ncols = len(header)
    columns = "{" + ", ".join(f"'{_col(i)}': 'VARCHAR'" for i in range(ncols)) + "}"
    # DuckDB appends to the rejects tables across scans: start each file with none.
    con.execute("DROP TABLE IF EXISTS _scan_rejects")
    con.execute("DROP TABLE IF EXISTS _scan_reject_scans")
    try:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _scan_fast AS SELECT * FROM read_csv(?,
                header = true, auto_detect = false, columns = {columns}, delim = ',', quote = '"',
                escape = '"', strict_mode = true, store_rejects = true,
                rejects_table = '_scan_rejects', rejects_scan = '_scan_reject_scans')""",
            [str(path)],
        )
    except duckdb.Error:
        return None
    rejected = con.execute("SELECT count(*) FROM _scan_rejects").fetchall()[0][0]
    newline_terms = " + ".join(
        f"coalesce(length({_col(i)}) - length(replace({_col(i)}, chr(10), '')), 0)" for i in range(ncols)
    )
    rows, accounted = con.execute(
        f"SELECT count(*), coalesce(sum(1 + {newline_terms}), 0) FROM _scan_fast"
    ).fetchall()[0]
    if rejected or header_lines + accounted != physical_lines:
        con.execute("DROP TABLE _scan_fast")
        return None
    # rowid is insertion order, i.e. file order: each row starts after the lines before it.
    cols = ", ".join(_col(i) for i in range(ncols))
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _scan AS
            SELECT row_number() OVER w AS _row_number,
                   {header_lines} + 1 + coalesce(sum(1 + {newline_terms}) OVER (w ROWS BETWEEN
                       UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS _line_number,
                   {cols}
            FROM _scan_fast WINDOW w AS (ORDER BY rowid)"""
    )
    con.execute("DROP TABLE _scan_fast")
    return ScanResult(header=header, rows_parsed=rows, reader="duckdb")


class _LineRecorder:
    """Feeds csv.reader line by line and remembers the lines of the current record."""

    def __init__(self, fh: io.TextIOBase):
        self._fh = fh
        self.lines: list[str] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self._fh.readline()
        if not line:
            raise StopIteration
        self.lines.append(line)
        return line


def _scan_csv_exact(con, path: Path, header: list[str]) -> ScanResult:
    ncols = len(header)
    result = ScanResult(header=header, reader="python-csv")
    writer = _ScanWriter(con, result)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        recorder = _LineRecorder(fh)
        reader = csv.reader(recorder)
        next(reader)
        line_no = reader.line_num
        while True:
            recorder.lines.clear()
            start = line_no + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                line_no = reader.line_num
                raw = "".join(recorder.lines)
                result.rejects.append((start, f"PARSE_ERROR: {exc}", mask_free_text(raw.rstrip("\r\n"))))
                continue
            line_no = reader.line_num
            if not row:  # a blank line is not a row
                continue
            raw = "".join(recorder.lines).rstrip("\r\n")
            if len(row) != ncols:
                result.rejects.append(
                    (start, f"FIELD_COUNT: expected {ncols} fields, found {len(row)}", mask_free_text(raw))
                )
                continue
            writer.add(start, [value if value != "" else None for value in row])
    writer.flush()
    return result


def _cell_text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds").removesuffix(" 00:00:00")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def scan_xlsx(con, path: Path) -> ScanResult:
    """First worksheet, header in row 1; real Excel dates become ISO text for staging to parse."""
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise UnreadableFile(f"UNREADABLE_XLSX: {type(exc).__name__}: {exc}") from exc
    if not rows:
        raise UnreadableFile("EMPTY_FILE: the first worksheet is empty")
    header = [_cell_text(v) or "" for v in rows[0]]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise UnreadableFile("EMPTY_HEADER: row 1 of the first worksheet names no columns")
    ncols = len(header)
    result = ScanResult(header=header, reader="calamine")
    writer = _ScanWriter(con, result)
    for line_no, row in enumerate(rows[1:], start=2):
        cells = [_cell_text(v) for v in row]
        if not any(c is not None for c in cells):
            continue
        overflow = [c for c in cells[ncols:] if c is not None]
        if overflow:
            shown = ",".join(c or "" for c in cells)
            result.rejects.append(
                (line_no, f"FIELD_COUNT: expected {ncols} fields, found {ncols + len(overflow)}", mask_free_text(shown))
            )
            continue
        writer.add(line_no, (cells + [None] * ncols)[:ncols])
    writer.flush()
    return result
