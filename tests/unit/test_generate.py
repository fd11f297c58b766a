"""creditgen: synthetic extracts that follow the input contract."""

import csv
import hashlib
import io
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest

from creditgen import generate_extracts, write_xlsx
from creditwh.codes import is_valid_ric, is_valid_uscc
from creditwh.landing.contract import load_contract

KINDS = ("registry", "license", "penalty", "credit_list", "commitment", "repair", "objection")
N = 2000
CONTRACT = {kind: spec.columns for kind, spec in load_contract().items()}


def _norm(h: str) -> str:
    return unicodedata.normalize("NFKC", h).strip()


def _canonical(kind: str, header: str) -> str:
    h = _norm(header)
    for c in CONTRACT[kind]:
        if h == _norm(c.name) or h in {_norm(a) for a in c.aliases}:
            return c.name
    raise AssertionError(f"{kind}: unknown header {header!r}")


def _decode(raw: bytes) -> tuple[str, str]:
    try:
        text = raw.decode("utf-8")
        return ("utf-8-sig" if text.startswith("\ufeff") else "utf-8"), text.lstrip("\ufeff")
    except UnicodeDecodeError:
        return "gb18030", raw.decode("gb18030")


def _read(path: Path) -> tuple[str, list[list[str]]]:
    enc, text = _decode(path.read_bytes())
    return enc, list(csv.reader(io.StringIO(text, newline="")))


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    out = tmp_path_factory.mktemp("messy")
    return out, generate_extracts(out, N)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    return out, generate_extracts(out, N, messy=False)


def test_writes_all_seven_kinds_and_reports_rows(messy):
    out, counts = messy
    assert set(counts) == set(KINDS)
    for kind in KINDS:
        files = sorted((out / kind).glob("*.csv"))
        assert files, kind
        assert sum(len(_read(f)[1]) - 1 for f in files) == counts[kind]
    # sizes scale from the number of 双公示 records
    assert counts["license"] + counts["penalty"] >= N
    assert counts["license"] > counts["penalty"]
    assert counts["registry"] >= N // 5
    assert counts["repair"] >= 10 and counts["credit_list"] >= 20 and counts["commitment"] >= 20
    assert counts["objection"] >= 20


def test_several_files_per_kind(messy):
    out, _ = messy
    assert len(list((out / "license").glob("*.csv"))) > 5
    assert len(list((out / "penalty").glob("*.csv"))) > 5


def test_headers_are_contract_columns(messy):
    out, _ = messy
    variants = 0
    for kind in KINDS:
        names = [c.name for c in CONTRACT[kind]]
        required = {c.name for c in CONTRACT[kind] if c.required}
        for f in (out / kind).glob("*.csv"):
            header = _read(f)[1][0]
            canon = [_canonical(kind, h) for h in header]
            variants += canon != header
            assert required <= set(canon), f
            # the contract's order, possibly without some optional columns
            assert canon == [n for n in names if n in set(canon)], f
            for row in _read(f)[1][1:]:
                assert len(row) == len(header), f
    assert variants > 0, "messy output should contain header variants"


def test_encodings_gb18030_and_bom(messy):
    out, _ = messy
    encodings = {}
    for f in out.rglob("*.csv"):
        raw = f.read_bytes()
        enc, _ = _decode(raw)
        encodings.setdefault(enc, []).append(f)
    assert {"utf-8", "utf-8-sig", "gb18030"} <= set(encodings)
    for f in encodings["gb18030"]:
        raw = f.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        raw.decode("gb18030")


def test_clean_mode_is_canonical_utf8(clean):
    out, counts = clean
    for kind in KINDS:
        names = [c.name for c in CONTRACT[kind]]
        files = list((out / kind).glob("*.csv"))
        assert files
        for f in files:
            raw = f.read_bytes()
            assert not raw.startswith(b"\xef\xbb\xbf")
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
            assert rows[0] == names
    assert counts["license"] + counts["penalty"] == N  # no repeats or corrections


def test_clean_mode_identifiers_are_valid(clean):
    out, _ = clean
    subject_class = {"license": "行政相对人类别", "penalty": "行政相对人类别",
                     "credit_list": "主体类别", "commitment": "主体类别"}
    for kind, cls_col in subject_class.items():
        for f in (out / kind).glob("*.csv"):
            rows = _read(f)[1]
            for r in (dict(zip(rows[0], row)) for row in rows[1:]):
                assert is_valid_uscc(r["数据来源单位统一社会信用代码"])
                if r[cls_col] == "自然人":
                    assert is_valid_ric(r["证件号码"]) and not r["统一社会信用代码"]
                else:
                    assert is_valid_uscc(r["统一社会信用代码"])
                if r.get("法定代表人证件号码"):
                    assert is_valid_ric(r["法定代表人证件号码"])


def test_clean_mode_dates_and_timeliness_shape(clean):
    out, _ = clean
    late = total = 0
    for f in (out / "penalty").glob("*.csv"):
        rows = _read(f)[1]
        for r in (dict(zip(rows[0], row)) for row in rows[1:]):
            decided = date.fromisoformat(r["处罚决定日期"])
            submitted = datetime.strptime(r["报送时间"], "%Y-%m-%d %H:%M:%S")
            assert date(2025, 7, 1) <= decided <= submitted.date() <= date(2026, 3, 31)
            total += 1
            late += (submitted.date() - decided).days > 20
    assert 0 < late < total * 0.3


def test_repairs_refer_to_generated_records(clean):
    out, _ = clean

    def rows(kind):
        for f in (out / kind).glob("*.csv"):
            data = _read(f)[1]
            yield from (dict(zip(data[0], row)) for row in data[1:])

    penalties = {(r["处罚机关统一社会信用代码"], r["行政处罚决定书文号"]) for r in rows("penalty")}
    lists = {(r["认定部门统一社会信用代码"], r["列入决定文书号"]) for r in rows("credit_list")}
    repairs = list(rows("repair"))
    assert repairs
    for r in repairs:
        key = (r["关联机关统一社会信用代码"], r["关联文书号"])
        assert key in (penalties if r["修复类型"] == "终止公示行政处罚信息" else lists)
        assert r["修复结果"] in ("同意", "不同意")


def test_objections_name_generated_penalties_open_resolved_overdue_and_by_persons(clean):
    """Objections (异议处理) to penalties: each names a generated penalty but the first (a typo), some are
    open, every outcome occurs, some took more than 10 working days, some objectors are 自然人."""
    from creditgen.dates import working_days

    out, _ = clean

    def rows(kind):
        for f in sorted((out / kind).glob("*.csv")):
            data = _read(f)[1]
            yield from (dict(zip(data[0], row)) for row in data[1:])

    penalties = {(r["处罚机关统一社会信用代码"], r["行政处罚决定书文号"]) for r in rows("penalty")}
    objections = list(rows("objection"))
    unmatched = [r for r in objections if (r["关联机关统一社会信用代码"], r["关联文书号"]) not in penalties]
    assert len(unmatched) == 1
    assert {r["处理结果"] for r in objections} == {"", "维持", "更正", "删除"}
    assert all(bool(r["处理结果"]) == bool(r["办结日期"]) for r in objections)
    wd = set(working_days(date(2025, 6, 1).toordinal(), date(2026, 12, 31).toordinal()).tolist())

    def taken(r):
        a, b = (date.fromisoformat(r[c]).toordinal() for c in ("受理日期", "办结日期"))
        return sum(1 for d in range(a + 1, b + 1) if d in wd)

    assert any(taken(r) > 10 for r in objections if r["办结日期"])
    persons = [r for r in objections if r["主体类别"] == "自然人"]
    assert persons and all(is_valid_ric(r["证件号码"]) and not r["统一社会信用代码"] for r in persons)


def test_deterministic_for_a_seed(tmp_path, messy):
    out, counts = messy
    again = tmp_path / "again"
    assert generate_extracts(again, N) == counts
    assert _digest(again) == _digest(out)
    other = tmp_path / "other"
    generate_extracts(other, N, seed=7)
    assert _digest(other) != _digest(out)


def test_write_xlsx_date_cells(tmp_path):
    from openpyxl import load_workbook

    p = tmp_path / "a.xlsx"
    header = ["许可决定日期", "报送时间", "有效期至"]
    rows = [[date(2025, 9, 1), datetime(2025, 9, 3, 10, 15), "长期"],
            ["2025/9/3", "2025-09-05 08:00:00", "2030-09-02"]]
    write_xlsx(p, header, rows, date_columns=["有效期至"])
    ws = load_workbook(p).worksheets[0]
    assert [c.value for c in ws[1]] == header
    r2, r3 = ws[2], ws[3]
    assert r2[0].is_date and r2[0].value == datetime(2025, 9, 1)
    assert r2[1].is_date and r2[1].value == datetime(2025, 9, 3, 10, 15)
    assert r2[2].value == "长期"
    assert r3[0].value == "2025/9/3" and not r3[0].is_date
    assert r3[2].is_date  # ISO text in a date column became a date cell
    q = tmp_path / "b.xlsx"
    write_xlsx(q, header, rows, date_columns=["有效期至"])
    assert p.read_bytes() == q.read_bytes()


# --------------------------------------------------------------------------------------
# The generator follows the project's data (seeds, dbt vars), it keeps no copy of it
# --------------------------------------------------------------------------------------
# coded column -> its list in seeds/code_lists.csv
CODED_COLUMNS = {
    "license": {"许可类别": "license_category", "行政相对人类别": "subject_type", "当前状态": "license_status"},
    "penalty": {"处罚类别": "penalty_category", "行政相对人类别": "subject_type", "失信程度": "severity",
                "记录状态": "penalty_record_status"},
    "credit_list": {"名单类型": "list_type", "主体类别": "subject_type"},
    "commitment": {"承诺类型": "commitment_type", "履约状态": "fulfilment_status", "主体类别": "subject_type"},
    "repair": {"修复类型": "repair_type", "修复结果": "repair_result"},
    "objection": {"异议信息类别": "objection_category", "处理结果": "objection_outcome", "主体类别": "subject_type"},
    "registry": {"主体类型": "entity_type", "登记状态": "registration_status"},
}


def _in_code_list(value: str, name: str) -> bool:
    """A code of the list, or 其他-<text> where seeds/code_list_rules.csv admits it."""
    from creditgen.reference import code_list, seed_rows

    admits_other = {r["code_list"] for r in seed_rows("code_list_rules") if r["admits_other_suffix"] == "true"}
    return value in code_list(name) or (value.startswith("其他-") and name in admits_other)


def test_clean_mode_codes_are_in_the_code_list_seed(clean):
    out, _ = clean
    for kind, coded in CODED_COLUMNS.items():
        seen = {column: set() for column in coded}
        for f in (out / kind).glob("*.csv"):
            rows = _read(f)[1]
            for r in (dict(zip(rows[0], row)) for row in rows[1:]):
                for column in coded:
                    values = r[column].split(";") if column == "处罚类别" else [r[column]]
                    seen[column].update(v for v in values if v)
        for column, name in coded.items():
            assert seen[column], (kind, column)
            outside = {v for v in seen[column] if not _in_code_list(v, name)}
            assert not outside, (kind, column, outside)


def test_injected_out_of_list_values_are_outside_the_code_lists():
    from creditgen.mess import PROFILE
    from creditgen.reference import code_list

    for kind, coded in CODED_COLUMNS.items():
        for column, bad_values in PROFILE[kind]["lists"].items():
            assert code_list(coded[column]), coded[column]
            for bad in bad_values:
                assert not all(_in_code_list(v, coded[column]) for v in bad.split(";")), (kind, column, bad)


def test_written_empty_markers_mean_empty_to_the_warehouse():
    from creditgen.reference import written_empty_markers
    from creditwh.rules import empty_markers

    assert {m.strip() for m in written_empty_markers()} == set(empty_markers())


@pytest.mark.parametrize(("categories", "severity"), [
    (("警告",), "轻微"),
    (("警告", "通报批评"), "轻微"),
    (("警告", "罚款"), "一般"),
    (("罚款", "没收违法所得"), "一般"),
    (("罚款", "吊销许可证件"), "严重"),
    (("其他-限期拆除",), "一般"),
    ((), "一般"),
])
def test_severity_from_categories_follows_the_seed(categories, severity):
    from creditgen.reference import severity_of

    assert severity_of(categories, date(2025, 9, 1).toordinal()) == severity


def test_publication_periods_follow_the_seed():
    from creditgen.reference import publication_months

    on = date(2025, 9, 1).toordinal()
    assert publication_months("轻微", on) is None
    assert publication_months("一般", on) == (3, 12)
    assert publication_months("严重", on) == (12, 36)


def test_a_rule_row_applies_from_its_effective_date_until_the_next():
    from creditgen.reference import RuleVersions

    rules = RuleVersions([{"effective_from": "2026-04-01", "k": "a", "v": "new"},
                          {"effective_from": "1900-01-01", "k": "a", "v": "old"}], "k")
    assert rules.in_force("a", date(2026, 3, 31).toordinal())["v"] == "old"
    assert rules.in_force("a", date(2026, 4, 1).toordinal())["v"] == "new"
    assert rules.in_force("b", date(2026, 4, 1).toordinal()) is None


def test_region_names_and_cities_come_from_the_regions_seed():
    import csv

    from creditgen import CITIES, REGIONS
    from creditwh.rules import DBT_PROJECT_DIR

    with open(DBT_PROJECT_DIR / "seeds" / "regions.csv", encoding="utf-8") as fh:
        seed = {r["region_code"]: r for r in csv.DictReader(fh)}
    in_seed = [r for r in REGIONS if r.code in seed]
    assert len(in_seed) == len(REGIONS) - 1  # 章丘区 (370114) is the world's only district outside the seed
    for region in in_seed:
        row = seed[region.code]
        assert row["region_name"].startswith(region.name)
        assert CITIES[region.city].name == seed[row["city_code"]]["region_name"]


def test_the_product_does_not_import_the_generator():
    import ast

    from creditwh.warehouse.settings import REPO_ROOT

    importers = []
    for path in (REPO_ROOT / "orchestration" / "creditwh").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "creditgen" for n in names):
                importers.append(path.name)
    assert not importers


def test_creditgen_console_script_writes_and_reports(tmp_path, capsys):
    from creditgen.cli import main

    assert main(["--records", "40", "--out", str(tmp_path / "raw"), "--clean", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert all(kind in out for kind in KINDS) and f"wrote extracts to {tmp_path / 'raw'}" in out
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == sorted(KINDS)
