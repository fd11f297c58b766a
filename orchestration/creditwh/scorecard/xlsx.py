"""The scorecard as a workbook (creditwh.render.xlsx), its 月度趋势 sheet with a 及时率 block and chart."""

from __future__ import annotations

from pathlib import Path

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from creditwh.render import RATE, plain
from creditwh.render.xlsx import NUMBER_FORMATS, Cell, display_width, set_width, workbook, write_notes, write_table
from creditwh.scorecard.build import Scorecard
from creditwh.scorecard.sections import TREND, notes, sections

CHART_SIZE = {"width": round(18 / 2.54 * 96), "height": round(9 / 2.54 * 96)}  # 18 x 9 cm at 96 pixels an inch


def write_xlsx(scorecard: Scorecard, out: Path) -> None:
    with workbook(out) as wb:
        (_, heading), *rest = notes(scorecard)
        write_notes(wb, heading, rest)
        for section in sections(scorecard):
            ws = wb.add_worksheet(section.title)
            (table,) = section.tables
            if section.title == TREND:
                first_col = len(table.columns) + 1
                block = _trend_block(wb, ws, scorecard, first_col)
                write_table(wb, ws, table, beside=block)
                _add_trend_chart(wb, ws, scorecard, first_col, departments=len(block[0]) - 1)
            else:
                write_table(wb, ws, table)


def _trend_block(wb: Workbook, ws: Worksheet, scorecard: Scorecard, first_col: int) -> list[list[Cell]]:
    """A month x department block of 及时率 (rows of cells), to sit beside the table; sets its widths."""
    trend = scorecard.monthly_trend
    departments = trend.drop_duplicates("source_dept_code")
    rates = trend.pivot(index="month", columns="source_dept_code", values="timeliness_rate")
    bold, rate = wb.add_format({"bold": True}), wb.add_format({"num_format": NUMBER_FORMATS[RATE]})

    set_width(ws, first_col, 16)
    for col, name in enumerate(departments["source_dept_name"], start=first_col + 1):
        set_width(ws, col, display_width(str(name)) + 3)
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
