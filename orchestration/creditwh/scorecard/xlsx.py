"""The scorecard as a workbook (creditwh.render.xlsx): every sheet printable (A4 landscape, header row
repeated, one page wide), and the selection's twelve-month trend drawn as small charts, one per
measure, from a hidden helper sheet."""

from __future__ import annotations

from pathlib import Path

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from creditwh.render import plain
from creditwh.render.xlsx import (
    HelperSheet, insert_chart_grid, set_print_layout, small_line_chart, workbook, write_notes, write_table,
)
from creditwh.scorecard.build import Scorecard
from creditwh.scorecard.sections import TREND_CHARTS, WHOLE_TREND, notes, sections, whole_name


def write_xlsx(scorecard: Scorecard, out: Path) -> None:
    (_, heading), *rest = notes(scorecard)
    all_sections = sections(scorecard)
    with workbook(out) as wb:
        # each section's note is said once, on the 说明 sheet, so every other sheet starts with its header row
        write_notes(wb, heading, rest + [(s.title, s.note) for s in all_sections if s.note])
        set_print_layout(wb.get_worksheet_by_name("说明"), header_rows=0, title=heading)
        sheets = []
        for section in all_sections:
            ws = wb.add_worksheet(section.title)
            (table,) = section.tables
            write_table(wb, ws, table)
            set_print_layout(ws, title=f"{heading} {section.title}")
            sheets.append((section, ws))
        helper = HelperSheet(wb)  # after the sheets a reader opens: never the first, never active
        for section, ws in sheets:
            if section.title == WHOLE_TREND:
                _add_trend_charts(wb, ws, helper, scorecard, below=len(section.tables[0].rows) + 2)


def _add_trend_charts(wb: Workbook, ws: Worksheet, helper: HelperSheet, scorecard: Scorecard, below: int) -> None:
    """One small line chart per measure of the selection as a whole, two side by side under its table."""
    trend = scorecard.trend
    where = whole_name(scorecard)
    charts = []
    for column, measure, y_format, bounds in TREND_CHARTS:
        block = helper.add(["月份", measure], [[month, plain(value)] for month, value in zip(trend["month"], trend[column])],
                           wb.add_format({"num_format": "0.0%" if y_format == "0%" else "0"}))
        charts.append(small_line_chart(wb, block, f"{where} {measure}", y_format=y_format, y_bounds=bounds))
    insert_chart_grid(ws, charts, first_row=below)
