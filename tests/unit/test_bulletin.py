"""The monthly bulletin (月度监测通报) on a small warehouse of three departments in two cities: what a
department reading it would see, in every format."""

from __future__ import annotations

import csv
import io

import duckdb
import openpyxl
import pandas as pd
import pytest

from creditwh.bulletin import BulletinError, load_bulletin, write_bulletin
from creditwh.bulletin.sections import notes

ZB_TAX, JN_MARKET, LX_ENV = "11370300MB0000003C", "11370100MB0000001A", "11370102MB0000002B"

# March 2026: 淄博税务 delivers no licence although it owes them (零报送); 济南市场监管 is late on 6 of 10
# licences; 历下生态环境 has a code error and a code-name mismatch in 5 penalties. February is the month before.
WAREHOUSE = f"""
create schema marts;
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
create table marts.rpt_reporting_coverage_rules as select
    1 as realtime_sharing_working_days, 0.9::double as realtime_sharing_target, 0.95::double as timeliness_target,
    0.95::double as compliance_target, 0.95::double as completeness_target, 0.01::double as uscc_error_rate_limit,
    12 as obligation_lookback_months;

create table marts.rpt_reporting_coverage_monthly as
select period_month, record_kind, source_dept_code, d.source_dept_name, d.region_code, is_owed, records,
       is_owed and records = 0 as is_zero_delivery,
       on_time_records, on_time_records / nullif(records, 0) as timeliness_rate,
       realtime_records, realtime_records / nullif(records, 0) as realtime_sharing_rate,
       compliant_records, compliant_records / nullif(records, 0) as compliance_rate,
       complete_records, complete_records / nullif(records, 0) as completeness_rate,
       uscc_errors, name_mismatches, (uscc_errors + name_mismatches) / nullif(records, 0) as uscc_error_rate,
       records_without_submission_date, rejected_files, rejected_rows, named_reasons, named_reasons <> '' as is_named
from (values
    (date '2026-02-01', 'license', '{ZB_TAX}', true, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, ''),
    (date '2026-03-01', 'license', '{ZB_TAX}', true, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, '零报送'),
    (date '2026-03-01', 'penalty', '{ZB_TAX}', true, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, ''),
    (date '2026-02-01', 'license', '{JN_MARKET}', true, 8, 8, 8, 8, 8, 0, 0, 0, 0, 0, ''),
    (date '2026-03-01', 'license', '{JN_MARKET}', true, 10, 4, 2, 10, 9, 0, 0, 1, 0, 2,
     '迟报过半,及时率未达标,完整率未达标'),
    (date '2026-03-01', 'penalty', '{JN_MARKET}', true, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, ''),
    (date '2026-03-01', 'penalty', '{LX_ENV}', true, 5, 5, 5, 4, 5, 1, 1, 0, 0, 0, '合规率未达标,重错码率超限')
) as t (period_month, record_kind, source_dept_code, is_owed, records, on_time_records, realtime_records,
        compliant_records, complete_records, uscc_errors, name_mismatches, records_without_submission_date,
        rejected_files, rejected_rows, named_reasons)
left join marts.dim_department d using (source_dept_code);

-- subject_name stands for any personal column the fact table may carry: it must never be exported.
create table marts.fct_disclosure_timeliness (
    record_kind varchar, source_dept_code varchar, source_dept_name varchar, region_code varchar,
    doc_no varchar, subject_type varchar, entity_code varchar, subject_name varchar,
    decision_date date, submitted_date date, working_days_elapsed integer,
    is_on_time boolean, is_compliant boolean, is_complete boolean, has_uscc_error boolean, has_name_mismatch boolean,
    defects varchar, period_month date);
insert into marts.fct_disclosure_timeliness values
    ('license', '{JN_MARKET}', '济南市市场监督管理局', '370100', '济市监许〔2026〕1号', '法人及非法人组织',
     '91370100MA0000001X', '某公司', '2026-03-02', '2026-03-03', 1, true, true, true, false, false, '', '2026-03-01'),
    ('license', '{JN_MARKET}', '济南市市场监督管理局', '370100', '济市监许〔2026〕2号', '自然人',
     null, '张三丰', '2026-02-16', '2026-03-10', 12, false, true, true, false, false, '', '2026-03-01'),
    ('license', '{JN_MARKET}', '济南市市场监督管理局', '370100', '济市监许〔2026〕3号', '法人及非法人组织',
     '91370100MA0000003X', '某公司', '2026-03-05', null, null, false, true, false, false, false,
     'MISSING:submitted_at', '2026-03-01'),
    ('penalty', '{LX_ENV}', '历下区生态环境局', '370102', '历环罚〔2026〕7号', '法人及非法人组织',
     null, '某公司', '2026-03-09', '2026-03-10', 1, true, false, true, true, false, 'INVALID:subject_uscc', '2026-03-01'),
    ('penalty', '{LX_ENV}', '历下区生态环境局', '370102', '历环罚〔2026〕8号', '法人及非法人组织',
     '91370102MA0000008X', '某公司', '2026-03-09', '2026-03-10', 1, true, true, true, false, true, '', '2026-03-01'),
    ('penalty', '{LX_ENV}', '历下区生态环境局', '370102', '历环罚〔2026〕1号', '法人及非法人组织',
     '91370102MA0000001X', '某公司', '2026-02-09', '2026-02-27', 12, false, true, true, false, false, '', '2026-02-01'),
    ('penalty', '{ZB_TAX}', '淄博市税务局', '370300', '淄税罚〔2026〕9号', '法人及非法人组织',
     '91370300MA0000009X', '某公司', null, null, null, false, false, false, false, false,
     'MISSING:decision_date,MISSING:submitted_at', null);

-- files rejected whole: charged to a department and month, or to nobody ('unattributed')
create table marts.rpt_rejected_files (
    file_path varchar, record_kind varchar, charged_dept_code varchar, charged_dept_name varchar,
    region_code varchar, charged_month date, reason varchar);
insert into marts.rpt_rejected_files values
    ('license/2026-03_zibo_tax.csv', 'license', '{ZB_TAX}', '淄博市税务局', '370300', '2026-03-01',
     'missing required column 许可类别'),
    ('license/2026-03_mixed.csv', 'license', 'unattributed', null, null, '2026-03-01', 'missing required column 许可类别'),
    ('license/unreadable.xlsx', 'license', 'unattributed', null, null, null, 'not a readable workbook'),
    ('license/2026-02_zibo_tax.csv', 'license', '{ZB_TAX}', '淄博市税务局', '370300', '2026-02-01',
     'missing required column 许可类别');

create table marts.rpt_records_without_period as
select source_dept_code, source_dept_name, region_code, record_kind, count(*) as records
from marts.fct_disclosure_timeliness where period_month is null group by all;
"""


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(tmp_path / "credit.duckdb"))
    c.execute(WAREHOUSE)
    yield c
    c.close()


@pytest.fixture
def bulletin(con):
    return load_bulletin(con, "2026-03")


def test_overview_splits_licences_and_penalties_and_compares_with_the_month_before(bulletin):
    overview = bulletin.overview.set_index("category")
    assert overview.index.tolist() == ["行政许可", "行政处罚", "合计"]
    assert overview.loc["行政许可", ["records", "previous_records", "records_change"]].tolist() == [10, 11, -1]
    assert overview.loc["行政处罚", ["records", "previous_records", "records_change"]].tolist() == [11, 0, 11]
    assert overview.loc["合计", "records"] == 21 and overview.loc["合计", "on_time_records"] == 15
    # pooled from the counts (15 / 21), not the mean of the departments' rates
    assert overview.loc["合计", "timeliness_rate"] == pytest.approx(15 / 21)
    assert overview.loc["行政许可", "timeliness_rate_change"] == pytest.approx(100 * (0.4 - 1.0))
    assert pd.isna(overview.loc["行政处罚", "previous_timeliness_rate"])  # no penalty records in February
    assert overview.loc["合计", ["owed_units", "zero_delivery_units", "named_units"]].tolist() == [3, 1, 3]


def test_named_units_put_zero_delivery_first_with_every_reason(bulletin):
    named = bulletin.named
    assert named[["source_dept_name", "category", "reasons"]].values.tolist() == [
        ["淄博市税务局", "行政许可", "零报送"],
        ["历下区生态环境局", "行政处罚", "合规率未达标、重错码率超限"],
        ["济南市市场监督管理局", "行政许可", "迟报过半、及时率未达标、完整率未达标"],
    ]


def test_departments_are_ranked_by_timeliness_then_compliance_and_completeness(bulletin):
    """淄博 and 历下 are both on time; 淄博's better 合规率 ranks it first."""
    ranking = bulletin.departments
    assert ranking[["rank", "source_dept_name", "records", "on_time_records"]].values.tolist() == [
        [1, "淄博市税务局", 4, 4], [2, "历下区生态环境局", 5, 5], [3, "济南市市场监督管理局", 12, 6]]
    reasons = ranking.set_index("source_dept_name")["named_reasons"]
    assert reasons["淄博市税务局"] == "行政许可：零报送"
    assert reasons["历下区生态环境局"] == "行政处罚：合规率未达标、重错码率超限"


def test_departments_equal_on_every_rate_share_a_rank(con):
    con.execute("update marts.rpt_reporting_coverage_monthly set compliant_records = 5, compliance_rate = 1.0 "
                f"where source_dept_code = '{LX_ENV}'")
    ranking = load_bulletin(con, "2026-03").departments
    assert ranking[["rank", "source_dept_name"]].values.tolist() == [
        [1, "历下区生态环境局"], [1, "淄博市税务局"], [3, "济南市市场监督管理局"]]


def test_a_department_without_records_that_month_is_listed_last_unranked(con):
    con.execute(f"delete from marts.rpt_reporting_coverage_monthly where source_dept_code = '{ZB_TAX}' "
                "and record_kind = 'penalty'")
    ranking = load_bulletin(con, "2026-03").departments
    assert ranking["source_dept_name"].tolist()[-1] == "淄博市税务局" and pd.isna(ranking["rank"].iloc[-1])


def test_problem_list_names_late_undated_code_error_and_mismatched_records_without_personal_data(bulletin):
    problems = bulletin.problems.set_index("doc_no")["problem"].to_dict()
    assert problems == {
        "历环罚〔2026〕7号": "不合规：统一社会信用代码校验错误",
        "历环罚〔2026〕8号": "码名不符：行政相对人名称与登记的主体名称不一致",
        "济市监许〔2026〕2号": "逾期报送（12个工作日，限7个工作日）",
        "济市监许〔2026〕3号": "计为逾期（报送时间缺失或无法识别）；缺少：报送时间",
    }  # 1号 is fine; February's and the undated record are not March's


def test_rejected_files_are_charged_or_listed_as_unattributed(con, bulletin):
    files = bulletin.rejected_files
    assert files[["source_dept_name", "file_path"]].fillna("-").values.tolist() == [
        ["淄博市税务局", "license/2026-03_zibo_tax.csv"],
        ["-", "license/2026-03_mixed.csv"], ["-", "license/unreadable.xlsx"]]
    jinan = load_bulletin(con, "2026-03", region="370100")
    assert jinan.rejected_files.empty  # the unattributed files belong to no city
    rows = bulletin.departments.set_index("source_dept_name")
    assert rows.loc["济南市市场监督管理局", "rejected_rows"] == 2 and rows.loc["淄博市税务局", "rejected_files"] == 1


def test_records_without_any_date_are_counted_per_department(bulletin):
    assert bulletin.undated[["source_dept_name", "category", "records"]].values.tolist() == [["淄博市税务局", "行政处罚", 1]]


def test_trend_is_the_region_as_a_whole_month_by_month(bulletin):
    trend = bulletin.trend.set_index("month")
    assert trend.index.tolist()[0] == "2025-04" and trend.index.tolist()[-1] == "2026-03" and len(trend) == 12
    assert trend.loc["2026-02", "records"] == 11 and trend.loc["2026-02", "timeliness_rate"] == 1.0
    assert trend.loc["2025-12", "records"] == 0 and pd.isna(trend.loc["2025-12", "timeliness_rate"])


def test_a_city_holds_its_districts(con):
    jinan = load_bulletin(con, "2026-03", region="370100")
    assert jinan.region_name == "济南市"
    assert set(jinan.departments["source_dept_name"]) == {"济南市市场监督管理局", "历下区生态环境局"}
    assert jinan.overview.set_index("category").loc["合计", "records"] == 17
    district = load_bulletin(con, "2026-03", region="370102")
    assert district.departments["source_dept_name"].tolist() == ["历下区生态环境局"]


def test_the_rules_stated_are_those_the_marts_were_built_with(con):
    con.execute("update marts.rpt_reporting_coverage_rules set realtime_sharing_working_days = 2, "
                "realtime_sharing_target = 0.8, uscc_error_rate_limit = 0.02")
    text = dict(notes(load_bulletin(con, "2026-03")))
    assert text["实时共享"] == "自决定之日起2个工作日内报送为实时共享，实时共享率目标 80%"
    assert text["重错码率"].endswith("上限 2%")
    assert text["目标值"] == "及时率 95%，合规率 95%，完整率 95%"
    assert text["标题"] == "2026年3月双公示信息报送月度监测通报"


def _rows(ws):
    return [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]


def test_xlsx_prints_one_page_wide_with_a_chart_per_measure_and_hidden_chart_data(bulletin, tmp_path):
    wb = openpyxl.load_workbook(write_bulletin(bulletin, tmp_path / "out" / "2026-03.xlsx"))
    assert wb.sheetnames == ["说明", "总体情况", "点名通报", "部门排名", "重错码与实时共享", "问题数据清单", "退回文件",
                             "各单位退回文件与退回数据行", "无法归期", "近12个月趋势", "图表数据"]
    assert wb["图表数据"].sheet_state == "hidden"
    overview = wb["总体情况"]
    assert [r[0] for r in _rows(overview)] == ["行政许可", "行政处罚", "合计"]
    assert overview["A4"].font.bold  # the 合计 line
    for name in ["部门排名", "问题数据清单"]:
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.print_title_rows == "$1:$1" and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # one page wide
    trend = wb["近12个月趋势"]
    assert len(trend._charts) == 6 and all(len(chart.series) <= 2 for chart in trend._charts)
    named = wb["点名通报"]
    assert _rows(named)[0][:5] == ["淄博市税务局", ZB_TAX, "淄博市", "行政许可", "零报送"]
    about = {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=2, values_only=True)}
    assert about["报送情况"].startswith("2026年3月共报送双公示信息 21 条（行政许可 10 条，行政处罚 11 条），较上月增加 10 条")


def test_csv_and_html_carry_every_section_and_no_personal_data(bulletin, tmp_path):
    content = write_bulletin(bulletin, tmp_path / "b.csv").read_bytes().decode("utf-8-sig")
    titles = [r[0] for r in csv.reader(io.StringIO(content)) if len(r) == 1 and r[0].startswith("【")]
    assert titles == ["【说明】", "【总体情况】", "【点名通报】", "【部门排名】", "【重错码与实时共享】", "【问题数据清单】",
                      "【退回文件】", "【无法归期】", "【近12个月趋势】"]
    page = write_bulletin(bulletin, tmp_path / "b.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 6 and "<script" not in page and "@media print" in page
    assert "零报送" in page and "无法归属（unattributed）" in page and "tr class=\"total\"" in page
    for personal in ("张三丰", "某公司", "91370100MA0000001X"):
        assert personal not in content and personal not in page


@pytest.mark.parametrize(
    ("month", "region", "expected"),
    [
        ("2026-3", None, ["'2026-3'", "YYYY-MM", "2026-03"]),
        ("2026Q1", None, ["YYYY-MM"]),
        ("2026-04", None, ["2026-04", "该月无数据", "2026-02 … 2026-03 (2 months)"]),
        ("2026-02", "370102", ["2026-02", "370102 历下区", "there: 2026-03 … 2026-03"]),
        ("2026-03", "379999", ["'379999'", "370100 济南市"]),
    ],
)
def test_helpful_errors(con, month, region, expected):
    with pytest.raises(BulletinError) as raised:
        load_bulletin(con, month, region)
    for part in expected:
        assert part in str(raised.value)


def test_missing_marts_is_a_bulletin_error():
    with duckdb.connect() as empty, pytest.raises(BulletinError, match="creditwh run"):
        load_bulletin(empty, "2026-03")


def test_unknown_suffix(bulletin, tmp_path):
    with pytest.raises(BulletinError, match=r"\.xlsx, \.csv or \.html"):
        write_bulletin(bulletin, tmp_path / "out" / "2026-03.pdf")
    assert not (tmp_path / "out").exists()


# --- the command line: `creditwh bulletin` on the same warehouse ---

@pytest.fixture
def warehouse_env(con, tmp_path, monkeypatch):
    """The small warehouse as CREDIT_WAREHOUSE (closed, as a command finds it), as of 2026-03-31."""
    con.close()
    monkeypatch.setenv("CREDIT_WAREHOUSE", str(tmp_path / "credit.duckdb"))
    monkeypatch.setenv("CREDIT_AS_OF", "2026-03-31")
    monkeypatch.setenv("CREDIT_PII_KEY", "test-secret-key")
    return tmp_path


def test_the_command_defaults_to_the_last_complete_month(warehouse_env, capsys):
    from creditwh.cli import main

    out = warehouse_env / "bulletin.html"
    assert main(["bulletin", "--region", "370300", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("2026-03 370300 淄博市: 4 records, 1 units with no delivery (零报送), 1 named")
    assert "2026年3月双公示信息报送月度监测通报" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(("argv", "as_of", "message"), [
    (["--month", "2026-3"], "2026-03-31", "bad month '2026-3': write it as YYYY-MM, e.g. 2026-03"),
    ([], "2026-04-30", "no 双公示 records or delivery obligations for 2026-04 (该月无数据)"),
    (["--month", "2026-03", "--region", "379999"], "2026-03-31", "unknown region code '379999'"),
])
def test_the_command_refuses_in_one_line(warehouse_env, monkeypatch, capsys, argv, as_of, message):
    from creditwh.cli import main

    monkeypatch.setenv("CREDIT_AS_OF", as_of)
    out = warehouse_env / "b.xlsx"
    assert main(["bulletin", *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"creditwh bulletin: {message}") and err.count("\n") == 1
    assert not out.exists()


def test_the_command_refuses_an_unknown_suffix_before_reading(tmp_path, monkeypatch, capsys):
    from creditwh.cli import main

    monkeypatch.setenv("CREDIT_WAREHOUSE", str(tmp_path / "none" / "credit.duckdb"))  # no warehouse needed
    assert main(["bulletin", "--month", "2026-03", "--out", str(tmp_path / "b.pdf")]) == 2
    assert capsys.readouterr().err.startswith("creditwh bulletin: --out 应为 .xlsx 或 .html 或 .csv 文件")


# --- the Dagster asset on the same warehouse ---

@pytest.fixture
def asset_warehouse(con, tmp_path, monkeypatch):
    con.close()
    monkeypatch.setenv("CREDIT_WAREHOUSE", str(tmp_path / "credit.duckdb"))
    monkeypatch.setenv("CREDIT_PII_KEY", "test-secret-key")
    return tmp_path / "credit.duckdb"


def test_the_asset_writes_the_month_s_three_files_and_links_them(asset_warehouse):
    import dagster as dg

    from creditwh.defs.bulletins.assets import monthly_bulletin
    from creditwh.defs.resources import WarehouseResource

    result = dg.materialize([monthly_bulletin], partition_key="2026-03", resources={"warehouse": WarehouseResource()})
    assert result.success
    [materialization] = result.asset_materializations_for_node("bulletins__monthly_bulletin")
    assert materialization.metadata["named_units"].value == 3
    xlsx = asset_warehouse.parent / "bulletins" / "2026-03" / "双公示月度监测通报_2026-03.xlsx"
    assert materialization.metadata["file.xlsx"].value == str(xlsx)
    assert xlsx.exists() and xlsx.with_suffix(".html").exists() and xlsx.with_suffix(".csv").exists()


def test_the_asset_fails_an_empty_month_with_a_clear_description(asset_warehouse):
    import dagster as dg

    from creditwh.defs.bulletins.assets import monthly_bulletin
    from creditwh.defs.resources import WarehouseResource

    result = dg.materialize([monthly_bulletin], partition_key="2025-01", resources={"warehouse": WarehouseResource()},
                            raise_on_error=False)
    assert not result.success
    [failure] = result.get_step_failure_events()
    description = failure.step_failure_data.user_failure_data.description
    assert description.startswith("月度监测通报 2025-01: no 双公示 records or delivery obligations for 2025-01")
    assert not (asset_warehouse.parent / "bulletins").exists()


def test_a_department_that_never_delivered_is_named_with_its_region(con):
    """Owed by seeds/reporting_obligations.csv, never delivered: not in dim_department, still in its district."""
    con.execute("""insert into marts.rpt_reporting_coverage_monthly (period_month, record_kind, source_dept_code,
                   source_dept_name, region_code, is_owed, records, is_zero_delivery, on_time_records,
                   realtime_records, compliant_records, complete_records, uscc_errors, name_mismatches,
                   records_without_submission_date, rejected_files, rejected_rows, named_reasons, is_named)
                   values ('2026-03-01', 'license', '11370102MB0000009X', '历下区卫生健康局', '370102', true, 0, true,
                           0, 0, 0, 0, 0, 0, 0, 0, 0, '零报送', true)""")
    named = load_bulletin(con, "2026-03", region="370100").named
    assert named[["source_dept_name", "region_name", "reasons"]].values.tolist()[0] == ["历下区卫生健康局", "历下区", "零报送"]
