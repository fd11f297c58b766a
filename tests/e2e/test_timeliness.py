"""双公示 timeliness on readable cases (rules.md): working days on the State Council calendar,
quality flags, and the quarterly scores, ranks, grades and rectification flags.

One pipeline run holds every case; each department and quarter is kept apart so that the
ranking cases (2025Q2) do not mix with the calendar cases.
"""

from __future__ import annotations

import pytest

from .helpers import (
    COMPANY_A,
    JINAN_SCJGJ,
    department,
    license_record,
    penalty_record,
    query,
    run,
    write_records,
)

# Ranking cases, all decided Mon 2025-05-12: submitted the next day (1 working day, on time)
# or on Fri 05-30 (14 working days, late).
ON_TIME, LATE = "2025-05-13 10:00", "2025-05-30 10:00"
DEPT_Z = department("济南市交通运输局", "370100", "00100001")
DEPT_X = department("济南市住房和城乡建设局", "370100", "00100002")
DEPT_Y = department("淄博市交通运输局", "370300", "00300001")
DEPT_W = department("淄博市住房和城乡建设局", "370300", "00300002")
DEPT_V = department("枣庄市交通运输局", "370400", "00400001")
DEPT_U = department("枣庄市应急管理局", "370400", "00400002")


def _ranking_cases() -> list[dict[str, str]]:
    plan = {  # department: submission of each of its records
        DEPT_Z: [ON_TIME],  # 100
        DEPT_U: [ON_TIME] * 6,  # one record incomplete: 100 × (0.4 + 0.3 + 0.3 × 5/6) = 95 → A
        DEPT_X: [ON_TIME, LATE],  # exactly half late: 80, not for rectification
        DEPT_Y: [ON_TIME, ON_TIME, LATE, LATE],  # 80 as well: shares rank 3 with X
        DEPT_W: [ON_TIME, LATE, LATE],  # two thirds late: 73.33, rectification
        DEPT_V: [LATE],  # 60 → D
    }
    records = []
    for dept, submissions in plan.items():
        for i, submitted in enumerate(submissions, start=1):
            records.append(penalty_record(f"{dept[0]}罚〔2025〕{i}号", decided="2025-05-12", submitted=submitted, dept=dept))
    records[1]["法定代表人"] = ""  # DEPT_U's first record: MISSING:legal_rep_name
    return records


CALENDAR_CASES = [
    # doc_no, decided, submitted, expected working days (None: not computable)
    ("国庆-5", "2025-09-26", "2025-10-10 09:00", 5),  # 9-28 (make-up Sunday), 9-29, 9-30, 10-9, 10-10
    ("国庆-7", "2025-09-26", "2025-10-13 09:00", 7),  # Saturday 10-11 is a make-up working day
    ("国庆-8", "2025-09-26", "2025-10-14 09:00", 8),
    ("元旦-2", "2025-12-31", "2026-01-05 09:00", 2),  # Sunday 2026-01-04 is a working day
    ("当日", "2025-11-03", "2025-11-03 17:00", 0),
    ("早于决定", "2025-11-10", "2025-11-07 09:00", None),
    ("日期错", "2025年13月45日", "2025-11-07 09:00", None),
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("timeliness")
    raw = tmp_path / "raw"
    penalties = [penalty_record(f"济市监罚〔2025〕{doc}号", decided=decided, submitted=submitted)
                 for doc, decided, submitted, _ in CALENDAR_CASES]
    # a correction delivered later: timeliness stays measured on the first delivery (5 days)
    penalties.append(penalty_record("济市监罚〔2025〕国庆-5号", decided="2025-09-26", submitted="2025-10-20 09:00",
                                    **{"违法事实": "超范围经营（更正）"}))
    write_records(raw / "penalty" / "calendar_cases.csv", penalties)
    write_records(raw / "penalty" / "ranking_cases.csv", _ranking_cases())
    write_records(raw / "license" / "spring_festival.csv", [
        # 2025 Spring Festival: 1-28..2-4 off; Sunday 1-26 and Saturday 2-8 make-up working days
        license_record("济市监许〔2025〕春节-3号", decided="2025-01-24", submitted="2025-02-05 09:00"),  # 1-26, 1-27, 2-5
        license_record("济市监许〔2025〕春节-2号", decided="2025-02-07", submitted="2025-02-10 09:00"),  # 2-8, 2-10
        license_record("济市监许〔2025〕错码号", decided="2025-02-07", submitted="2025-02-10 09:00",
                       **{"统一社会信用代码": COMPANY_A[:-1] + ("0" if COMPANY_A[-1] != "0" else "1")}),
    ])
    write_records(raw / "credit_list" / "designations.csv", [{
        "数据来源单位": "济南市市场监督管理局", "数据来源单位统一社会信用代码": JINAN_SCJGJ, "报送时间": "2025-10-14 09:00",
        "名单类型": "严重失信主体名单", "主体名称": "济南鑫达建材有限公司", "主体类别": "法人及非法人组织",
        "统一社会信用代码": COMPANY_A, "列入决定文书号": "济市监列〔2025〕1号", "列入事由": "拒不履行", "认定依据": "《条例》",
        "认定部门": "济南市市场监督管理局", "认定部门统一社会信用代码": JINAN_SCJGJ, "列入日期": "2025-09-26",
    }])
    write_records(raw / "commitment" / "breaches.csv", [{
        "数据来源单位": "济南市市场监督管理局", "数据来源单位统一社会信用代码": JINAN_SCJGJ, "报送时间": "2025-11-03 16:00",
        "承诺主体名称": "济南鑫达建材有限公司", "主体类别": "法人及非法人组织", "统一社会信用代码": COMPANY_A,
        "承诺类型": "审批告知承诺", "承诺事项": "食品经营许可", "承诺日期": "2025-06-01",
        "承诺受理单位": "济南市市场监督管理局", "承诺受理单位统一社会信用代码": JINAN_SCJGJ,
        "履约状态": "违诺", "违诺认定日期": "2025-11-03",
    }])
    with pytest.MonkeyPatch.context() as monkeypatch:
        report, path = run(raw, tmp_path, monkeypatch, as_of="2026-03-31")
    assert report.ok, (report.steps_failed, report.checks_failed)
    return path


@pytest.mark.parametrize("doc, decided, submitted, expected", CALENDAR_CASES)
def test_working_days_follow_the_state_council_calendar(warehouse, doc, decided, submitted, expected):
    [(elapsed, on_time)] = query(warehouse, f"""
        select working_days_elapsed, is_on_time from marts.fct_disclosure_timeliness
        where doc_no = '济市监罚〔2025〕{doc}号'""")
    assert elapsed == expected
    assert on_time is (expected is not None and expected <= 7)


def test_spring_festival_make_up_days_count_for_licences(warehouse):
    rows = dict(query(warehouse, """
        select doc_no, working_days_elapsed from marts.fct_disclosure_timeliness
        where record_kind = 'license' and doc_no like '%春节%'"""))
    assert rows == {"济市监许〔2025〕春节-3号": 3, "济市监许〔2025〕春节-2号": 2}


def test_a_correction_is_timed_on_the_first_delivery(warehouse):
    assert query(warehouse, """
        select submitted_date::varchar, working_days_elapsed from marts.fct_disclosure_timeliness
        where doc_no = '济市监罚〔2025〕国庆-5号'""") == [("2025-10-10", 5)]


def test_quality_flags_follow_the_defects(warehouse):
    flags = {doc: rest for doc, *rest in query(warehouse, """
        select doc_no, is_compliant, is_complete, has_uscc_error, defects from marts.fct_disclosure_timeliness""")}
    assert flags["济市监罚〔2025〕早于决定号"] == [False, True, False, "DATE_ORDER:decision_after_submission"]
    assert flags["济市监罚〔2025〕日期错号"] == [False, True, False, "UNPARSEABLE_DATE:decision_date"]
    assert flags["济市监许〔2025〕错码号"] == [False, True, True, "INVALID:subject_uscc"]
    assert flags["枣庄市应急管理局罚〔2025〕1号"] == [True, False, False, "MISSING:legal_rep_name"]
    assert flags["济市监罚〔2025〕当日号"] == [True, True, False, ""]


def test_quarterly_scores_ranks_grades_and_rectification(warehouse):
    rows = query(warehouse, """
        select source_dept_name, records, on_time_records, round(score, 4), rank, grade, needs_rectification
        from marts.rpt_timeliness_quarterly where period_quarter = '2025Q2' order by rank, source_dept_name""")
    assert rows == [
        ("济南市交通运输局", 1, 1, 100.0, 1, "A", False),
        ("枣庄市应急管理局", 6, 6, 95.0, 2, "A", False),  # exactly at the A threshold
        ("济南市住房和城乡建设局", 2, 1, 80.0, 3, "C", False),  # exactly half late: not more than half
        ("淄博市交通运输局", 4, 2, 80.0, 3, "C", False),  # tie: 1, 2, 3, 3, 5
        ("淄博市住房和城乡建设局", 3, 1, 73.3333, 5, "C", True),
        ("枣庄市交通运输局", 1, 0, 60.0, 6, "D", True),
    ]


def test_regions_pool_their_departments_records(warehouse):
    # every department here is a city's own (市本级): its 全市 row has the same figures
    rows = query(warehouse, """
        select region_code, region_name, records, round(timeliness_rate, 6), round(score, 4), rank, grade
        from marts.rpt_timeliness_quarterly_region where period_quarter = '2025Q2' and region_scope = 'city_own'
        order by rank""")
    assert rows == [
        ("370400", "枣庄市", 7, round(6 / 7, 6), 90.0, 1, "B"),
        ("370100", "济南市", 3, round(2 / 3, 6), 86.6667, 2, "B"),
        ("370300", "淄博市", 7, round(3 / 7, 6), 77.1429, 3, "C"),
    ]


def test_monthly_monitoring_counts_per_department_and_kind(warehouse):
    rows = query(warehouse, """
        select period_month::varchar, record_kind, records, on_time_records, timeliness_rate, uscc_errors
        from marts.rpt_timeliness_monthly where source_dept_code = (select source_dept_code from marts.dim_department
            where source_dept_name = '济南市市场监督管理局') order by 1, 2""")
    assert rows == [
        ("2025-02-01", "license", 3, 3, 1.0, 1),
        ("2025-10-01", "penalty", 3, 2, 2 / 3, 0),
        ("2025-11-01", "penalty", 3, 1, 1 / 3, 0),
        ("2026-01-01", "penalty", 1, 1, 1.0, 0),
    ]


def test_list_designations_and_commitment_breaches_have_the_same_deadline(warehouse):
    rows = query(warehouse, """
        select record_kind, event_date::varchar, working_days_elapsed, is_on_time
        from marts.fct_credit_event_timeliness order by record_kind""")
    assert rows == [("commitment_breach", "2025-11-03", 0, True), ("credit_list", "2025-09-26", 8, False)]
    assert query(warehouse, """
        select record_kind, records, on_time_records from marts.rpt_credit_event_timeliness_monthly
        order by record_kind""") == [("commitment_breach", 1, 1), ("credit_list", 1, 0)]


def test_scorecard_cli_writes_the_quarter_for_evaluators(warehouse, tmp_path, monkeypatch):
    import openpyxl

    from creditwh.cli import main

    monkeypatch.setenv("CREDIT_WAREHOUSE", str(warehouse))
    out = tmp_path / "2025Q2.xlsx"
    assert main(["scorecard", "--quarter", "2025Q2", "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["说明", "部门排名", "区域排名", "环比变化", "问题分类", "点名通报", "整体趋势", "月度趋势",
                               "问题数据清单", "图表数据"]
    ranking = [[cell.value for cell in row] for row in book["部门排名"].iter_rows(min_row=2, max_col=3)]
    assert [(rank, name) for rank, name, _ in ranking] == [
        (1, "济南市交通运输局"), (2, "枣庄市应急管理局"), (3, "济南市住房和城乡建设局"), (3, "淄博市交通运输局"),
        (5, "淄博市住房和城乡建设局"), (6, "枣庄市交通运输局"), (None, "合计 山东省（全省）"),
    ]
    assert book["整体趋势"]._charts, "the trend sheet carries the selection's charts"
    problems = [row for row in book["问题数据清单"].iter_rows(min_row=2, values_only=True)]
    assert len(problems) == 7  # six late records and one incomplete one
    assert any("缺少：法定代表人" in row[-1] for row in problems)

    assert main(["scorecard", "--quarter", "2025Q5", "--out", str(out)]) == 2
    assert main(["scorecard", "--quarter", "2024Q1", "--out", str(out)]) == 2


def test_scorecard_asset_writes_the_partition_files(warehouse, monkeypatch):
    import dagster as dg

    from creditwh.defs.resources import WarehouseResource
    from creditwh.defs.scorecards.assets import timeliness_scorecard

    monkeypatch.setenv("CREDIT_WAREHOUSE", str(warehouse))
    result = dg.materialize([timeliness_scorecard], partition_key="2025Q2",
                            resources={"warehouse": WarehouseResource()})
    assert result.success
    [materialization] = result.asset_materializations_for_node("scorecards__timeliness_scorecard")
    assert materialization.metadata["quarter"].value == "2025Q2"
    assert materialization.metadata["needs_rectification"].value == 2
    xlsx = warehouse.parent / "scorecards" / "2025Q2" / "双公示季度评估_2025Q2.xlsx"
    assert materialization.metadata["file.xlsx"].value == str(xlsx)
    assert xlsx.exists() and xlsx.with_suffix(".html").exists() and xlsx.with_suffix(".csv").exists()
