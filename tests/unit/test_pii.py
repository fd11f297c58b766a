"""Identity numbers wherever a department puts them (rules.md "Personal information"): what the
masker takes for a person's number, and what it must leave alone; landing applies it to every cell."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from creditwh.codes import is_valid_ric, is_valid_uscc, make_ric, ric_check_char
from creditwh.landing.land import land
from creditwh.landing.pii import contains_person_data, mask_free_text, person_number, redact_for_public
from e2e.helpers import PENALTY_HEADER, penalty_row, write_csv

ID = "110101198302141137"  # valid GB 11643, born 1983-02-14
ID_X = "11010319770707003X"
OLD_ID = "110101830214113"  # 15 digits, characters 7-12 = 830214
FULL_WIDTH = ID_X.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
# all digits, a valid USCC that also passes the GB 11643 check with a real date (1981-01-10)
ALL_DIGIT_USCC = "913701198101109143"
USCC_WITH_15_DIGITS = "A137011341218933XY"

MASKED = [
    # the same 15 digits in a word that is not a valid USCC are a person's number
    ("xA137011341218933XY", "xA137011*****8933XY"),
    (f"当事人{ID}经营", "当事人110101********1137经营"),
    ("110101 1983 0214 1137", "110101********1137"),
    ("身份证号 110101 19830214 1137。", "身份证号 110101********1137。"),
    ("110101-19830214-1137", "110101********1137"),
    ("110101\u30001983\u30000214\u30001137", "110101********1137"),
    ("ID11010319770707003X", "ID110103********003X"),
    ("id11010319770707003x号", "id110103********003x号"),
    (f"{ID}ABC", "110101********1137ABC"),
    (FULL_WIDTH, "１１０１０３********００３Ｘ"),
    (f"2023 {ID}", "2023 110101********1137"),  # a number after another, a space apart
    (f"{ID},{ID_X}", "110101********1137,110103********003X"),
    (OLD_ID, "110101*****4113"),
    ("110101 830214 113", "110101*****4113"),
    (f"济市监罚〔2025〕{OLD_ID}号", "济市监罚〔2025〕110101*****4113号"),
]

LEFT_ALONE = [
    ALL_DIGIT_USCC,  # a valid USCC is a code
    # a valid USCC holding 15 digits whose characters 7-12 read as a date (1934-12-18): a code, whole,
    # alone or in text (found at 10 M records: it was masked, and then failed its own check)
    USCC_WITH_15_DIGITS,
    f"统一社会信用代码：{USCC_WITH_15_DIGITS}。",
    f"{ID}12",  # a 20-digit run: never a piece of a longer run
    f"9{ID}",  # 19 digits
    ID[:-1] + "2",  # check digit wrong
    make_ric("110101", date(1899, 2, 14), 113),  # born before 1900 (the check digit is right)
    "110101198302301137",  # 30 February
    "110101831302113",  # 15 digits, month 13
    "1101 0119 8302 1411 37",  # split where no layout splits it
    "110101  1983 0214 1137",  # two blanks in a row
    "电话 0531-88886666, 13800138000, 0531 8888 6666",
    "罚款金额 123456789012345678.00 元"[:4] + "12345.67 元",
    "罚款人民币 100000 元, 200000 元, 300000 元",
    "2025-09-26 09:30:00",
    "110101********1137",  # already masked
]


def test_the_cases_are_what_they_claim():
    assert is_valid_ric(ID) and is_valid_ric(ID_X)
    assert is_valid_uscc(ALL_DIGIT_USCC) and is_valid_ric(ALL_DIGIT_USCC)
    assert is_valid_uscc(USCC_WITH_15_DIGITS) and person_number(USCC_WITH_15_DIGITS[1:16]) is not None


@pytest.mark.parametrize(("text", "masked"), MASKED)
def test_a_persons_number_is_masked_wherever_it_is(text, masked):
    assert mask_free_text(text) == masked
    assert contains_person_data(text)
    assert not contains_person_data(redact_for_public(text))


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_what_is_not_a_persons_number_is_left_alone(text):
    assert mask_free_text(text) == text
    assert person_number(text) is None


def test_a_15_digit_code_in_a_legacy_code_column_is_that_code():
    registration_no = "370102830214113"  # a 工商注册号 whose characters 7-12 read as a date
    assert mask_free_text(registration_no, short_numbers=False) == registration_no
    assert person_number(registration_no, short_numbers=False) is None
    assert person_number(ID, short_numbers=False) == ID
    assert mask_free_text(registration_no) == "370102*****4113"  # anywhere else it is a number


def test_a_15_digit_persons_number_in_a_column_whose_code_is_not_15_digits_is_masked(tmp_path):
    # found by the property test: a 组织机构代码 has 9 characters, so 15 digits there are a person's
    registration_no = "370102830214113"
    header = PENALTY_HEADER + ["工商注册号"]
    write_csv(tmp_path / "raw" / "penalty" / "2025-10.csv", header,
              [penalty_row("济市监罚〔2025〕1号", org_code="370102990101000") + [registration_no]])
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        land(con, tmp_path / "raw", KEY, tmp_path / "scratch")
        assert con.execute("select 组织机构代码, 工商注册号 from raw.penalty").fetchall() == [
            ("370102*****1000", registration_no)]


def test_a_whole_cell_is_a_persons_number_normalised_as_it_is_keyed():
    assert person_number(f" {FULL_WIDTH.lower()} ") == ID_X
    assert person_number("110101 1983 0214 1137") == ID
    assert person_number(f"ID{ID}") is None
    assert person_number(ALL_DIGIT_USCC) is None


def test_the_public_side_shows_neither_the_number_nor_its_masked_form():
    assert contains_person_data("110101********1137") and contains_person_data("１１０１０１********１１３７")
    assert redact_for_public(f"违法事实: {ID} 与 110101********1137") == "违法事实: " + "*" * 18 + " 与 " + "*" * 18
    assert not contains_person_data("罚款0.5万元") and not contains_person_data(ALL_DIGIT_USCC)


# --- landing applies it to every cell ----------------------------------------------------------

KEY = b"test-secret-key"
OPERATOR_ID = make_ric("370102", date(1979, 4, 1), 517)


def test_landing_masks_every_text_cell_and_keys_a_number_typed_as_a_code(tmp_path):
    raw = tmp_path / "raw"
    header = PENALTY_HEADER + ["备注", "联系人"]
    shop = penalty_row("济市监罚〔2025〕1号", uscc=OPERATOR_ID, subject_type="个体工商户",
                       name=f"历下区张记小吃店(经营者{ID})", facts="经营者 110101 1983 0214 1137 超范围经营")
    person = penalty_row("济市监罚〔2025〕2号", subject_type="自然人", person_id=OPERATOR_ID, uscc="")
    write_csv(raw / "penalty" / "2025-10.csv", header, [shop + [FULL_WIDTH, f"ID{ID_X}"], person + ["", ""]])
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        land(con, raw, KEY, tmp_path / "scratch")
        rows = con.execute("""select 行政相对人名称, 违法事实, 备注, 统一社会信用代码, 统一社会信用代码_key, _extra,
                                     数据来源单位统一社会信用代码_key from raw.penalty order by _row_number""").fetchall()
        person_key = con.execute("select 证件号码_key from raw.penalty where _row_number = 2").fetchone()[0]
        everything = json.dumps(con.execute("select * from raw.penalty").fetchall(), default=str, ensure_ascii=False)
    name, facts, remarks, code, code_key, extra, dept_code_key = rows[0]
    assert name == "历下区张记小吃店(经营者110101********1137)"
    assert facts == "经营者 110101********1137 超范围经营"
    assert remarks == "１１０１０３********００３Ｘ"
    assert code == OPERATOR_ID[:6] + "********" + OPERATOR_ID[-4:]
    assert json.loads(extra) == {"联系人": "ID110103********003X"}
    assert dept_code_key is None  # a department's code is a code
    # the operator can still be matched: the code column's key is the one his 证件号码 gets
    assert code_key == person_key is not None
    assert not any(number in everything for number in (ID, ID_X, FULL_WIDTH, OPERATOR_ID))


def test_a_rejected_rows_text_is_masked_before_a_nul_is_written_out():
    """Found by the property test: NUL written as \\x00 put digits before the number."""
    from creditwh.landing.readers import raw_text

    assert raw_text(f"a,\x00{ID},b") == "a,\\x00110101********1137,b"


def test_a_change_to_what_counts_as_a_number_lands_every_file_again(tmp_path, monkeypatch):
    """Rows masked under the old rules cannot be kept: pii.py is part of the landing's rules."""
    from creditwh.landing import land as landing
    from creditwh.landing import pii

    before = landing._rules_fingerprint()
    changed = tmp_path / "pii.py"
    changed.write_text(Path(pii.__file__).read_text(encoding="utf-8").replace("_SHORTEST = 15", "_SHORTEST = 14"),
                       encoding="utf-8")
    monkeypatch.setattr(pii, "__file__", str(changed))
    assert landing._rules_fingerprint() != before


def _near_misses(count: int, seed: int = 20) -> list[str]:
    """Numbers of every layout and width around the edges of the rules: years from 1000, months 00-13,
    days 00-32, wrong check characters, 15-digit forms, with and without text around them."""
    import random

    rng = random.Random(seed)
    full_width = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    texts = []
    for _ in range(count):
        year = rng.choice([rng.randint(1850, 2100), rng.randint(1000, 9999)])
        body = f"{rng.randint(0, 999999):06d}{year}{rng.randint(0, 13):02d}{rng.randint(0, 32):02d}{rng.randint(0, 999):03d}"
        number = body + (ric_check_char(body) if rng.random() < 0.7 else rng.choice("0123456789X"))
        if rng.random() < 0.3:
            number = number[:6] + rng.choice(" -－\u3000") + number[6:10] + " " + number[10:14] + " " + number[14:]
        if rng.random() < 0.3:
            number = number.translate(full_width)
        if rng.random() < 0.3:  # the 15-digit layout
            number = number[:6] + number[8:14] + number[14:17]
        if rng.random() < 0.1:
            number = number[:6] + "*" * 8 + number[-4:]
        texts.append(rng.choice(["", "a", "号", "1", "；"]) + number + rng.choice(["", "b", "。", "2"]))
    return texts


def test_the_sql_functions_give_what_the_rules_give():
    """SQL sends a cell to Python only when a cheap pattern says it may hold a number (landing, the
    public gate): that pattern must never be narrower than the rules, or a number would get through."""
    from creditwh.landing.pii import SQL_FUNCTIONS, register_sql_functions

    texts = _near_misses(6000) + [text for text, _ in MASKED] + LEFT_ALONE + [None, ""]
    con = duckdb.connect()
    register_sql_functions(con)
    con.execute("create table cells as select unnest(?) as text", [texts])
    taken = 0
    for name, (rule, *_) in SQL_FUNCTIONS.items():
        got = [row[0] for row in con.execute(f"select {name}(text) from cells").fetchall()]
        expected = [None if text is None else rule(text) for text in texts]
        assert got == expected, name
        taken += sum(value not in (None, False, text) for value, text in zip(expected, texts))
    assert taken > 3000  # the corpus does hold numbers


def test_the_sql_macros_give_what_their_functions_give_in_a_cursor_too():
    """The macros test the pattern natively before calling Python (the public schema and its gates):
    they must give exactly what the function gives, NULL included; a cursor, as dbt's threads use,
    registers them itself (a temporary macro of the connection is not seen in its cursors)."""
    from creditwh.landing.pii import SQL_MACROS, register_sql_functions, register_sql_macros

    texts = _near_misses(2000) + [text for text, _ in MASKED] + LEFT_ALONE + [None, ""]
    con = duckdb.connect()
    register_sql_functions(con)
    cursor = con.cursor()
    register_sql_macros(cursor)
    for client in (con, cursor):
        client.execute("create or replace temp table cells as select unnest(?) as text", [texts])
        for macro, function in SQL_MACROS.items():
            got, expected = zip(*client.execute(f"select {macro}(text), {function}(text) from cells").fetchall())
            assert got == expected, macro
            assert sum(value != text for value, text in zip(got, texts)) > 100, macro  # it does redact
