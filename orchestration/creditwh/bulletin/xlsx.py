"""The bulletin as a workbook (creditwh.render.xlsx): 说明, a sheet per table, every sheet set up to print
on A4 landscape one page wide; the trend sheet with a small chart per measure, drawn from a hidden sheet."""

from __future__ import annotations

from pathlib import Path

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from creditwh.bulletin.build import Bulletin
from creditwh.bulletin.sections import (
    RATES, REALTIME, TREND, notes, overview_facts, sections, title, trend_measures,
)
from creditwh.render import plain
from creditwh.render.xlsx import (
    HelperSheet, insert_chart_grid, set_print_layout, small_line_chart, workbook, write_notes, write_table,
)

RATE_KEYS = {c.key for c in [*RATES, REALTIME]}


def write_xlsx(bulletin: Bulletin, out: Path) -> None:
    heading = title(bulletin)
    with workbook(out) as wb:
        (_, _), *rest = notes(bulletin)
        write_notes(wb, heading, rest + overview_facts(bulletin))
        set_print_layout(wb.get_worksheet_by_name("说明"), header_rows=0, title=heading)
        for section in sections(bulletin):
            for index, table in enumerate(section.tables):
                # a section's further tables on sheets of their own, named by their caption
                ws = wb.add_worksheet(section.title if index == 0 else table.caption)
                write_table(wb, ws, table)
                set_print_layout(ws, header_rows=1, title=f"{heading} — {ws.name}")
                if section.title == TREND:
                    _add_trend_charts(wb, ws, bulletin, below=len(table.rows) + 2)


def _add_trend_charts(wb: Workbook, ws: Worksheet, bulletin: Bulletin, below: int) -> None:
    """One small chart per measure for the region as a whole, its target dashed beside it."""
    helper = HelperSheet(wb)
    months = bulletin.trend["month"].tolist()
    charts = []
    for column, name, target in trend_measures(bulletin):
        values = [plain(v) for v in bulletin.trend[column]]
        is_rate = column in RATE_KEYS
        headings = ["月份", name] + (["目标值"] if target is not None else [])
        rows = [[month, value] + ([target] if target is not None else []) for month, value in zip(months, values)]
        table = helper.add(headings, rows)
        charts.append(small_line_chart(
            wb, table, f"{name}（近{len(months)}个月）", value_cols=(1, 2) if target is not None else (1,),
            y_format="0%" if is_rate else "0", y_bounds=(0, 1) if is_rate else (0, None)))
    insert_chart_grid(ws, charts, first_row=below)  # two abreast: an A4 landscape page wide
