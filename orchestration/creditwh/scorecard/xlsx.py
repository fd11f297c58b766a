"""The scorecard as a workbook: 说明, then one sheet per section; numbers stay numbers."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from creditwh.scorecard.build import Scorecard
from creditwh.scorecard.sections import (
    COUNT, DATE, FLAG, RATE, SCORE, TREND, Section, notes, plain, sections, text,
)

NUMBER_FORMATS = {RATE: "0.0%", SCORE: "0.0", COUNT: "0", DATE: "yyyy-mm-dd"}
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
FLAG_FILL = PatternFill("solid", fgColor="FDE2E2")  # 需整改
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_WIDTH = 60


def display_width(value: str) -> int:
    """Characters a column needs: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


def write_xlsx(scorecard: Scorecard, out: Path) -> None:
    wb = Workbook()
    _write_notes(wb.active, scorecard)
    for section in sections(scorecard):
        ws = wb.create_sheet(section.title)
        _write_table(ws, section)
        if section.title == TREND:
            _add_trend_chart(ws, scorecard, first_col=len(section.columns) + 2)
    wb.save(out)


def _write_notes(ws: Worksheet, scorecard: Scorecard) -> None:
    ws.title = "说明"
    (_, heading), *rest = notes(scorecard)
    ws.append([heading])
    ws["A1"].font = Font(bold=True, size=14)
    for label, value in rest:
        ws.append([label, value])
        ws.cell(ws.max_row, 1).font = BOLD
        ws.cell(ws.max_row, 2).alignment = WRAP
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 100


def _write_table(ws: Worksheet, section: Section) -> None:
    ws.append([c.heading for c in section.columns])
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    rows = section.rows()
    number_formats = {i: NUMBER_FORMATS[c.kind] for i, c in enumerate(section.columns, start=1)
                      if c.kind in NUMBER_FORMATS}
    every_column = range(1, len(section.columns) + 1)
    # cells by (row, column): ws.max_row and ws[row] scan every cell, which is quadratic in a long problem list
    for row_index, (values, flagged) in enumerate(zip(rows, section.flagged()), start=2):
        ws.append([text(v, c.kind) if c.kind == FLAG else v for v, c in zip(values, section.columns)])
        for col_index in every_column if flagged else number_formats:
            cell = ws.cell(row_index, col_index)
            if col_index in number_formats:
                cell.number_format = number_formats[col_index]
            if flagged:
                cell.fill = FLAG_FILL
    last = get_column_letter(len(section.columns))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    for i, col in enumerate(section.columns, start=1):
        widest = max([display_width(col.heading)] + [display_width(text(r[i - 1], col.kind)) for r in rows])
        ws.column_dimensions[get_column_letter(i)].width = min(widest + 3, MAX_WIDTH)


def _add_trend_chart(ws: Worksheet, scorecard: Scorecard, first_col: int) -> None:
    """A month x department block of 及时率 beside the table, and a line chart drawn from it."""
    trend = scorecard.monthly_trend
    months = scorecard.months
    departments = trend.drop_duplicates("source_dept_code")
    codes = departments["source_dept_code"].tolist()
    rates = trend.pivot(index="month", columns="source_dept_code", values="timeliness_rate")

    ws.cell(1, first_col, "月份（及时率）").font = BOLD
    for j, name in enumerate(departments["source_dept_name"], start=1):
        ws.cell(1, first_col + j, name).font = BOLD
        ws.column_dimensions[get_column_letter(first_col + j)].width = display_width(str(name)) + 3
    for i, month in enumerate(months, start=2):
        ws.cell(i, first_col, month)
        for j, code in enumerate(codes, start=1):
            cell = ws.cell(i, first_col + j, plain(rates.at[month, code]))  # None: no records that month
            cell.number_format = NUMBER_FORMATS[RATE]
    ws.column_dimensions[get_column_letter(first_col)].width = 16

    chart = LineChart()
    chart.title = f"{scorecard.quarter} 各部门月度及时率"
    chart.y_axis.title, chart.x_axis.title = "及时率", "月份"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides axes unless told
    chart.add_data(Reference(ws, min_col=first_col + 1, max_col=first_col + len(codes), min_row=1,
                             max_row=1 + len(months)), titles_from_data=True)
    months_ref = Reference(ws, min_col=first_col, min_row=2, max_row=1 + len(months))
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(months_ref)))  # months are labels, not numbers
        series.marker.symbol = "circle"  # a department with one month of records is still a visible point
        series.smooth = False
    chart.width, chart.height = 18, 9
    ws.add_chart(chart, f"{get_column_letter(first_col)}{len(months) + 3}")
