"""A document as a workbook: 说明 (its notes), then one sheet per section; numbers stay numbers.

Also the generic pieces a printed workbook needs: the print set-up of a sheet (A4 landscape, header
rows repeated, one page wide), a hidden sheet holding the tables charts draw from, and small line
charts drawn from it (one measure each, so that a chart reads at a glance).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter import Workbook
from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from creditwh.render.table import CHANGE, COUNT, DATE, FLAG, RATE, SCORE, Column, Table

NUMBER_FORMATS = {RATE: "0.0%", SCORE: "0.0", COUNT: "0", DATE: "yyyy-mm-dd", CHANGE: '"▲"0.0;"▼"0.0;0.0'}
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


def _cell_value(table: Table, value, column: Column):
    """What a cell holds: flags as 是/否 and codes as their labels (text), None as an empty cell, the rest as is."""
    if value is not None and (column.kind == FLAG or column.labels):
        return table.cell_text(value, column)
    return value


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

    header = wb.add_format({"bold": True, "bg_color": HEADER_FILL, "text_wrap": True, "valign": "vcenter"})
    ws.write_row(0, 0, table.headings, header)
    write_beside(0)
    number_formats = [NUMBER_FORMATS.get(c.kind) for c in columns]
    formats = [wb.add_format({"num_format": f}) if f else None for f in number_formats]
    marked_formats = [wb.add_format({"num_format": f, "bg_color": MARKED_FILL} if f else {"bg_color": MARKED_FILL})
                      for f in number_formats]
    for row, values in enumerate(rows, start=1):
        row_formats = marked_formats if table.is_marked(row - 1) else formats
        for col, (value, column, cell_format) in enumerate(zip(values, columns, row_formats)):
            ws.write(row, col, _cell_value(table, value, column), cell_format)
        write_beside(row)
    total_formats = [wb.add_format({"num_format": f, "bold": True, "top": 1} if f else {"bold": True, "top": 1})
                     for f in number_formats]
    for row, values in enumerate(table.totals, start=len(rows) + 1):
        for col, (value, column, cell_format) in enumerate(zip(values, columns, total_formats)):
            ws.write(row, col, _cell_value(table, value, column), cell_format)
        write_beside(row)
    for row in range(len(rows) + len(table.totals) + 1, len(beside)):
        write_beside(row)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(rows), len(columns) - 1)  # the rows only: sorting never moves a 合计 line
    for col, column in enumerate(columns):
        texts = {table.cell_text(r[col], column) for r in rows + table.totals}
        set_width(ws, col, _column_width(column.heading, texts))


# Print set-up (XlsxWriter): paper 9 is A4.
A4 = 9
PAGE_FOOTER = "&C第 &P 页，共 &N 页"


def set_print_layout(ws: Worksheet, header_rows: int = 1, title: str | None = None) -> None:
    """A4 landscape, the first ``header_rows`` rows repeated on every page, all columns on one page
    wide (as many pages down as needed), page numbers in the footer, ``title`` in the header."""
    ws.set_paper(A4)
    ws.set_landscape()
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)
    ws.fit_to_pages(1, 0)
    if title:
        ws.set_header("&C" + title.replace("&", "&&"))
    ws.set_footer(PAGE_FOOTER)


@dataclass(frozen=True)
class HelperTable:
    """A block of the hidden helper sheet: a heading row, then rows; column 0 holds the categories
    (e.g. the months) a chart's x axis reads."""

    sheet: str
    first_row: int
    headings: list[str]
    rows: list[list]

    def cells(self, col: int) -> list:
        """[sheet, first row, col, last row, col] of column ``col``'s values, as XlsxWriter takes a range."""
        return [self.sheet, self.first_row + 1, col, self.first_row + len(self.rows), col]

    def values(self, col: int) -> list:
        return [row[col] for row in self.rows]


class HelperSheet:
    """A hidden sheet holding the tables that charts draw from, one block under another: a reader
    sees the charts and the data tables, never the chart plumbing."""

    def __init__(self, wb: Workbook, name: str = "图表数据"):
        self.ws = wb.add_worksheet(name)
        self.ws.hide()
        self._bold = wb.add_format({"bold": True})
        self._next_row = 0

    def add(self, headings: list[str], rows: list[list], number_format: Format | None = None) -> HelperTable:
        """Write a block (rows in order: the workbook streams them) and return where it lies."""
        first = self._next_row
        self.ws.write_row(first, 0, headings, self._bold)
        for offset, row in enumerate(rows, start=1):
            self.ws.write(first + offset, 0, row[0])
            for col, value in enumerate(row[1:], start=1):
                self.ws.write(first + offset, col, value, number_format)
        self._next_row = first + len(rows) + 2  # a blank row between blocks
        return HelperTable(self.ws.name, first, list(headings), [list(r) for r in rows])


SMALL_CHART = {"width": 400, "height": 240}  # pixels: two side by side fit an A4 landscape page
LINE_STYLES = [{"color": "#1F4E79", "width": 2.25}, {"color": "#C00000", "width": 1.25, "dash_type": "dash"}]


def small_line_chart(wb: Workbook, table: HelperTable, title: str, value_cols: Sequence[int] = (1,),
                     y_format: str = "0%", y_bounds: tuple[float | None, float | None] = (0, 1)) -> Chart:
    """A small line chart of one measure over ``table``'s categories: the first value column drawn
    solid, a second (a target, a previous year) dashed; missing values leave a gap."""
    chart = wb.add_chart({"type": "line"})
    for style, col in zip(LINE_STYLES, value_cols):
        chart.add_series({
            "name": [table.sheet, table.first_row, col],
            "name_data": [table.headings[col]],
            "categories": table.cells(0),
            # constant_memory keeps no cells for XlsxWriter to read: the cached values go in with the ranges
            "categories_data": table.values(0),
            "values": table.cells(col),
            "values_data": table.values(col),
            "line": style,
            "marker": {"type": "circle", "size": 4, "fill": {"color": style["color"]},
                       "border": {"color": style["color"]}},
            "smooth": False,
        })
    chart.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
    low, high = y_bounds
    chart.set_y_axis({"num_format": y_format, "major_gridlines": {"visible": True, "line": {"color": "#DDDDDD"}},
                      **({"min": low} if low is not None else {}), **({"max": high} if high is not None else {})})
    chart.set_x_axis({"num_font": {"rotation": -45}})
    chart.set_legend({"position": "bottom"} if len(value_cols) > 1 else {"none": True})
    chart.show_blanks_as("gap")
    chart.set_size(SMALL_CHART)
    return chart


CHART_GAP = 16  # pixels between charts
ROW_PIXELS = 20  # the default row height


def insert_chart_grid(ws: Worksheet, charts: Sequence[Chart], first_row: int, first_col: int = 0,
                      per_row: int = 2) -> int:
    """Charts placed ``per_row`` side by side from (first_row, first_col), by pixel offsets (so column
    widths never make them overlap); returns the first row below them."""
    width, height = SMALL_CHART["width"] + CHART_GAP, SMALL_CHART["height"] + CHART_GAP
    for i, chart in enumerate(charts):
        ws.insert_chart(first_row, first_col, chart,
                        {"x_offset": (i % per_row) * width, "y_offset": (i // per_row) * height})
    return first_row + -(-len(charts) // per_row) * -(-height // ROW_PIXELS)
