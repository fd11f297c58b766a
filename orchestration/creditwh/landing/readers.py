"""Reading one delivered file into a DuckDB scratch view ``_scan``.

``_scan`` (a view over the table the reader filled, so that a clean file is not copied again)
has the file's columns as c0..c{n-1} (VARCHAR, as delivered) plus
``_row_number`` (data row ordinal) and ``_line_number`` (the physical line where the row
starts, header = 1). Lines that cannot be split into the header's columns come back as
rejects with their line number and raw text.

CSV has two paths. The fast path is DuckDB's parallel reader; it is trusted only when it
provably split every row into exactly the header's columns (no row padded, none with a field
more: DuckDB would silently drop a trailing delimiter), rejects nothing, and its rows account
for every physical line of the file (rows plus line breaks inside quoted cells plus the
header), which is what makes the line numbers exact. The same bytes give the same rows by
either path.
Any other file (blank lines, ragged rows, stray quotes, odd line endings, NUL bytes, cells
over the limit) is re-read by Python's csv module, which reports each record's physical
lines exactly. Clean files, the bulk of a province's volume, never touch the slow path.

Physical lines end at LF (CRLF included); a lone CR is not a line break. Hostile files are
refused with a reason rather than read: a header of more than MAX_COLUMNS columns
(TOO_MANY_COLUMNS), control characters in the header (NOT_TEXT). Rows are rejected, never
dropped, for NUL bytes (NUL_BYTE), a cell over MAX_CELL_CHARS (CELL_TOO_LONG), a quoted cell
the file ends inside (UNTERMINATED_QUOTE), and in a workbook every row of a further sheet
that carries the extract's header (EXTRA_SHEET; a notes sheet is not read).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import duckdb
import pyarrow as pa

from .files import Fingerprint
from .pii import mask_free_text

SCAN_BATCH_ROWS = 50_000
# The widest extract kind has about 40 columns; a header far wider is a broken export.
MAX_COLUMNS = 1_000
# Characters in one cell. 违法事实 and 处罚内容 run to a few thousand; a million is not a record.
MAX_CELL_CHARS = 1_000_000
# audit.rejected_rows.raw_text keeps this much of a rejected row (the file itself keeps it all).
MAX_RAW_TEXT_CHARS = 20_000
# Python's csv stops at 128 KiB per field by default and then resumes mid-record; cells are
# checked against MAX_CELL_CHARS after parsing instead, so its own limit is set far above.
csv.field_size_limit(1 << 30)
_CONTROL_CHARS = {chr(c) for c in range(0x20)} - {"\t", "\n", "\r", "\x0c"}


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


def raw_text(text: str) -> str:
    """A rejected row's text for audit.rejected_rows: identity numbers masked, NUL written as
    the four characters \\x00 (so the text stays printable), cut to MAX_RAW_TEXT_CHARS. Masked
    first: the 00 written for a NUL must not make a number look like a piece of a longer one."""
    text = mask_free_text(text).replace("\x00", "\\x00")
    if len(text) > MAX_RAW_TEXT_CHARS:
        text = text[:MAX_RAW_TEXT_CHARS] + f"…[cut: {len(text):,} characters in all]"
    return text


def check_header(header: list[str], where: str = "the first line") -> None:
    if len(header) > MAX_COLUMNS:
        raise UnreadableFile(
            f"TOO_MANY_COLUMNS: the header has {len(header):,} columns (at most {MAX_COLUMNS:,} are read; "
            "an extract has about 40)"
        )
    if any(ch in _CONTROL_CHARS for h in header for ch in h):
        raise UnreadableFile(f"NOT_TEXT: binary content (NUL or control characters in {where}, the header)")
    if not any(h.strip() for h in header):
        raise UnreadableFile(f"EMPTY_HEADER: {where} names no columns")


def row_problem(cells: list[str | None]) -> str | None:
    """Why a row that split into the right number of cells still cannot land, if it cannot."""
    longest = max((len(c) for c in cells if c), default=0)
    if longest > MAX_CELL_CHARS:
        return f"CELL_TOO_LONG: a cell of {longest:,} characters (the limit is {MAX_CELL_CHARS:,})"
    if any(c and "\x00" in c for c in cells):
        return "NUL_BYTE: the row holds NUL (0x00) bytes"
    return None


def _col(i: int) -> str:
    return f"c{i}"


class _ScanWriter:
    """Appends parsed rows to ``_scan`` in Arrow batches, numbering them as it goes."""

    def __init__(self, con: duckdb.DuckDBPyConnection, result: ScanResult):
        self._con = con
        self._result = result
        self._ncols = len(result.header)
        cols = ", ".join(f"{_col(i)} VARCHAR" for i in range(self._ncols))
        con.execute(f"CREATE OR REPLACE TEMP TABLE _scan_rows (_row_number BIGINT, _line_number BIGINT, {cols})")
        con.execute("CREATE OR REPLACE TEMP VIEW _scan AS SELECT * FROM _scan_rows")
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
        self._con.execute("INSERT INTO _scan_rows SELECT * FROM _scan_batch")
        self._con.unregister("_scan_batch")
        self._batch = [[] for _ in range(self._ncols + 2)]


def read_csv_header(path: Path) -> tuple[list[str], int]:
    """The header record and how many physical lines it spans."""
    with path.open(encoding="utf-8-sig", newline="\n") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise UnreadableFile("EMPTY_FILE: no header row") from None
        except csv.Error as exc:
            raise UnreadableFile(f"UNREADABLE_HEADER: {exc}") from exc
        return header, reader.line_num


def scan_csv(con: duckdb.DuckDBPyConnection, path: Path, lines: Fingerprint) -> ScanResult:
    """``lines``: the fingerprint of the delivered bytes (a transcoding keeps their lines)."""
    header, header_lines = read_csv_header(path)
    check_header(header)
    # DuckDB ends a line at a lone CR, which is no line break here: such files take the exact path
    fast = None if lines.lone_crs else _scan_csv_fast(con, path, header, header_lines, lines.physical_lines)
    return fast if fast is not None else _scan_csv_exact(con, path, header)


# Read as the NULL string, so that only padding reads as NULL: an unquoted cell cannot hold a line
# break (it would end the record) and quoted cells never read as NULL (allow_quoted_nulls = false).
_PADDING_ONLY = "\n"


def _read_csv_fast(con, path: Path, ncols: int) -> None:
    """``_scan_fast``: the file read with one column more than its header (c{ncols}) and short rows
    padded with NULL, so that a row of too few or too many fields shows instead of being fitted (a
    trailing delimiter would otherwise be dropped silently). In parallel where DuckDB can: its parallel
    reader refuses padding with line breaks inside quoted cells, which are then read in one thread."""
    columns = "{" + ", ".join(f"'{_col(i)}': 'VARCHAR'" for i in range(ncols + 1)) + "}"
    for parallel in (True, False):
        # DuckDB appends to the rejects tables across scans: start each reading with none.
        con.execute("DROP TABLE IF EXISTS _scan_rejects")
        con.execute("DROP TABLE IF EXISTS _scan_reject_scans")
        try:
            con.execute(
                f"""CREATE OR REPLACE TEMP TABLE _scan_fast AS SELECT * FROM read_csv(?,
                    header = true, auto_detect = false, columns = {columns}, delim = ',', quote = '"',
                    escape = '"', strict_mode = true, null_padding = true, nullstr = ?,
                    allow_quoted_nulls = false, parallel = {parallel}, store_rejects = true,
                    rejects_table = '_scan_rejects', rejects_scan = '_scan_reject_scans')""",
                [str(path), _PADDING_ONLY],
            )
            return
        except duckdb.Error as exc:
            if not (parallel and "quoted new lines" in str(exc)):
                raise


def _scan_csv_fast(con, path: Path, header: list[str], header_lines: int, physical_lines: int):
    """The rows, if DuckDB provably split every line into exactly the header's columns; else None."""
    ncols = len(header)
    try:
        _read_csv_fast(con, path, ncols)
    except duckdb.Error:
        return None
    rejected = con.execute("SELECT count(*) FROM _scan_rejects").fetchall()[0][0]
    # one concat of every cell, not a sum over columns: a wide header must not nest deeply
    row_text = "concat(" + ", ".join(_col(i) for i in range(ncols)) + ")"
    newline_terms = f"(length({row_text}) - length(replace({row_text}, chr(10), '')))"
    longest = "greatest(" + ", ".join(f"coalesce(length({_col(i)}), 0)" for i in range(ncols)) + ")"
    # a row split exactly: no real cell padded (NULL), the extra column padded; counted per column,
    # which DuckDB does from the validity masks alone
    fewest_cells = "least(" + ", ".join(f"count({_col(i)})" for i in range(ncols)) + ")"
    rows, accounted, suspect, fewest, extra = con.execute(
        f"""SELECT count(*), coalesce(sum(1 + {newline_terms}), 0),
                   count(*) FILTER (WHERE contains({row_text}, chr(0)) OR {longest} > {MAX_CELL_CHARS}),
                   {fewest_cells}, count({_col(ncols)})
            FROM _scan_fast"""
    ).fetchall()[0]
    if rejected or suspect or fewest < rows or extra or header_lines + accounted != physical_lines:
        con.execute("DROP TABLE _scan_fast")
        return None
    # rowid is insertion order, i.e. file order, from 0: each row starts after the lines before it.
    # An empty cell is NULL, as the exact path has it.
    cells = ", ".join(f"nullif({_col(i)}, '') AS {_col(i)}" for i in range(ncols))
    if accounted == rows:  # one line a row (no line break inside a cell): no running sum to take
        con.execute(f"""CREATE OR REPLACE TEMP VIEW _scan AS
                        SELECT rowid + 1 AS _row_number, {header_lines} + 1 + rowid AS _line_number, {cells}
                        FROM _scan_fast""")
        return ScanResult(header=header, rows_parsed=rows, reader="duckdb")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _scan_rows AS
            SELECT row_number() OVER w AS _row_number,
                   {header_lines} + 1 + coalesce(sum(1 + {newline_terms}) OVER (w ROWS BETWEEN
                       UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS _line_number,
                   {cells}
            FROM _scan_fast WINDOW w AS (ORDER BY rowid)"""
    )
    con.execute("CREATE OR REPLACE TEMP VIEW _scan AS SELECT * FROM _scan_rows")
    con.execute("DROP TABLE _scan_fast")
    return ScanResult(header=header, rows_parsed=rows, reader="duckdb")


class _LineRecorder:
    """Feeds csv.reader line by line and remembers the lines of the current record."""

    def __init__(self, fh: io.TextIOBase):
        self._fh = fh
        self.lines: list[str] = []
        self.at_eof = False

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self._fh.readline()
        if not line:
            self.at_eof = True
            raise StopIteration
        self.lines.append(line)
        return line


def _ends_inside_quotes(raw: str) -> bool:
    """Whether a record that ran into the end of the file was cut inside a quoted cell
    (the lenient reader hands such a record back as if it were whole)."""
    try:
        for _ in csv.reader(io.StringIO(raw, newline=""), strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _scan_csv_exact(con, path: Path, header: list[str]) -> ScanResult:
    ncols = len(header)
    result = ScanResult(header=header, reader="python-csv")
    writer = _ScanWriter(con, result)
    # newline="\n": lines end at LF only, the line numbering the fingerprint and the fast path use
    with path.open(encoding="utf-8-sig", newline="\n") as fh:
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
                result.rejects.append((start, f"PARSE_ERROR: {exc}", raw_text("".join(recorder.lines).rstrip("\r\n"))))
                continue
            line_no = reader.line_num
            if not row:  # a blank line is not a row
                continue
            raw = "".join(recorder.lines)
            if recorder.at_eof and _ends_inside_quotes(raw):
                result.rejects.append((start, "UNTERMINATED_QUOTE: the file ends inside a quoted cell "
                                              "(cut off, or a quote never closed)", raw_text(raw.rstrip("\r\n"))))
                continue
            raw = raw.rstrip("\r\n")
            if len(row) != ncols:
                result.rejects.append(
                    (start, f"FIELD_COUNT: expected {ncols} fields, found {len(row)}", raw_text(raw))
                )
                continue
            cells = [value if value != "" else None for value in row]
            if problem := row_problem(cells):
                result.rejects.append((start, problem, raw_text(raw)))
                continue
            writer.add(start, cells)
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


def _merged_header_cells(sheet) -> list[str]:
    """Merged ranges touching row 1, as A1:B1."""
    def cell(r: int, c: int) -> str:
        letters = ""
        c += 1
        while c:
            c, rem = divmod(c - 1, 26)
            letters = chr(65 + rem) + letters
        return f"{letters}{r + 1}"

    return [f"{cell(*a)}:{cell(*b)}" for a, b in (sheet.merged_cell_ranges or []) if a[0] == 0]


def scan_xlsx(con, path: Path, is_extract_header=None) -> ScanResult:
    """First worksheet, header in row 1; real Excel dates become ISO text for staging to parse.

    The other worksheets are not part of the extract. A notes sheet (填报说明) is not read; but
    a sheet whose first row ``is_extract_header`` recognises holds records (a continuation,
    a second batch), and they are not dropped silently: each of its rows is rejected
    (EXTRA_SHEET, naming the sheet and row).
    """
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        first = book.get_sheet_by_index(0)
        rows = first.to_python(skip_empty_area=False)
        merged = _merged_header_cells(first)
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise UnreadableFile(f"UNREADABLE_XLSX: {type(exc).__name__}: {exc}") from exc
    if not rows:
        raise UnreadableFile("EMPTY_FILE: the first worksheet is empty")
    if merged:
        raise UnreadableFile(
            f"MERGED_HEADER_CELLS: row 1 of worksheet {first.name!r} has merged cells ({', '.join(merged[:5])}); "
            "the header must be one row with one column name per column"
        )
    header = [_cell_text(v) or "" for v in rows[0]]
    while header and not header[-1]:
        header.pop()
    check_header(header, where=f"row 1 of worksheet {first.name!r}")
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
                (line_no, f"FIELD_COUNT: expected {ncols} fields, found {ncols + len(overflow)}", raw_text(shown))
            )
            continue
        cells = (cells + [None] * ncols)[:ncols]
        if problem := row_problem(cells):
            result.rejects.append((line_no, problem, raw_text(",".join(c or "" for c in cells))))
            continue
        writer.add(line_no, cells)
    writer.flush()
    result.rejects.extend(_extra_sheet_rows(book, is_extract_header or (lambda cells: True)))
    return result


def _extra_sheet_rows(book, is_extract_header) -> list[tuple[int, str, str]]:
    rejects = []
    for index in range(1, len(book.sheet_names)):
        try:
            sheet = book.get_sheet_by_index(index)
            rows = [[_cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
        except Exception:  # a chart sheet or a damaged one: no rows to account for
            continue
        numbered = [(n, cells) for n, cells in enumerate(rows, start=1) if any(c is not None for c in cells)]
        if not numbered or not is_extract_header([c or "" for c in numbered[0][1]]):
            continue  # empty, or notes: not records
        for line_no, cells in numbered[1:]:
            rejects.append((
                line_no,
                f"EXTRA_SHEET: row {line_no} of worksheet {sheet.name!r} (only the first worksheet is read; "
                "deliver one worksheet per file)",
                raw_text(",".join(c or "" for c in cells).rstrip(",")),
            ))
    return rejects
