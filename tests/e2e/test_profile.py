"""Entity credit profiles, credit tiers and the per-entity report on readable hand-made cases
(rules.md: credit tier, personal information; marts.md: dim_entity, mart_entity_credit_profile).

One set of extracts, built as of 2026-03-31 (AS_OF): the 12-month window is then
(2025-03-31, 2026-03-31] — 2025-03-31 itself is out, 2025-04-01 and 2026-03-31 are in. The CLI
look-ups run against that warehouse; then a copy of it is rebuilt as of 2025-12-31 (EARLIER), so
that the query log is seen to survive a rebuild and the tiers to move with the as-of date.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import jinja2
import pytest

from creditwh.cli import main
from creditwh.codes import make_uscc
from creditwh.report import os_user
from creditwh.warehouse.settings import REPO_ROOT

from .helpers import (
    CREDIT_LIST_HEADER, JINAN_SCJGJ, LEGAL_REP_ID, LIST_LEGAL_REP_ID, PENALTY_SEVERITY_HEADER, PERSON_ID,
    REGISTRY_HEADER, REPAIR_HEADER, ZIBO_HBJ, credit_list_row, gate_failures, license_record, penalty_case, query,
    repair_row, run, write_csv, write_records,
)

AS_OF = "2026-03-31"
EARLIER = "2025-12-31"
ZIBO = ("淄博市生态环境局", ZIBO_HBJ)


def entity(n: int, region: str = "370102") -> str:
    return make_uscc("9", "1", region, f"MA3P{n:04d}")


LISTED_D = entity(1)  # 严重失信主体名单, and every lesser rule too
PENALTY_D = entity(2)  # a publishing 严重 penalty, and a breach
WATCH_C = entity(3)  # 重点关注名单 and a publishing 一般 penalty
PENALTY_C = entity(4)  # two publishing 一般 penalties
BREACH_C = entity(5)  # a breach on 2025-04-01: the first day of the window
BREACH_OLD_A = entity(6)  # a breach on 2025-03-31: exactly 12 months before as-of, out
EDGE_IN_B = entity(7)  # a 轻微 penalty on 2025-04-01
EDGE_OUT_A = entity(8)  # a 轻微 penalty on 2025-03-31
AS_OF_B = entity(9)  # a 轻微 penalty on the as-of day; a 一般 one decided the day after
REVOKED_A = entity(10)  # a revoked penalty counts for nothing
REPAIRED_B = entity(11)  # a repaired 一般 penalty: not C any more, still B
FUTURE_LIST_A = entity(12, "370103")  # not registered; its only designation starts after as-of
UNREGISTERED_C = entity(13, "370104")  # not registered; a licence under an old name, a penalty under the new
NO_RECORDS_A = entity(14)  # registered, no record at all
HONOR_A = entity(15)  # 守信激励名单, and a 重点关注 designation since removed
SHOP_A = make_uscc("9", "2", "370102", "MA3P0016")  # a registered 个体工商户: its 经营者, not a 法定代表人
UNKNOWN = entity(99)  # valid, but nowhere in the warehouse


def doc(n: int) -> str:
    return f"济市监罚〔2025〕{n}号"


def designation(n: int) -> str:
    return f"淄环信〔2025〕{n}号"


NAMES = {
    LISTED_D: "济南严信建材有限公司", PENALTY_D: "济南重罚化工有限公司", WATCH_C: "济南关注物流有限公司",
    PENALTY_C: "济南一般餐饮有限公司", BREACH_C: "济南违诺科技有限公司", BREACH_OLD_A: "济南守约食品有限公司",
    EDGE_IN_B: "济南边界内贸易有限公司", EDGE_OUT_A: "济南边界外贸易有限公司", AS_OF_B: "济南当日商贸有限公司",
    REVOKED_A: "济南撤销印刷有限公司", REPAIRED_B: "济南修复环保有限公司", NO_RECORDS_A: "济南清白服务有限公司",
    HONOR_A: "济南守信电子有限公司", SHOP_A: "历下区刘记小吃店",
    # not registered
    FUTURE_LIST_A: "济南将列入有限公司", UNREGISTERED_C: "济南未登记新名有限公司",
}
REGISTERED = [code for code in NAMES if code not in (FUTURE_LIST_A, UNREGISTERED_C)]
REGISTRY = [
    ["济南市市场监督管理局", JINAN_SCJGJ, "2025-07-01", code, NAMES[code], "个体工商户" if code == SHOP_A else "企业",
     "王建国" if code == LISTED_D else "刘强", LEGAL_REP_ID if code == LISTED_D else "", "2015-03-02", "存续"]
    for code in REGISTERED
]


def company(code: str) -> dict:
    """credit_list_row() / penalty_case() / repair_row() keywords naming the subject."""
    return {"uscc": code, "name": NAMES[code]}


SERIOUS = "责令停产停业;罚款"  # derived 严重
MINOR = "警告"  # derived 轻微: never published, still a penalty

PENALTIES = [
    penalty_case(doc(301), "2025-08-01", categories=SERIOUS, **company(LISTED_D)),
    penalty_case(doc(302), "2025-11-01", **company(LISTED_D)),
    penalty_case(doc(303), "2025-06-01", categories=SERIOUS, **company(PENALTY_D)),
    penalty_case(doc(304), "2025-09-01", **company(WATCH_C)),
    penalty_case(doc(305), "2025-09-01", **company(PENALTY_C)),
    penalty_case(doc(306), "2025-12-01", **company(PENALTY_C)),  # the more recent one is named
    penalty_case(doc(307), "2025-04-01", categories=MINOR, **company(EDGE_IN_B)),
    penalty_case(doc(308), "2025-03-31", categories=MINOR, **company(EDGE_OUT_A)),
    penalty_case(doc(309), "2026-03-31", categories=MINOR, **company(AS_OF_B)),
    penalty_case(doc(310), "2026-04-01", **company(AS_OF_B)),  # decided after as-of: does not count
    penalty_case(doc(311), "2025-09-01", record_status="撤销", **company(REVOKED_A)),
    penalty_case(doc(312), "2025-10-01", **company(REPAIRED_B)),
    penalty_case(doc(313), "2025-11-20", **company(UNREGISTERED_C)),
    # a natural person: never keyed, never profiled, never in a report
    penalty_case(doc(314), "2025-09-01", uscc="", subject_type="自然人", person_id=PERSON_ID, name="张三丰"),
]

DESIGNATIONS = [
    credit_list_row(designation(1), "2025-10-09", **company(LISTED_D), legal_rep="孙丽娟",
                    legal_rep_id=LIST_LEGAL_REP_ID),
    credit_list_row(designation(2), "2025-10-10", list_type="重点关注名单", **company(LISTED_D)),
    credit_list_row(designation(3), "2025-10-10", list_type="重点关注名单", **company(WATCH_C)),
    credit_list_row(designation(4), "2026-04-10", **company(FUTURE_LIST_A)),
    credit_list_row(designation(5), "2025-10-15", list_type="守信激励名单", **company(HONOR_A)),
    credit_list_row(designation(6), "2025-10-15", list_type="重点关注名单", **company(HONOR_A),
                    removed="2025-12-20"),
    credit_list_row("(2025)鲁03执9001号", "2025-10-20", subject_type="自然人", name="张三丰", person_id=PERSON_ID,
                    dept=("淄博市中级人民法院", make_uscc("1", "1", "370300", "00512345"))),
]

REPAIRS = [
    repair_row("终止公示行政处罚信息", doc(312), JINAN_SCJGJ, "2026-01-15", **company(REPAIRED_B)),
    repair_row("移出严重失信主体名单", designation(1), ZIBO_HBJ, "2026-01-20", result="不同意",
               **company(LISTED_D)),
]


def commitment(code: str, matter: str, status: str = "履约中", breach: str = "") -> dict:
    return {
        "数据来源单位": "济南市市场监督管理局", "数据来源单位统一社会信用代码": JINAN_SCJGJ,
        "报送时间": f"{breach or '2025-01-10'} 15:00", "承诺主体名称": NAMES[code], "主体类别": "法人及非法人组织",
        "统一社会信用代码": code, "承诺类型": "审批告知承诺", "承诺事项": matter, "承诺日期": "2025-01-10",
        "承诺受理单位": "济南市市场监督管理局", "承诺受理单位统一社会信用代码": JINAN_SCJGJ, "履约状态": status,
        "违诺认定日期": breach,
    }


COMMITMENTS = [
    commitment(LISTED_D, "食品经营许可告知承诺"),
    commitment(PENALTY_D, "危险化学品经营许可告知承诺", "违诺", "2025-12-01"),
    commitment(BREACH_C, "食品经营许可告知承诺", "违诺", "2025-04-01"),
    commitment(BREACH_OLD_A, "食品经营许可告知承诺", "违诺", "2025-03-31"),
]

LICENCES = [
    license_record("济市监准字〔2025〕1号", decided="2025-06-01", submitted="2025-06-02 09:00", 统一社会信用代码=LISTED_D,
                   行政相对人名称=NAMES[LISTED_D]),
    license_record("济市监准字〔2026〕2号", decided="2026-01-05", submitted="2026-01-06 09:00", 统一社会信用代码=LISTED_D,
                   行政相对人名称=NAMES[LISTED_D]),
    # known only from records: the later record's name wins
    license_record("济市监准字〔2025〕3号", decided="2025-06-01", submitted="2025-06-02 09:00",
                   统一社会信用代码=UNREGISTERED_C, 行政相对人名称="济南未登记旧名有限公司"),
]


def objection(number: str, code: str, category: str, doc_no: str, authority: str, accepted: str,
              outcome: str = "", resolved: str = "") -> dict:
    """An objection (异议) by the entity ``code``, handled by 济南市市场监督管理局."""
    return {
        "数据来源单位": "济南市市场监督管理局", "数据来源单位统一社会信用代码": JINAN_SCJGJ,
        "报送时间": f"{resolved or accepted} 17:00", "异议编号": number, "异议主体名称": NAMES[code],
        "主体类别": "法人及非法人组织", "统一社会信用代码": code, "异议信息类别": category, "关联文书号": doc_no,
        "关联机关统一社会信用代码": authority, "异议理由": "认为记录有误", "受理日期": accepted, "处理结果": outcome,
        "办结日期": resolved, "处理单位": "济南市市场监督管理局", "处理单位统一社会信用代码": JINAN_SCJGJ,
    }


OBJECTIONS = [  # none 删除: the tiers above stay as they are
    objection("YY2026001", LISTED_D, "行政处罚", doc(301), JINAN_SCJGJ, "2026-03-16"),  # open on the as-of date
    objection("YY2026002", LISTED_D, "行政许可", "济市监准字〔2025〕1号", JINAN_SCJGJ, "2026-01-05", "维持", "2026-01-12"),
    objection("YY2026003", LISTED_D, "行政处罚", doc(399), JINAN_SCJGJ, "2026-02-02", "维持", "2026-03-02"),  # no such penalty
    objection("YY2026004", LISTED_D, "失信名单", designation(1), ZIBO_HBJ, "2026-03-25"),  # open
]


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    write_csv(raw / "registry" / "2025-07.csv", REGISTRY_HEADER, REGISTRY)
    write_csv(raw / "penalty" / "2026-04_jinan.csv", PENALTY_SEVERITY_HEADER, PENALTIES)
    write_csv(raw / "credit_list" / "2026-04_zibo.csv", CREDIT_LIST_HEADER, DESIGNATIONS)
    write_csv(raw / "repair" / "2026-01_jinan.csv", REPAIR_HEADER, REPAIRS)
    write_records(raw / "commitment" / "2025-12_jinan.csv", COMMITMENTS)
    write_records(raw / "license" / "2026-01_jinan.csv", LICENCES)
    write_records(raw / "objection" / "2026-03_jinan.csv", OBJECTIONS)
    return raw


@pytest.fixture(scope="module")
def built(raw, tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:
        return run(raw, tmp_path_factory.mktemp("wh-profile"), monkeypatch, as_of=AS_OF)


@pytest.fixture(scope="module")
def wh(built) -> Path:
    return built[1]


def profile(warehouse: Path, code: str, columns: str = "credit_tier, tier_reason") -> tuple:
    rows = query(warehouse, f"select {columns} from marts.mart_entity_credit_profile where entity_code = '{code}'")
    assert len(rows) == 1, (code, rows)
    return rows[0]


# --- gates -------------------------------------------------------------------------------------


def test_the_run_passes_every_gate(built):
    report, _ = built
    assert report.ok, (report.steps_failed, report.checks_failed)
    for check in ("marts/dim_entity:gx_dim_entity",
                  "marts/mart_entity_credit_profile:gx_mart_entity_credit_profile"):
        assert check in report.checks_passed


# --- who has a profile -----------------------------------------------------------------------------


def test_every_registered_or_keyed_entity_has_one_profile_and_no_person_has_one(wh):
    codes = [r[0] for r in query(wh, "select entity_code from marts.mart_entity_credit_profile")]
    assert len(codes) == len(set(codes))
    assert set(codes) == set(NAMES)
    assert {r[0] for r in query(wh, "select entity_code from marts.dim_entity")} == set(REGISTERED)
    assert query(wh, "select count(*) from marts.mart_entity_credit_profile where entity_name like '%张三丰%'") == [(0,)]


def test_dim_entity_has_the_contract_columns_and_masks_the_legal_representative(wh):
    row = query(wh, f"""select entity_code, entity_name, entity_type, region_code, registration_status, established_date,
                               legal_rep_name_masked, legal_rep_id_masked
                        from marts.dim_entity where entity_code = '{LISTED_D}'""")
    assert row == [(LISTED_D, "济南严信建材有限公司", "企业", "370102", "存续", date(2015, 3, 2), "王**",
                    LEGAL_REP_ID[:6] + "*" * 8 + LEGAL_REP_ID[-4:])]


def test_an_entity_known_only_from_records_takes_the_latest_records_name(wh):
    assert profile(wh, UNREGISTERED_C, "entity_name, region_code, in_registry, credit_tier, licenses_total") == (
        "济南未登记新名有限公司", "370104", False, "C", 1)


# --- tiers: each rule, and their order ----------------------------------------------------------------

TIERS = {
    LISTED_D: ("D", f"D: 严重失信主体名单 {designation(1)}"),
    PENALTY_D: ("D", f"D: 严重失信行政处罚（公示中） {doc(303)}"),
    WATCH_C: ("C", f"C: 重点关注名单 {designation(3)}"),
    PENALTY_C: ("C", f"C: 一般失信行政处罚（公示中） {doc(306)}"),
    BREACH_C: ("C", "C: 信用承诺违诺（12个月内） 审批告知承诺「食品经营许可告知承诺」违诺认定 2025-04-01"),
    EDGE_IN_B: ("B", f"B: 行政处罚（12个月内） {doc(307)}"),
    AS_OF_B: ("B", f"B: 行政处罚（12个月内） {doc(309)}"),
    REPAIRED_B: ("B", f"B: 行政处罚（12个月内） {doc(312)}"),
    BREACH_OLD_A: ("A", "A: 未命中失信规则"),
    EDGE_OUT_A: ("A", "A: 未命中失信规则"),
    REVOKED_A: ("A", "A: 未命中失信规则"),
    FUTURE_LIST_A: ("A", "A: 未命中失信规则"),
    NO_RECORDS_A: ("A", "A: 未命中失信规则"),
    HONOR_A: ("A", "A: 未命中失信规则"),
    UNREGISTERED_C: ("C", f"C: 一般失信行政处罚（公示中） {doc(313)}"),
}


@pytest.mark.parametrize("code", list(TIERS))
def test_each_entity_gets_the_tier_and_reason_of_its_first_matching_rule(wh, code):
    assert profile(wh, code) == TIERS[code]


def test_the_first_rule_wins_and_every_matching_rule_is_kept_as_evidence(wh):
    evidence = query(wh, f"""select rule_code, record_label, is_decisive from marts.fct_credit_tier_evidence
                             where entity_code = '{LISTED_D}' order by rule_order, record_label""")
    assert evidence == [
        ("serious_list", designation(1), True),
        ("serious_penalty", doc(301), False),
        ("watch_list", designation(2), False),
        ("general_penalty", doc(302), False),
        ("recent_penalty", doc(301), False),
        ("recent_penalty", doc(302), False),
    ]
    # a 严重 penalty (D) outranks a breach (C)
    assert [r[0] for r in query(wh, f"""select rule_code from marts.fct_credit_tier_evidence
                                         where entity_code = '{PENALTY_D}' order by rule_order""")] == [
        "serious_penalty", "commitment_breach", "recent_penalty"]


def test_the_reason_points_at_the_record_and_the_ratio_is_the_tiers(wh):
    assert profile(wh, LISTED_D, "tier_rule_code, tier_record_table, tier_record_key, sampling_ratio") == (
        "serious_list", "marts.fct_credit_list_membership", f"{ZIBO_HBJ}|{designation(1)}", 0.2)
    assert profile(wh, NO_RECORDS_A, "tier_rule_code, tier_record_key, sampling_ratio") == ("otherwise", None, 0.0)
    ratios = dict(query(wh, "select tier, sampling_ratio from reference.credit_tiers"))
    for tier, ratio in query(wh, "select credit_tier, sampling_ratio from marts.mart_entity_credit_profile"):
        assert ratio == ratios[tier]


def test_twelve_month_window_edges(wh):
    # as of 2026-03-31 the window is (2025-03-31, 2026-03-31]
    assert profile(wh, EDGE_IN_B)[0] == "B"  # decided 2025-04-01
    assert profile(wh, EDGE_OUT_A)[0] == "A"  # decided 2025-03-31, exactly 12 months before
    assert profile(wh, AS_OF_B)[0] == "B"  # decided on the as-of day
    assert profile(wh, BREACH_C)[0] == "C"  # breach 2025-04-01
    assert profile(wh, BREACH_OLD_A)[0] == "A"  # breach 2025-03-31


def test_what_does_not_count(wh):
    # a 一般 penalty decided the day after as-of is in the mart (publishing), but not in the tier
    assert query(wh, f"select publication_status from marts.fct_penalty_publication where doc_no = '{doc(310)}'") == [
        ("publishing",)]
    assert profile(wh, AS_OF_B, "credit_tier, penalties_total, penalties_publishing") == ("B", 2, 1)
    # a designation dated after as-of is not in force: no D, though the entity is known
    assert profile(wh, FUTURE_LIST_A, "credit_tier, on_serious_list, in_registry, last_event_date") == (
        "A", False, False, None)
    # revoked counts for nothing; repaired stops C but is still a penalty of the last 12 months
    assert profile(wh, REVOKED_A, "credit_tier, penalties_total, penalties_publishing") == ("A", 1, 0)
    assert profile(wh, REPAIRED_B, "credit_tier, penalties_publishing, repairs_total") == ("B", 0, 1)
    # 守信激励 does not raise or lower a tier; a removed 重点关注 designation no longer counts
    assert profile(wh, HONOR_A, "credit_tier, on_honor_list, on_watch_list") == ("A", True, False)


def test_counts_and_last_event(wh):
    assert profile(wh, LISTED_D, """licenses_total, penalties_total, penalties_publishing, on_serious_list,
                                    on_watch_list, on_honor_list, commitments_total, commitment_breaches,
                                    repairs_total, last_event_date""") == (
        2, 2, 2, True, True, False, 1, 0, 1, date(2026, 1, 20))  # the refused repair, 2026-01-20
    assert profile(wh, PENALTY_D, "commitments_total, commitment_breaches, last_event_date") == (
        1, 1, date(2025, 12, 1))
    assert profile(wh, NO_RECORDS_A, """licenses_total, penalties_total, commitments_total, repairs_total,
                                        last_event_date""") == (0, 0, 0, 0, None)


# --- the gates refuse what must not pass ---------------------------------------------------------------


def test_profile_gate_refuses_a_reason_without_its_record(wh):
    failed = gate_failures(wh, "marts.mart_entity_credit_profile", f"""
        update marts.mart_entity_credit_profile set tier_record_key = 'no such record'
        where entity_code = '{PENALTY_C}'""")
    assert any("names an existing record" in d for d in failed)
    failed = gate_failures(wh, "marts.mart_entity_credit_profile", f"""
        update marts.mart_entity_credit_profile set tier_reason = 'C: 一般失信行政处罚（公示中） 济市监罚〔2025〕999号'
        where entity_code = '{PENALTY_C}'""")
    assert any("names an existing record" in d for d in failed)


def test_profile_gate_refuses_a_tier_that_is_not_the_first_matching_rule(wh):
    failed = gate_failures(wh, "marts.mart_entity_credit_profile", f"""
        update marts.mart_entity_credit_profile
        set credit_tier = 'C', tier_rule_order = 3, tier_rule_code = 'watch_list', sampling_ratio = 0.05,
            tier_reason = 'C: 重点关注名单 {designation(2)}', tier_record_key = '{ZIBO_HBJ}|{designation(2)}'
        where entity_code = '{LISTED_D}'""")
    assert failed == ["the tier is the first matching rule: no evidence of an earlier rule for the entity"]


def test_profile_gate_refuses_duplicates_missing_entities_and_unknown_tiers(wh):
    failed = gate_failures(wh, "marts.mart_entity_credit_profile", f"""
        insert into marts.mart_entity_credit_profile
        select * from marts.mart_entity_credit_profile where entity_code = '{NO_RECORDS_A}'""")
    assert "one profile row per entity" in failed
    failed = gate_failures(wh, "marts.mart_entity_credit_profile", f"""
        delete from marts.mart_entity_credit_profile where entity_code = '{UNREGISTERED_C}'""")
    assert any("every entity known to the warehouse has a profile" in d for d in failed)
    failed = gate_failures(wh, "marts.mart_entity_credit_profile", f"""
        update marts.mart_entity_credit_profile set credit_tier = 'E' where entity_code = '{NO_RECORDS_A}'""")
    assert "credit_tier in A–D" in failed


# --- the CLI: reports, profiles and the query log --------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.parts)


def cli(warehouse: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("CREDIT_WAREHOUSE", str(warehouse))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exc:  # argparse
                code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def lookups(wh, tmp_path_factory) -> dict:
    """Every look-up the tests below inspect, run once against the AS_OF warehouse."""
    out = tmp_path_factory.mktemp("reports")
    purpose = "行政许可审查"
    calls = {
        "internal": ["report", LISTED_D, "--out", str(out / "internal.html"), "--operator", "张科员",
                     "--purpose", purpose],
        "public": ["report", LISTED_D, "--public", "--out", str(out / "public.html"), "--operator", "张科员",
                   "--purpose", "信用网站公开查询"],
        "no_records": ["report", NO_RECORDS_A, "--out", str(out / "no_records.html"), "--operator", "李科员",
                       "--purpose", "财政资金申报审核"],
        "profile": ["profile", f" {WATCH_C.lower()} ", "--purpose", "双随机抽查"],  # typed loosely, default operator
        "unknown": ["report", UNKNOWN, "--out", str(out / "unknown.html"), "--purpose", purpose],
        "shop": ["report", SHOP_A, "--out", str(out / "shop.html"), "--operator", "李科员", "--purpose", purpose],
        "invalid": ["profile", LISTED_D[:-1] + ("0" if LISTED_D[-1] != "0" else "1"), "--purpose", purpose],
        "person": ["profile", PERSON_ID, "--purpose", purpose],
        "no_purpose": ["profile", LISTED_D],
        "empty_purpose": ["profile", LISTED_D, "--purpose", "  "],
        # a 双随机 draw, logged in audit.sample_log, which a rebuild keeps too
        "sample": ["sample", "--region", "370100", "--seed", "11", "--purpose", "双随机抽查", "--operator", "张科员",
                   "--out", str(out / "sample.csv")],
    }
    results = {name: cli(wh, *argv) for name, argv in calls.items()}
    numbers = {name: report_no(out / f"{name}.html") for name in ("internal", "public", "unknown")}
    tampered = numbers["internal"][:-1] + ("X" if numbers["internal"][-1] != "X" else "Y")
    # verifying is not a look-up of an entity: none of these is logged
    verifications = {
        **{name: cli(wh, "report", "--verify", number) for name, number in numbers.items()},
        "typed_loosely": cli(wh, "report", "--verify", f" {numbers['public'].lower()} "),
        "tampered": cli(wh, "report", "--verify", tampered),
        "malformed": cli(wh, "report", "--verify", "CR-2026-123"),
    }
    return {"out": out, "results": results, "numbers": numbers, "verifications": verifications}


def report_no(path: Path) -> str:
    """The number printed on a report (报告编号 CR-YYYYMMDD-XXXXXXXX)."""
    numbers = set(re.findall(r"CR-\d{8}-[0-9A-Z]{8}", path.read_text(encoding="utf-8")))
    assert len(numbers) == 1, numbers
    return numbers.pop()


def test_report_and_profile_exit_codes_and_messages(lookups):
    results = lookups["results"]
    for name in ("internal", "public", "no_records", "profile"):
        assert results[name][0] == 0, results[name]
    code, out, err = results["unknown"]  # exit 1: scripts can tell; the no-record report is written all the same
    assert code == 1 and "没有统一社会信用代码为" in err and "已登记" in err and "未查询到相关信用记录" in err
    assert (lookups["out"] / "unknown.html").exists() and lookups["numbers"]["unknown"] in out
    code, _, err = results["invalid"]
    assert code == 2 and "不是有效的统一社会信用代码" in err and "校验位" in err
    code, _, err = results["person"]
    assert code == 2 and "居民身份号码" in err and PERSON_ID not in err
    assert results["no_purpose"][0] == 2 and "--purpose" in results["no_purpose"][2]
    assert results["empty_purpose"][0] == 2 and "查询用途" in results["empty_purpose"][2]


def test_profile_prints_tier_reason_and_counts(lookups):
    _, out, _ = lookups["results"]["profile"]
    lines = dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)
    assert lines["统一社会信用代码"] == WATCH_C
    assert lines["信用等级"] == "C 一般失信（截至 2026-03-31）"
    assert lines["分级依据"] == f"C: 重点关注名单 {designation(3)}"
    assert lines["监管措施"].endswith("（抽查比例 5%）")
    assert lines["行政处罚"] == "1（公示中 1）"


def test_internal_report_has_every_section_and_only_masked_personal_data(lookups):
    page = (lookups["out"] / "internal.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "@media print" in page and "<script" not in page
    text = html_text(lookups["out"] / "internal.html")
    for heading in ("基本信息", "行政许可", "行政处罚", "名单", "信用承诺", "信用修复", "信用等级及依据"):
        assert heading in text
    assert f"D: 严重失信主体名单 {designation(1)}" in text
    assert "王**" in text and "孙**" in text  # legal representatives, masked
    assert LIST_LEGAL_REP_ID[:6] + "*" * 8 + LIST_LEGAL_REP_ID[-4:] in text
    for plaintext in ("王建国", "孙丽娟", "张三丰", LEGAL_REP_ID, LIST_LEGAL_REP_ID, PERSON_ID):
        assert plaintext not in page
    assert "查询人" in text and "张科员" in text and "行政许可审查" in text


def test_public_report_leaks_nothing_the_public_schema_may_not_show(lookups, wh):
    page = (lookups["out"] / "public.html").read_text(encoding="utf-8")
    text = html_text(lookups["out"] / "public.html")
    assert "公开版" in text
    # only the publishing penalties of public.penalty_disclosures
    published = {r[0] for r in query(wh, f"select doc_no from public.penalty_disclosures where entity_code = '{LISTED_D}'")}
    assert published == {doc(301), doc(302)}
    assert all(d in text for d in published)
    # no identity number, no masked identity number, no person's name plain or masked, no legal representative
    for forbidden in (LEGAL_REP_ID, LIST_LEGAL_REP_ID, PERSON_ID, "王建国", "孙丽娟", "张三丰", "法定代表人", "惩戒到人"):
        assert forbidden not in page
    assert not re.search(r"[0-9]{6}\*{4,}", page)  # a masked identity number
    assert not re.search(r"[\u4e00-\u9fff]\*+", page)  # a masked name (王**)
    # nor the watch list, tiers or repairs (internal only)
    for internal in (designation(2), "D 严重失信", "D: ", "提高抽查比例和频次", "张科员", "信用网站公开查询"):
        assert internal not in text


def test_public_report_shows_the_published_licences_and_designations(lookups, wh):
    text = html_text(lookups["out"] / "public.html")
    licences = {r[0] for r in query(wh, f"select doc_no from public.license_disclosures where entity_code = '{LISTED_D}'")}
    assert licences == {"济市监准字〔2025〕1号", "济市监准字〔2026〕2号"}
    assert all(doc_no in text for doc_no in licences) and "长期" in text
    assert query(wh, f"select list_type, designation_doc_no from public.credit_list_disclosures "
                     f"where entity_code = '{LISTED_D}'") == [("严重失信主体名单", designation(1))]
    assert f"严重失信主体名单 {designation(1)}" in text
    assert "重点关注名单不对外公示" in text  # what is published at all, said once
    # the designation under an open objection (YY2026004) is marked, and the mark explained; the licences are not
    assert re.search(rf"严重失信主体名单 {designation(1)} .{{0,300}}异议处理中", text)
    assert re.search(rf"{re.escape(doc(301))} .{{0,300}}异议处理中", text)  # the penalty under YY2026001
    assert "信用主体已提出异议" in text
    assert not re.search(r"济市监准字〔202[56]〕[12]号 .{0,200}异议处理中", text)


def test_report_for_an_entity_without_records_renders(lookups):
    text = html_text(lookups["out"] / "no_records.html")
    assert "济南清白服务有限公司" in text and NO_RECORDS_A in text
    assert "A: 未命中失信规则" in text
    for empty in ("无行政许可记录", "无行政处罚记录", "无信用承诺记录", "无信用修复记录"):
        assert empty in text


def test_a_label_changed_in_the_seed_shows_in_the_report(wh, tmp_path, monkeypatch):
    """Code labels are said once, in seeds/code_labels.csv: a designation dated after the as-of date
    (marts.mart_entity_credit_list_designations: not_yet_in_force) reads as the seed labels it."""
    from creditwh import labels
    from creditwh.report import load_entity_report, render_html

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("code_labels.csv", "defect_codes.csv"):
        shutil.copyfile(labels.SEEDS_DIR / name, seeds / name)
    code_labels = seeds / "code_labels.csv"
    original = code_labels.read_text(encoding="utf-8")
    assert "list_status,not_yet_in_force,尚未生效\n" in original
    code_labels.write_text(original.replace("list_status,not_yet_in_force,尚未生效", "list_status,not_yet_in_force,待生效"),
                           encoding="utf-8")
    monkeypatch.setattr(labels, "SEEDS_DIR", seeds)
    with duckdb.connect(str(wh), read_only=True) as con:
        page = render_html(load_entity_report(con, FUTURE_LIST_A))
    assert designation(4) in page
    assert "<td>待生效</td>" in page and "尚未生效" not in page


def test_every_lookup_is_logged_with_operator_and_purpose(lookups, wh):
    rows = query(wh, """select command, entity_code, entity_found, operator, purpose, is_public, out_file is not null,
                               warehouse_as_of, logged_at is not null
                        from audit.query_log order by logged_at""")
    as_of = date(2026, 3, 31)
    assert rows == [
        ("report", LISTED_D, True, "张科员", "行政许可审查", False, True, as_of, True),
        ("report", LISTED_D, True, "张科员", "信用网站公开查询", True, True, as_of, True),
        ("report", NO_RECORDS_A, True, "李科员", "财政资金申报审核", False, True, as_of, True),
        ("profile", WATCH_C, True, os_user(), "双随机抽查", False, False, as_of, True),
        ("report", UNKNOWN, False, os_user(), "行政许可审查", False, True, as_of, True),  # its no-record report
        ("report", SHOP_A, True, "李科员", "行政许可审查", False, True, as_of, True),
    ]  # invalid codes (and a person's identity number) are refused before anything is looked up: not logged


def test_internal_report_shows_the_entitys_objections_and_marks_the_record_under_objection(lookups):
    text = html_text(lookups["out"] / "internal.html")
    assert "异议处理" in text
    # open since 2026-03-16: 11 working days by 2026-03-31, past the 10 of objection_deadline_working_days
    assert re.search(r"YY2026001 行政处罚，济南市市场监督管理局 2025年8月1日 决定（济市监罚〔2025〕301号[^）]*） "
                     r"2026-03-16 济南市市场监督管理局 处理中 — — 11 是", text), text
    assert re.search(r"YY2026002 行政许可，济南市市场监督管理局 2025年6月1日 决定（济市监准字〔2025〕1号，准予许可决定书） "
                     r"2026-01-05 济南市市场监督管理局 已办结 维持 2026-01-12 5 否", text)
    assert "行政处罚（济市监罚〔2025〕399号；数据仓库中未找到此记录）" in text
    assert re.search(r"济市监罚〔2025〕301号 .{0,200}公示中 \S+ 异议处理中", text)  # the penalty itself, marked
    assert re.search(rf"严重失信主体名单 {designation(1)} .{{0,200}}有效 异议处理中", text)  # the designation, marked
    assert text.count("异议处理中") == 2  # the licence's objection is resolved: not marked
    assert "无异议申请记录" in html_text(lookups["out"] / "no_records.html")


# --- report numbers (报告编号), the no-record report, records as sentences ----------------------------------


def fields(out: str) -> dict[str, str]:
    """The tab-separated label/value lines a command printed."""
    return dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)


def test_every_report_carries_a_number_logged_with_its_entity_version_as_of_and_digest(lookups, wh):
    numbers = lookups["numbers"]
    assert len(set(numbers.values())) == 3
    for name, number in numbers.items():
        assert re.fullmatch(r"CR-\d{8}-[0-9A-HJKMNP-TV-Z]{8}", number)
        assert number in lookups["results"][name][1]  # said on the terminal too
    logged = {r[0]: r[1:] for r in query(wh, """select report_no, entity_code, is_public, warehouse_as_of,
                                                       length(content_sha256)
                                                from audit.query_log where report_no is not null""")}
    as_of = date(2026, 3, 31)
    assert logged[numbers["internal"]] == (LISTED_D, False, as_of, 64)
    assert logged[numbers["public"]] == (LISTED_D, True, as_of, 64)
    assert logged[numbers["unknown"]] == (UNKNOWN, False, as_of, 64)
    assert len(logged) == 5  # every report written; a profile is printed, not issued
    assert query(wh, "select count(*) from audit.query_log where command = 'profile' and report_no is not null") == [
        (0,)]


def test_verify_confirms_an_issued_report_and_that_the_warehouse_still_says_the_same(lookups):
    numbers, verified = lookups["numbers"], lookups["verifications"]
    code, out, _ = verified["internal"]
    assert code == 0 and f"报告编号 {numbers['internal']}：已出具" in out
    lines = fields(out)
    assert lines["出具时间"].startswith(f"{numbers['internal'][3:7]}-{numbers['internal'][7:9]}-")
    assert (lines["主体"], lines["版本"], lines["数据截至"], lines["查询结果"]) == (
        f"{LISTED_D}（济南严信建材有限公司）", "内部版", "2026-03-31", "有信用档案")
    assert lines["内容核对"].startswith("一致")
    code, out, _ = verified["public"]
    assert code == 0 and fields(out)["版本"] == "公开版" and fields(out)["内容核对"].startswith("一致")
    code, out, _ = verified["typed_loosely"]  # lower case, blanks around
    assert code == 0 and f"报告编号 {numbers['public']}：已出具" in out
    code, out, _ = verified["unknown"]
    assert code == 0 and fields(out)["查询结果"] == "未查询到相关信用记录" and fields(out)["主体"] == UNKNOWN
    assert fields(out)["内容核对"].startswith("一致")


def test_a_tampered_or_malformed_number_is_not_issued(lookups):
    code, out, _ = lookups["verifications"]["tampered"]
    assert code == 1 and "未查到出具登记" in out and "已出具" not in out
    code, out, _ = lookups["verifications"]["malformed"]
    assert code == 1 and "格式不符" in out


def test_verify_says_when_the_warehouse_no_longer_gives_the_same_content(lookups, wh, tmp_path):
    corrected = tmp_path / "wh" / "credit.duckdb"
    corrected.parent.mkdir()
    shutil.copyfile(wh, corrected)
    with duckdb.connect(str(corrected)) as con:
        con.execute(f"update marts.mart_entity_penalties set penalty_content = '已更正' where entity_code = '{LISTED_D}'")
    code, out, _ = cli(corrected, "report", "--verify", lookups["numbers"]["internal"])
    assert code == 0 and fields(out)["内容核对"].startswith("不一致")
    code, out, _ = cli(corrected, "report", "--verify", lookups["numbers"]["public"])  # reads only public
    assert code == 0 and fields(out)["内容核对"].startswith("一致")


def test_an_unknown_entity_gets_a_printable_no_record_report(lookups):
    path = lookups["out"] / "unknown.html"
    text = html_text(path)
    for said in ("未查询到相关信用记录", UNKNOWN, "2026-03-31", lookups["numbers"]["unknown"], "行政许可审查", "@media print"):
        assert said in text or said in path.read_text(encoding="utf-8")


def test_a_sole_proprietorship_names_its_operator_not_a_legal_representative(lookups):
    text = html_text(lookups["out"] / "shop.html")
    assert "经营者（脱敏）" in text and "经营者证件号码（脱敏）" in text and "刘*" in text
    assert "法定代表人" not in text
    assert "法定代表人（脱敏）" in html_text(lookups["out"] / "internal.html")  # a company's stays


def test_records_read_as_sentences_and_no_report_shows_a_table_or_key(lookups):
    internal = html_text(lookups["out"] / "internal.html")
    assert "严重失信主体名单，淄博市生态环境局 2025年10月9日 列入（淄环信〔2025〕1号）" in internal
    assert "行政处罚，济南市市场监督管理局 2025年8月1日 决定（济市监罚〔2025〕301号，失信程度严重，公示中）" in internal
    assert fields(lookups["results"]["profile"][1])["依据记录"] == (
        "重点关注名单，淄博市生态环境局 2025年10月10日 列入（淄环信〔2025〕3号）")
    pages = {path.name: path.read_text(encoding="utf-8") for path in lookups["out"].glob("*.html")}
    assert len(pages) == 5
    for name, page in pages.items():
        for key in ("record_key", "marts.", "public.", "intermediate.", "fct_", "mart_", "架构", "schema"):
            assert key not in page, (name, key)
    assert all(key not in lookups["results"]["profile"][1] for key in ("record_key", "marts.", "fct_"))


def test_a_locked_warehouse_gives_a_message_not_a_traceback(wh, lookups):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
                               "time.sleep(60)", str(wh)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        code, _, err = cli(wh, "profile", LISTED_D, "--purpose", "双随机抽查")
    finally:
        holder.kill()
        holder.wait()
    assert code == 2 and "正被另一个进程使用" in err and "Traceback" not in err


def test_the_command_line_entry_point_exits_2_on_an_invalid_code(wh):
    result = subprocess.run([sys.executable, "-m", "creditwh.cli", "report", "91370102MA3P000", "--out", "x.html",
                             "--purpose", "行政许可审查"],
                            env={**os.environ, "CREDIT_WAREHOUSE": str(wh)},
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "不是有效的统一社会信用代码" in result.stderr and "18 位" in result.stderr
    assert "Traceback" not in result.stderr


# --- a rebuild keeps the log; tiers move with the as-of date ----------------------------------------------


@pytest.fixture(scope="module")
def rebuilt(raw, wh, lookups, tmp_path_factory):
    """A copy of the AS_OF warehouse, query log included, rebuilt in place as of EARLIER."""
    tmp = tmp_path_factory.mktemp("wh-rebuilt")
    (tmp / "wh").mkdir()
    shutil.copyfile(wh, tmp / "wh" / "credit.duckdb")
    with pytest.MonkeyPatch.context() as monkeypatch:
        return run(raw, tmp, monkeypatch, as_of=EARLIER)


def test_a_rebuild_keeps_the_query_log(rebuilt, wh):
    report, warehouse = rebuilt
    assert report.ok, (report.steps_failed, report.checks_failed)
    sql = "select query_id, logged_at, operator, purpose, entity_code from audit.query_log order by query_id"
    assert query(warehouse, sql) == query(wh, sql)
    assert len(query(warehouse, sql)) == 6


def test_a_rebuild_keeps_the_sample_log(rebuilt, wh, lookups):
    _, warehouse = rebuilt
    assert lookups["results"]["sample"][0] == 0, lookups["results"]["sample"]
    sql = "select drawn_at, operator, purpose, seed, as_of, region_code, population_fingerprint, drawn from audit.sample_log"
    assert query(warehouse, sql) == query(wh, sql)
    assert [row[1:6] for row in query(warehouse, sql)] == [("张科员", "双随机抽查", 11, date(2026, 3, 31), "370100")]


def test_tiers_as_of_an_earlier_date(rebuilt):
    _, warehouse = rebuilt
    # as of 2025-12-31 the window is (2024-12-31, 2025-12-31]
    assert profile(warehouse, EDGE_OUT_A)[0] == "B"  # 2025-03-31 is inside now
    assert profile(warehouse, AS_OF_B)[0] == "A"  # both its penalties are decided later
    assert profile(warehouse, REPAIRED_B) == ("C", f"C: 一般失信行政处罚（公示中） {doc(312)}")  # repaired 2026-01-15
    assert profile(warehouse, BREACH_OLD_A)[0] == "C"
    assert profile(warehouse, LISTED_D)[0] == "D"


# --- rules are data -------------------------------------------------------------------------------------


def test_window_start_clamps_to_the_month_end():
    """(as-of − 12 months, as-of] as of 2024-02-29 starts after 2023-02-28 (no 29 February in 2023).
    The macro of dbt_project/macros/dates.sql, rendered as dbt would, evaluated by DuckDB."""
    macros = (REPO_ROOT / "dbt_project" / "macros" / "dates.sql").read_text(encoding="utf-8")
    window = jinja2.Environment().from_string(
        macros + "{{ in_months_up_to('d', 'months', \"DATE '2024-02-29'\") }}").render().strip()
    rows = duckdb.sql(f"""
        select strftime(d, '%Y-%m-%d'), {window}
        from (values (DATE '2023-02-28', 12), (DATE '2023-03-01', 12), (DATE '2024-02-29', 12), (DATE '2024-03-01', 12),
                     (DATE '2024-01-29', 1), (DATE '2024-01-30', 1)) as t(d, months)
        order by d""").fetchall()
    assert rows == [
        ("2023-02-28", False), ("2023-03-01", True), ("2024-01-29", False), ("2024-01-30", True),
        ("2024-02-29", True), ("2024-03-01", False)]
