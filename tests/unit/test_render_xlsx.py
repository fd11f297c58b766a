"""The generic workbook pieces of creditwh.render.xlsx: print set-up, the hidden helper sheet, small
line charts, 合计 rows and changes (▲/▼), read back with openpyxl as a spreadsheet program would."""

from __future__ import annotations

import openpyxl

from creditwh.render import CHANGE, COUNT, RATE, Column, Table
from creditwh.render.csv import write_csv
from creditwh.render.table import Section
from creditwh.render.xlsx import (
    HelperSheet, insert_chart_grid, set_print_layout, small_line_chart, workbook, write_table,
)

COLUMNS = [Column("name", "部门"), Column("records", "报送数量", COUNT), Column("rate", "及时率", RATE),
           Column("change", "及时率变化（百分点）", CHANGE)]
TABLE = Table(COLUMNS, [["甲局", 10, 0.9, 2.5], ["乙局", 5, 0.4, -10.0]], totals=[["合计", 15, 14 / 15, None]])


def _write(path):
    with workbook(path) as wb:
        ws = wb.add_worksheet("部门排名")
        write_table(wb, ws, TABLE)
        set_print_layout(ws, title="2025Q4 部门排名")
        helper = HelperSheet(wb)
        months = helper.add(["月份", "及时率", "目标"], [["2025-10", 0.8, 0.95], ["2025-11", None, 0.95]])
        counts = helper.add(["月份", "报送数量"], [["2025-10", 12], ["2025-11", 0]])
        charts = [small_line_chart(wb, months, "及时率", value_cols=(1, 2)),
                  small_line_chart(wb, counts, "报送数量", y_format="0", y_bounds=(0, None))]
        assert insert_chart_grid(ws, charts, first_row=5) == 5 + 13  # one row of charts, 256 pixels high
    return path


def test_print_setup_is_a4_landscape_one_page_wide_with_header_rows_repeated(tmp_path):
    ws = openpyxl.load_workbook(_write(tmp_path / "t.xlsx"))["部门排名"]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # 1 wide is the default
    assert ws.print_title_rows == "$1:$1"
    assert "2025Q4 部门排名" in ws.oddHeader.center.text and "&P" in ws.oddFooter.center.text


def test_chart_data_lies_on_a_hidden_sheet_and_each_chart_draws_one_measure(tmp_path):
    wb = openpyxl.load_workbook(_write(tmp_path / "t.xlsx"))
    helper = wb["图表数据"]
    assert helper.sheet_state == "hidden" and wb.active.title == "部门排名"
    assert [[c.value for c in row] for row in helper.iter_rows(max_row=6, max_col=3)] == [
        ["月份", "及时率", "目标"], ["2025-10", 0.8, 0.95], ["2025-11", None, 0.95], [None, None, None],
        ["月份", "报送数量", None], ["2025-10", 12, None]]
    rates, counts = wb["部门排名"]._charts
    assert len(rates.series) == 2 and len(counts.series) == 1  # a measure and its target; no legend of units
    assert rates.series[0].val.numRef.f == "图表数据!$B$2:$B$3"
    assert counts.series[0].cat.strRef.f == "图表数据!$A$6:$A$7"


def test_totals_are_bold_after_the_rows_and_outside_the_filter(tmp_path):
    ws = openpyxl.load_workbook(_write(tmp_path / "t.xlsx"))["部门排名"]
    total = [c for c in ws[4]]
    assert [c.value for c in total[:3]] == ["合计", 15, 14 / 15] and all(c.font.bold for c in total[:3])
    assert ws.auto_filter.ref == "A1:D3"
    assert ws["D2"].number_format == '"▲"0.0;"▼"0.0;0.0'


def test_changes_read_with_arrows_in_text(tmp_path):
    assert TABLE.texts()[0][3] == "▲2.5" and TABLE.texts()[1][3] == "▼10.0"
    assert TABLE.total_texts() == [["合计", "15", "93.3%", "—"]]
    out = tmp_path / "t.csv"
    write_csv(out, [], [Section("部门排名", tables=[TABLE])])
    assert out.read_text(encoding="utf-8-sig").splitlines()[-1] == "合计,15,93.3%,—"
