"""The scorecard as a workbook: 说明, then one sheet per section; numbers stay numbers."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from creditwh.scorecard.build import Scorecard
from creditwh.scorecard.sections import (
    COUNT, DATE, FLAG, RATE, SCORE, TREND, Section, notes, plain, sections, text,
)

NUMBER_FORMATS = {RATE: "0.0%", SCORE: "0.0", COUNT: "0", DATE: "yyyy-mm-dd"}
HEADER_FILL = "#DDE4EE"
FLAG_FILL = "#FDE2E2"  # 需整改
MAX_WIDTH = 60
PIXELS_PER_CHARACTER = 7  # a digit of the default font, Calibri 11
CHART_SIZE = {"width": round(18 / 2.54 * 96), "height": round(9 / 2.54 * 96)}  # 18 x 9 cm at 96 pixels an inch
# Rows are streamed to disk as they are written: the problem list runs to tens of thousands of rows.
# Strings are written as text, never turned into formulas or links.
WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}

Cell = tuple[object, Format | None]  # value, format


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


def write_xlsx(scorecard: Scorecard, out: Path) -> None:
    with Workbook(str(out), WORKBOOK_OPTIONS) as wb:
        _write_notes(wb, scorecard)
        for section in sections(scorecard):
            ws = wb.add_worksheet(section.title)
            if section.title == TREND:
                first_col = len(section.columns) + 1
                block = _trend_block(wb, ws, scorecard, first_col)
                _write_table(wb, ws, section, beside=block)
                _add_trend_chart(wb, ws, scorecard, first_col, departments=len(block[0]) - 1)
            else:
                _write_table(wb, ws, section)


def _set_width(ws: Worksheet, col: int, width: int) -> None:
    # Widths go into the file as given (character widths, as before); set_column() would add Excel's cell padding.
    ws.set_column_pixels(col, col, width * PIXELS_PER_CHARACTER)


def _write_notes(wb: Workbook, scorecard: Scorecard) -> None:
    ws = wb.add_worksheet("说明")
    bold, wrap = wb.add_format({"bold": True}), wb.add_format({"text_wrap": True, "valign": "top"})
    (_, heading), *rest = notes(scorecard)
    ws.write(0, 0, heading, wb.add_format({"bold": True, "font_size": 14}))
    for row, (label, value) in enumerate(rest, start=1):
        ws.write(row, 0, label, bold)
        ws.write(row, 1, value, wrap)
    _set_width(ws, 0, 14)
    _set_width(ws, 1, 100)


def _write_table(wb: Workbook, ws: Worksheet, section: Section, beside: Sequence[Sequence[Cell]] = ()) -> None:
    """The section under a bold header row; `beside`: rows of cells from row 0, right of the table after a gap.

    Those go in with the table's rows: in constant_memory a row is written out once the next one is begun.
    """
    columns = section.columns
    rows = section.rows()
    first_beside = len(columns) + 1

    def write_beside(row: int) -> None:
        if row < len(beside):
            for col, (value, cell_format) in enumerate(beside[row], start=first_beside):
                ws.write(row, col, value, cell_format)

    ws.write_row(0, 0, [c.heading for c in columns], wb.add_format({"bold": True, "bg_color": HEADER_FILL}))
    write_beside(0)
    number_formats = [NUMBER_FORMATS.get(c.kind) for c in columns]
    formats = [wb.add_format({"num_format": f}) if f else None for f in number_formats]
    flagged_formats = [wb.add_format({"num_format": f, "bg_color": FLAG_FILL} if f else {"bg_color": FLAG_FILL})
                       for f in number_formats]
    kinds = [c.kind for c in columns]
    for row, (values, flagged) in enumerate(zip(rows, section.flagged()), start=1):
        row_formats = flagged_formats if flagged else formats
        for col, (value, kind, cell_format) in enumerate(zip(values, kinds, row_formats)):
            ws.write(row, col, text(value, FLAG) if kind == FLAG else value, cell_format)  # None: an empty cell
        write_beside(row)
    for row in range(len(rows) + 1, len(beside)):
        write_beside(row)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(rows), len(columns) - 1)
    for col, column in enumerate(columns):
        _set_width(ws, col, _column_width(column.heading, {text(r[col], column.kind) for r in rows}))


def _trend_block(wb: Workbook, ws: Worksheet, scorecard: Scorecard, first_col: int) -> list[list[Cell]]:
    """A month x department block of 及时率 (rows of cells), to sit beside the table; sets its widths."""
    trend = scorecard.monthly_trend
    departments = trend.drop_duplicates("source_dept_code")
    rates = trend.pivot(index="month", columns="source_dept_code", values="timeliness_rate")
    bold, rate = wb.add_format({"bold": True}), wb.add_format({"num_format": NUMBER_FORMATS[RATE]})

    _set_width(ws, first_col, 16)
    for col, name in enumerate(departments["source_dept_name"], start=first_col + 1):
        _set_width(ws, col, display_width(str(name)) + 3)
    return [
        [("月份（及时率）", bold), *((name, bold) for name in departments["source_dept_name"])],
        *([(month, None), *((plain(rates.at[month, code]), rate) for code in departments["source_dept_code"])]
          for month in scorecard.months),  # None: no records that month
    ]


def _add_trend_chart(wb: Workbook, ws: Worksheet, scorecard: Scorecard, first_col: int, departments: int) -> None:
    """A line chart drawn from the 及时率 block (a line per department), placed below the block."""
    months = scorecard.months
    chart = wb.add_chart({"type": "line"})
    for col in range(first_col + 1, first_col + 1 + departments):
        chart.add_series({
            "name": [ws.name, 0, col],
            "categories": [ws.name, 1, first_col, len(months), first_col],
            # months are labels, not numbers: constant_memory keeps no cells for XlsxWriter to see that in
            "categories_data": months,
            "values": [ws.name, 1, col, len(months), col],
            "marker": {"type": "circle"},  # a department with one month of records is still a visible point
            "smooth": False,
        })
    chart.set_title({"name": f"{scorecard.quarter} 各部门月度及时率"})
    chart.set_x_axis({"name": "月份"})
    chart.set_y_axis({"name": "及时率", "min": 0, "max": 1, "num_format": "0%"})
    chart.set_size(CHART_SIZE)
    ws.insert_chart(len(months) + 2, first_col, chart)
