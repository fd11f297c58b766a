"""creditwh.generate: synthetic extracts that follow the input contract."""

import csv
import hashlib
import io
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest

from creditwh.codes import is_valid_ric, is_valid_uscc
from creditwh.generate import generate_extracts, load_contract, write_xlsx

KINDS = ("registry", "license", "penalty", "credit_list", "commitment", "repair")
N = 2000


def _contract():
    return {kind: body["columns"] for kind, body in load_contract().items()}


CONTRACT = _contract()


def _norm(h: str) -> str:
    return unicodedata.normalize("NFKC", h).strip()


def _canonical(kind: str, header: str) -> str:
    h = _norm(header)
    for c in CONTRACT[kind]:
        if h == _norm(c["name"]) or h in {_norm(a) for a in c.get("aliases", [])}:
            return c["name"]
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


def test_writes_all_six_kinds_and_reports_rows(messy):
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


def test_several_files_per_kind(messy):
    out, _ = messy
    assert len(list((out / "license").glob("*.csv"))) > 5
    assert len(list((out / "penalty").glob("*.csv"))) > 5


def test_headers_are_contract_columns(messy):
    out, _ = messy
    variants = 0
    for kind in KINDS:
        names = [c["name"] for c in CONTRACT[kind]]
        required = {c["name"] for c in CONTRACT[kind] if c.get("required")}
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
        names = [c["name"] for c in CONTRACT[kind]]
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
