"""A document as a workbook: 说明 (its notes), then one sheet per section; numbers stay numbers."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from creditwh.render.table import COUNT, DATE, FLAG, RATE, SCORE, Table

NUMBER_FORMATS = {RATE: "0.0%", SCORE: "0.0", COUNT: "0", DATE: "yyyy-mm-dd"}
HEADER_FILL = "#DDE4EE"
MARKED_FILL = "#FDE2E2"  # 需整改
MAX_WIDTH = 60
PIXELS_PER_CHARACTER = 7  # a digit of the default font, Calibri 11
# Rows are streamed to disk as they are written: a problem list runs to tens of thousands of rows.
# Strings are written as text, never turned into formulas or links.
WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}

Cell = tuple[object, Format | None]  # value, format


def workbook(out: Path) -> Workbook:
    return Workbook(str(out), WORKBOOK_OPTIONS)


def display_width(value: str) -> int:
    """Characters a column needs: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


def _column_width(heading: str, texts: set[str]) -> int:
    """Widest display width + 3, at most MAX_WIDTH; measuring only the texts that could be the widest."""
    widest = max(display_width(heading), max(map(len, texts), default=0))
    # A text's display width lies between its length and twice that: longest first, a text is measured
    # only while it could still be wider than the widest so far and that is still under the cap.
    for value in sorted(texts, key=len, reverse=True):
        if 2 * len(value) <= widest or widest + 3 >= MAX_WIDTH:
            break
        widest = max(widest, display_width(value))
    return min(widest + 3, MAX_WIDTH)


def set_width(ws: Worksheet, col: int, width: int) -> None:
    # Widths go into the file as given (character widths, as before); set_column() would add Excel's cell padding.
    ws.set_column_pixels(col, col, width * PIXELS_PER_CHARACTER)


def write_notes(wb: Workbook, title: str, notes: list[tuple[str, str]]) -> None:
    """The 说明 sheet: the title, then a label and a text per row."""
    ws = wb.add_worksheet("说明")
    bold, wrap = wb.add_format({"bold": True}), wb.add_format({"text_wrap": True, "valign": "top"})
    ws.write(0, 0, title, wb.add_format({"bold": True, "font_size": 14}))
    for row, (label, value) in enumerate(notes, start=1):
        ws.write(row, 0, label, bold)
        ws.write(row, 1, value, wrap)
    set_width(ws, 0, 14)
    set_width(ws, 1, 100)


def write_table(wb: Workbook, ws: Worksheet, table: Table, beside: Sequence[Sequence[Cell]] = ()) -> None:
    """The table under a bold header row, marked rows filled; `beside`: rows of cells from row 0, right of
    the table after a gap.

    Those go in with the table's rows: in constant_memory a row is written out once the next one is begun.
    """
    columns, rows = table.columns, table.rows
    first_beside = len(columns) + 1

    def write_beside(row: int) -> None:
        if row < len(beside):
            for col, (value, cell_format) in enumerate(beside[row], start=first_beside):
                ws.write(row, col, value, cell_format)

    ws.write_row(0, 0, table.headings, wb.add_format({"bold": True, "bg_color": HEADER_FILL}))
    write_beside(0)
    number_formats = [NUMBER_FORMATS.get(c.kind) for c in columns]
    formats = [wb.add_format({"num_format": f}) if f else None for f in number_formats]
    marked_formats = [wb.add_format({"num_format": f, "bg_color": MARKED_FILL} if f else {"bg_color": MARKED_FILL})
                      for f in number_formats]
    for row, values in enumerate(rows, start=1):
        row_formats = marked_formats if table.is_marked(row - 1) else formats
        for col, (value, column, cell_format) in enumerate(zip(values, columns, row_formats)):
            # flags as 是/否; None: an empty cell
            ws.write(row, col, table.cell_text(value, column) if column.kind == FLAG else value, cell_format)
        write_beside(row)
    for row in range(len(rows) + 1, len(beside)):
        write_beside(row)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(rows), len(columns) - 1)
    for col, column in enumerate(columns):
        set_width(ws, col, _column_width(column.heading, {table.cell_text(r[col], column) for r in rows}))
