"""`creditwh sample`, the 双随机 draw (rules.md, Supervision sampling), on a hand-made warehouse:
济南 (370100) holds 历下 (370102) and 市中 (370103); 淄博 (370300) is elsewhere.

Per tier, as of 2026-03-31, the registered (存续 / 在业) entities of 济南 are A 5, B 20, C 21, D 6, so the
draw takes ceil(0% × 5) = 0, ceil(5% × 20) = 1, ceil(5% × 21) = 2 (not 1: rounded up) and
ceil(20% × 6) = 2. Beside them sit entities that must never be drawn: 注销 and
吊销 ones in 济南, and 淄博's.
"""

from __future__ import annotations

import csv
import hashlib
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from creditwh.cli import main
from creditwh.codes import make_ric, make_uscc
from creditwh.sampling import TierRule, load_population

PERSON = make_ric("370102", date(1990, 3, 7), 123)
MASKED_PERSON = PERSON[:6] + "*" * 8 + PERSON[-4:]
REGIONS = [("370100", "济南市", "370100"), ("370100", "济南市", "370102"), ("370100", "济南市", "370103"),
           ("370102", "历下区", "370102"), ("370103", "市中区", "370103"), ("370300", "淄博市", "370300"),
           ("370300", "淄博市", "370302"), ("370302", "淄川区", "370302")]
NAMES_OF_REGIONS = {code: name for code, name, _ in REGIONS} | {"370302": "淄川区"}


def entity(n: int, region: str = "370102", registration: str = "9") -> str:
    return make_uscc(registration, "1", region, f"MA5P{n:04d}")


def _entities() -> list[tuple]:
    """(code, name, type, region, status, tier)."""
    rows = []
    for tier, count, first in (("A", 5, 0), ("B", 20, 100), ("C", 21, 200), ("D", 6, 300)):
        for n in range(first, first + count):
            region = "370102" if n % 2 else "370103"
            status = "在业" if n % 3 == 0 else "存续"
            rows.append((entity(n, region), f"济南抽查{n}有限公司", "企业", region, status, tier))
    rows += [
        (entity(400), "济南注销有限公司", "企业", "370102", "注销", "D"),
        (entity(401), "济南吊销有限公司", "企业", "370103", "吊销", "D"),
        (entity(402, "370302"), "淄博抽查有限公司", "企业", "370302", "存续", "D"),
        (entity(403, "370302"), "淄博在业有限公司", "企业", "370302", "在业", "C"),
    ]
    return rows


ENTITIES = _entities()
POPULATION = {code: tier for code, _, _, region, status, tier in ENTITIES
              if status in ("存续", "在业") and region in ("370102", "370103")}
NEVER_DRAWN = {entity(400), entity(401), entity(402, "370302"), entity(403, "370302")}


@pytest.fixture
def warehouse(tmp_path, monkeypatch) -> Path:
    """The three marts a draw reads, by hand; a legal representative beside each entity, never to be listed."""
    path = tmp_path / "wh" / "credit.duckdb"
    path.parent.mkdir()
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("""create table marts.dim_entity (entity_code varchar, entity_name varchar, entity_type varchar,
                       region_code varchar, region_name varchar, registration_status varchar,
                       legal_rep_name_masked varchar, legal_rep_id_masked varchar)""")
        con.executemany("insert into marts.dim_entity values (?, ?, ?, ?, ?, ?, '王**', ?)",
                        [(c, n, t, r, NAMES_OF_REGIONS[r], s, MASKED_PERSON) for c, n, t, r, s, _ in ENTITIES])
        con.execute("""create table marts.mart_entity_credit_profile as
                       select entity_code, credit_tier, DATE '2026-03-31' as as_of_date
                       from (values {}) t(entity_code, credit_tier)""".format(
            ", ".join(f"('{c}', '{tier}')" for c, _, _, _, _, tier in ENTITIES)))
        con.execute("create table marts.dim_region_hierarchy (region_code varchar, region_name varchar, "
                    "member_region_code varchar)")
        con.executemany("insert into marts.dim_region_hierarchy values (?, ?, ?)", REGIONS)
    monkeypatch.setenv("CREDIT_WAREHOUSE", str(path))
    return path


@pytest.fixture
def draw(capsys):
    """`creditwh sample` for 济南 (or ``region``): (exit code, what it printed, what it complained)."""
    def drawing(out: Path, *extra: str, region: str = "370100",
                purpose: str = "2026年第二季度双随机抽查") -> tuple[int, str, str]:
        code = main(["sample", "--region", region, "--purpose", purpose, "--out", str(out), *extra])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return drawing


def listed(out: Path) -> list[dict]:
    """The rows of the 抽查名单 section of a CSV list."""
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    start = lines.index("【抽查名单】") + 1
    end = lines.index("", start)
    return list(csv.DictReader(lines[start:end]))


def sample_log(warehouse: Path) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        result = con.execute("select * from audit.sample_log order by drawn_at")
        names = [column[0] for column in result.description]
        return [dict(zip(names, row)) for row in result.fetchall()]


def test_the_same_seed_draws_the_same_list(warehouse, tmp_path, draw):
    assert draw(tmp_path / "first.csv", "--seed", "20260331")[0] == 0
    assert draw(tmp_path / "again.csv", "--seed", "20260331")[0] == 0
    assert listed(tmp_path / "first.csv") == listed(tmp_path / "again.csv")
    assert len(listed(tmp_path / "first.csv")) == 5


def test_each_tier_draws_the_ceiling_of_its_ratio(warehouse, tmp_path, draw):
    code, printed, _ = draw(tmp_path / "list.csv", "--seed", "7")
    assert code == 0
    assert "从 52 户中抽取 5 户（A:0,B:1,C:2,D:2）" in printed
    tiers = [row["信用等级"] for row in listed(tmp_path / "list.csv")]
    assert tiers == ["B", "C", "C", "D", "D"]


def test_the_quota_is_reckoned_in_decimals():
    # 0.07 × 100 is 7.000000000000001 in floating point, whose ceiling is 8
    assert TierRule("B", "轻微失信", Decimal("0.07")).quota(100) == 7
    assert TierRule("D", "严重失信", Decimal("0.20")).quota(6) == 2
    assert TierRule("A", "诚信守法", Decimal("0.00")).quota(5) == 0


def test_only_registered_entities_of_the_region_and_below_make_the_population(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        population = load_population(con, "370100")
    assert {e["entity_code"]: e["credit_tier"] for e in population.entities} == POPULATION
    assert not NEVER_DRAWN & {e["entity_code"] for e in population.entities}
    assert population.as_of == date(2026, 3, 31) and population.region_name == "济南市"


def test_the_list_holds_no_personal_data(warehouse, tmp_path, draw):
    assert draw(tmp_path / "list.csv", "--seed", "7")[0] == 0
    text = (tmp_path / "list.csv").read_text(encoding="utf-8-sig")
    assert list(listed(tmp_path / "list.csv")[0]) == ["统一社会信用代码", "主体名称", "信用等级", "等级名称", "行政区划代码",
                                                     "行政区划", "登记状态"]
    assert "王**" not in text and PERSON[:6] + "*" not in text


def test_the_draw_is_logged_with_what_was_typed_masked(warehouse, tmp_path, draw):
    out = tmp_path / "list.xlsx"
    code, _, _ = draw(out, "--seed", "7", "--operator", f"张科员{PERSON}", purpose=f"投诉核查 {PERSON}")
    assert code == 0 and out.is_file()
    (row,) = sample_log(warehouse)
    fingerprint = hashlib.sha256("\n".join(sorted(f"{c}:{t}" for c, t in POPULATION.items())).encode()).hexdigest()
    assert {k: row[k] for k in ("operator", "purpose", "seed", "region_code", "population_fingerprint", "population",
                                "drawn", "out_file")} == {
        "operator": f"张科员{MASKED_PERSON}", "purpose": f"投诉核查 {MASKED_PERSON}", "seed": 7, "region_code": "370100",
        "population_fingerprint": fingerprint, "population": "A:5,B:20,C:21,D:6", "drawn": "A:0,B:1,C:2,D:2",
        "out_file": str(out.resolve()),
    }
    assert row["as_of"] == date(2026, 3, 31) and row["drawn_at"] is not None
    assert PERSON not in str(row)


def test_a_generated_seed_is_printed_and_draws_the_same_list_again(warehouse, tmp_path, draw):
    code, printed, _ = draw(tmp_path / "first.csv")
    assert code == 0
    seed = re.search(r"--seed (\d+)", printed).group(1)
    assert draw(tmp_path / "again.csv", "--seed", seed)[0] == 0
    assert listed(tmp_path / "first.csv") == listed(tmp_path / "again.csv")
    assert [row["seed"] for row in sample_log(warehouse)] == [int(seed)] * 2


@pytest.mark.parametrize(("region", "out", "message"), [
    ("379999", "list.csv", "未知的行政区划代码 379999"),
    ("370100", "list.pdf", "--out 应为 .xlsx 或 .csv 文件"),
    ("370103", "list.csv", None),  # known, with entities: the control case
])
def test_an_unknown_region_or_a_bad_suffix_is_refused_and_not_logged(warehouse, tmp_path, draw, region, out, message):
    code, _, err = draw(tmp_path / out, "--seed", "1", region=region)
    if message is None:
        assert code == 0 and len(sample_log(warehouse)) == 1
        return
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / out).exists()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert not con.execute("select * from duckdb_tables() where table_name = 'sample_log'").fetchall()


def test_a_region_with_no_registered_entity_is_refused(warehouse, tmp_path, draw):
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update marts.dim_entity set registration_status = '注销' where region_code = '370302'")
    code, _, err = draw(tmp_path / "list.csv", region="370300")
    assert code == 2 and "没有登记状态为存续、在业的主体" in err
    assert not (tmp_path / "list.csv").exists()
