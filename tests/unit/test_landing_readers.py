"""Landing, file by file: encodings, headers, RFC 4180 quoting, line numbers, identity masking."""

from __future__ import annotations

import duckdb
import pytest

from creditwh.landing.contract import load_contract, map_header, normalise_header
from creditwh.landing.files import UndecodableFile, fingerprint, utf8_copy
from creditwh.landing.pii import mask_free_text
from creditwh.landing.readers import scan_csv


@pytest.fixture
def con():
    c = duckdb.connect()
    yield c
    c.close()


def _scan(con, path):
    text_path, _ = utf8_copy(path, fingerprint(path), path.parent)
    result = scan_csv(con, text_path, fingerprint(path))
    rows = con.execute("select _line_number, c0, c1 from _scan order by _row_number").fetchall()
    return result, rows


def test_header_spellings_map_to_the_contract():
    spec = load_contract()["penalty"]
    mapping = map_header(spec, [" 罚款金额（万元） ", "处罚决定书文号", "行政相对人代码_1(统一社会信用代码)", "自定义"])
    assert mapping.canonical_by_position == ["罚款金额(万元)", "行政处罚决定书文号", "统一社会信用代码", None]
    assert "处罚决定日期" in mapping.missing_required
    assert normalise_header(" 法定代表人 ") == "法定代表人"


def test_duplicate_header_names_are_a_problem():
    spec = load_contract()["repair"]
    mapping = map_header(spec, ["修复类型", "修复类型"] + [c for c in spec.required if c != "修复类型"])
    assert mapping.problem.startswith("DUPLICATE_COLUMNS")


def test_multiline_cells_keep_physical_line_numbers(con, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,"two\nlines"\n2,"x, ""quoted"""\n3,z\n', encoding="utf-8")
    result, rows = _scan(con, path)
    assert result.reader == "duckdb"
    assert rows == [(2, "1", "two\nlines"), (4, "2", 'x, "quoted"'), (5, "3", "z")]


def test_rows_of_one_line_each_are_numbered_after_a_header_of_two(con, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('a,"b\nb"\n1,\n2,x\n', encoding="utf-8")
    result, rows = _scan(con, path)
    assert result.reader == "duckdb"
    assert rows == [(3, "1", None), (4, "2", "x")]
    assert con.execute("select _row_number from _scan order by _row_number").fetchall() == [(1,), (2,)]


def test_each_file_read_in_turn_shows_only_its_own_rows(con, tmp_path):
    """One connection reads file after file, whichever way each one takes (the fast path with and
    without line breaks in cells, the exact path)."""
    files = {
        "one_line.csv": ('a,b\n1,2\n', [(2, "1", "2")]),
        "line_breaks.csv": ('a,b\n3,"x\ny"\n', [(2, "3", "x\ny")]),
        "ragged.csv": ('a,b\n4,5,6\n7,8\n', [(3, "7", "8")]),
        "one_line_again.csv": ('a,b\n9,10\n11,12\n', [(2, "9", "10"), (3, "11", "12")]),
    }
    for name, (text, expected) in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert _scan(con, path)[1] == expected, name


def test_ragged_rows_are_rejected_with_their_line_and_text(con, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,"multi\nline"\n2,b,extra\n\n3,c\n', encoding="utf-8")
    result, rows = _scan(con, path)
    assert result.reader == "python-csv"
    assert rows == [(2, "1", "multi\nline"), (6, "3", "c")]
    assert result.rejects == [(4, "FIELD_COUNT: expected 2 fields, found 3", "2,b,extra")]
    assert result.rows_read == 3


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_encodings_are_detected_without_labels(con, tmp_path, encoding):
    path = tmp_path / "x.csv"
    path.write_text("名称,代码\n济南鑫达建材有限公司,９１\n", encoding=encoding)
    result, rows = _scan(con, path)
    assert result.header == ["名称", "代码"]
    assert rows == [(2, "济南鑫达建材有限公司", "９１")]


def test_bytes_in_neither_encoding_are_undecodable(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n\xff\xfe\xfd,1\n")
    with pytest.raises(UndecodableFile, match="neither UTF-8 nor GB18030"):
        utf8_copy(path, fingerprint(path), tmp_path)


def test_identity_numbers_in_free_text_are_masked():
    assert mask_free_text("张三,11010519491231002X,x") == "张三,110105********002X,x"
    assert mask_free_text("１１０１０５１９４９１２３１００２Ｘ") == "１１０１０５********００２Ｘ"
    assert mask_free_text("金额 12345 元") == "金额 12345 元"


def test_a_ragged_file_does_not_push_later_clean_files_off_the_fast_path(con, tmp_path):
    ragged = tmp_path / "a.csv"
    ragged.write_text("a,b\n1,2,3\n", encoding="utf-8")
    clean = tmp_path / "b.csv"
    clean.write_text("a,b\n1,2\n", encoding="utf-8")
    assert _scan(con, ragged)[0].reader == "python-csv"
    assert _scan(con, clean)[0].reader == "duckdb"


def test_a_trailing_delimiter_is_a_field_too_many_not_dropped(con, tmp_path):
    # DuckDB's reader drops a trailing delimiter even in strict mode: the row would land shifted
    path = tmp_path / "x.csv"
    path.write_text('a,b,c\n1,2,3\n4,5,6,\n9,10,"x,y",\n7,,\n', encoding="utf-8")
    result, _ = _scan(con, path)
    rows = con.execute("select _line_number, c0, c1, c2 from _scan order by _row_number").fetchall()
    assert rows == [(2, "1", "2", "3"), (5, "7", None, None)]
    assert [(line, reason) for line, reason, _ in result.rejects] == [
        (3, "FIELD_COUNT: expected 3 fields, found 4"), (4, "FIELD_COUNT: expected 3 fields, found 4")]


def test_the_fast_path_keeps_empty_cells_null_and_reads_quoted_line_breaks(con, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('a,b,c\n1,"",\n"",x,"two\nlines"\n', encoding="utf-8")
    result, _ = _scan(con, path)
    rows = con.execute("select _line_number, c0, c1, c2 from _scan order by _row_number").fetchall()
    assert result.reader == "duckdb"
    assert rows == [(2, "1", None, None), (3, None, "x", "two\nlines")]


def test_a_lone_carriage_return_takes_the_exact_path(con, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\r\n1,2\r\n\r3,4\r\n")
    result, _ = _scan(con, path)
    assert result.reader == "python-csv"
    assert fingerprint(path).lone_crs == 1
