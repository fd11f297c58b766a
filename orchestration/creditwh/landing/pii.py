"""Personal identity numbers (证件号码) — keyed, masked and checked before they are stored.

rules.md: a resident identity number never sits in the warehouse in plaintext. Landing
replaces every PII column ``<col>`` by three columns computed inside DuckDB:

  <col>_key     HMAC-SHA256 (hex) of the normalised number under CREDIT_PII_KEY
  <col>_masked  first 6 and last 4 characters, '*' between (370102********123X)
  <col>_is_ric  the number is a valid GB 11643 resident identity number

and, wherever else a department puts a person's number, masks it (what counts as one is
written out below, once): in every other text cell (mask_free_text); in a code column
(统一社会信用代码, legacy codes) that holds one, which is also keyed into ``<col>_key``; in
rejected rows' text, file paths and look-up text. The public side redacts even the masked
form, and its gate checks every column with the same rule (register_sql_functions).

This module is the one place those rules live; staging only reads the columns.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from creditwh.codes import is_valid_uscc, ric_check_char
from creditwh.rules import empty_markers

RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RIC_CHECK_CHARS = "10X98765432"


def register_normaliser(con) -> None:
    """``creditwh_normalise_id(text)``: NFKC, no blanks, upper case, empty markers -> NULL."""
    markers = pa.array(sorted({m.upper() for m in empty_markers()}), pa.string())

    def normalise(values: pa.Array) -> pa.Array:
        text = pc.utf8_upper(pc.utf8_normalize(values, "NFKC"))
        text = pc.replace_substring_regex(text, r"\s+", "")
        return pc.if_else(pc.is_in(text, value_set=markers), pa.scalar(None, pa.string()), text)

    con.create_function(
        "creditwh_normalise_id", normalise, ["VARCHAR"], "VARCHAR", type="arrow",
        null_handling="special", side_effects=False,
    )


def _hmac_pads(key: bytes) -> tuple[str, str]:
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key).hex(), bytes(b ^ 0x5C for b in key).hex()


def hmac_sql(value: str, key: bytes) -> str:
    """HMAC-SHA256 (RFC 2104) in DuckDB SQL, so it runs vectorised on the whole column."""
    ipad, opad = _hmac_pads(key)
    return f"sha256(unhex('{opad}') || unhex(sha256(unhex('{ipad}') || encode({value}))))"


def key_fingerprint(key: bytes) -> str:
    """Tells whether the key changed since an earlier landing (whose keys no longer match), without
    storing the key or anything that would let someone recover it."""
    return hmac.new(key, b"creditwh-pii-key-fingerprint", hashlib.sha256).hexdigest()


def mask_sql(value: str) -> str:
    return (
        f"CASE WHEN length({value}) > 10 THEN left({value}, 6) || repeat('*', length({value}) - 10)"
        f" || right({value}, 4) ELSE repeat('*', length({value})) END"
    )


def is_ric_sql(value: str) -> str:
    weighted = " + ".join(
        f"{w} * TRY_CAST(substr({value}, {i}, 1) AS INTEGER)" for i, w in enumerate(RIC_WEIGHTS, start=1)
    )
    return (
        f"CASE WHEN regexp_full_match({value}, '[0-9]{{17}}[0-9X]')"
        f" AND TRY_STRPTIME(substr({value}, 7, 8), '%Y%m%d') IS NOT NULL"
        f" THEN substr({value}, 18, 1) = substr('{RIC_CHECK_CHARS}', (({weighted}) % 11) + 1, 1)"
        f" ELSE false END"
    )


def pii_columns_sql(column: str, source_expr: str, key: bytes) -> list[str]:
    """SELECT items replacing one PII column by its key, masked form and validity."""
    value = f"creditwh_normalise_id({source_expr})"
    return [
        f"{hmac_sql(value, key)} AS \"{column}_key\"",
        f"{mask_sql(value)} AS \"{column}_masked\"",
        f"{is_ric_sql(value)} AS \"{column}_is_ric\"",
    ]


# --- Identity numbers anywhere (rules.md "Personal information") ----------------------------
#
# What counts as a person's number, once, for landing (every text cell, code columns), rejected
# rows' text, look-up text, file paths and the public gate:
#
# * 18 characters: 17 digits and a check character (a digit or X) passing GB 11643, whose
#   characters 7-14 are a real birth date from 1900-01-01 on, and which is not a valid USCC;
# * 15 digits whose characters 7-12 are a real date YYMMDD (read as 19YY, as 15-digit numbers
#   were issued);
# * digits of either width (ASCII or full-width 0-9), X or x of either width;
# * never a piece of a longer run of digits: no digit (of either width) right before or after
#   it; letters, spaces, punctuation or Chinese text around it do not matter;
# * inside a number only the groups of the usual written layouts may be set apart, by ONE
#   separator (a space, a no-break space, an ideographic space, or a hyphen of either width):
#   an 18-character number after its characters 6, 10 and 14 (110101 1983 0214 1137,
#   110101 19830214 1137), a 15-digit one after its characters 6 and 12 (110101 830214 113).
#   Digits split elsewhere (0531 8888 6666, 1101 0119 ...) are ordinary text: that is as strict
#   as needed for lists of amounts, phone numbers and dates never to be taken for a number.
#
# Masked form: the first 6 and the last 4 characters as written, '*' for each between; the
# separators are dropped (110101 1983 0214 1137 -> 110101********1137).

_DIGIT = "[0-9０-９]"
_CHECK = "[0-9０-９XxＸｘ]"
_SEPARATOR = "[ \u00a0\u3000－-]"
# The birth date's shape: a year from 1900, a month 01-12, a day 01-31 (the calendar is checked after).
# Besides the layouts, it keeps all-digit USCCs (党政机关 11..., 农民专业合作社 93...), whose characters
# 7-14 are a county code and an organisation code, from the prefilter below and from Python.
_YEAR = "(?:[1１][9９]|[2-9２-９][0-9０-９])[0-9０-９]{2}"
_MONTH_DAY = "(?:[0０][1-9１-９]|[1１][0-2０-２])(?:[0０][1-9１-９]|[12１２][0-9０-９]|[3３][01０１])"
_LONG_BODY = f"{_DIGIT}{{6}}{_SEPARATOR}?{_YEAR}{_SEPARATOR}?{_MONTH_DAY}{_SEPARATOR}?{_DIGIT}{{3}}{_CHECK}"
_SHORT_BODY = f"{_DIGIT}{{6}}{_SEPARATOR}?{_DIGIT}{{2}}{_MONTH_DAY}{_SEPARATOR}?{_DIGIT}{{3}}"
_NOT_AFTER_DIGIT = f"(?<!{_DIGIT})"
_NOT_BEFORE_DIGIT = f"(?!{_DIGIT})"
_LONG = re.compile(_LONG_BODY + _NOT_BEFORE_DIGIT)
_SHORT = re.compile(_SHORT_BODY + _NOT_BEFORE_DIGIT)
_RUN_START = re.compile(_NOT_AFTER_DIGIT + _DIGIT)
_SEPARATORS = re.compile(_SEPARATOR)
# A masked number as the warehouse shows it, of either width: what the public side must not show either.
_MASKED = re.compile(f"{_DIGIT}{{6}}[*＊]{{4,}}{_CHECK}{{0,4}}")


def prefilter_regex(*, short_numbers: bool = True) -> str:
    """An RE2 pattern every cell holding a number matches (a superset: the check character, the
    calendar and the USCC test left out), so SQL sends only those cells to Python. RE2 has no
    lookaround: the digits' bounds are matched."""
    bodies = f"{_LONG_BODY}|{_SHORT_BODY}" if short_numbers else _LONG_BODY
    other = _DIGIT.replace("[", "[^", 1)
    return f"(^|{other})({bodies})({other}|$)"


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _is_person_number(number: str) -> bool:
    """``number``: the candidate's characters, NFKC'd, without separators, upper case."""
    if len(number) == 15:
        return _real_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    birth_year = int(number[6:10])
    return (birth_year >= 1900 and _real_date(birth_year, int(number[10:12]), int(number[12:14]))
            and ric_check_char(number[:17]) == number[17] and not is_valid_uscc(number))


def _is_code_character(character: str) -> bool:
    normalised = unicodedata.normalize("NFKC", character)
    return normalised.isascii() and normalised.isalnum()


def _inside_a_uscc(text: str, start: int, end: int) -> bool:
    """Do the characters start..end lie in a word (Latin letters and digits of either width, neither
    right before nor right after it) that is a valid USCC? A code is not a person's number:
    A137011341218933XY holds 15 digits whose characters 7-12 read as a date, and stays whole."""
    for first in range(max(0, end - 18), start + 1):
        last = first + 18
        if (last <= len(text) and (first == 0 or not _is_code_character(text[first - 1]))
                and (last == len(text) or not _is_code_character(text[last]))
                and is_valid_uscc(unicodedata.normalize("NFKC", text[first:last]).upper())):
            return True
    return False


def _numbers_in(text: str, short_numbers: bool = True) -> Iterator[tuple[int, int, str]]:
    """(start, end, characters as written without separators) of each person's number in text."""
    forms = (_LONG, _SHORT) if short_numbers else (_LONG,)
    position = 0
    while start := _RUN_START.search(text, position):
        position = start.start() + 1
        for form in forms:
            found = form.match(text, start.start())
            if not found:
                continue
            written = _SEPARATORS.sub("", found.group())
            if (_is_person_number(unicodedata.normalize("NFKC", written).upper())
                    and not _inside_a_uscc(text, found.start(), found.end())):
                yield found.start(), found.end(), written
                position = found.end()
                break


def _masked(written: str) -> str:
    return written[:6] + "*" * (len(written) - 10) + written[-4:]


def mask_free_text(text: str, *, short_numbers: bool = True) -> str:
    """``text`` with every person's number replaced by its masked form (rules above).
    ``short_numbers=False`` leaves 15-digit numbers alone: in a legacy code column (工商注册号,
    税务登记号, ...) a 15-digit value is that code, not a person's number."""
    pieces, last = [], 0
    for start, end, written in _numbers_in(text, short_numbers):
        pieces += [text[last:start], _masked(written)]
        last = end
    return "".join(pieces) + text[last:] if pieces else text


def person_number(cell: str, *, short_numbers: bool = True) -> str | None:
    """The number, normalised (NFKC, no separators, upper case) as 证件号码 are keyed, when the
    whole cell (blanks around it aside) is one person's number; else None."""
    stripped = cell.strip(" \t\u00a0\u3000")  # not line breaks: the line count of a row must stay
    found = next(_numbers_in(stripped, short_numbers), None)
    if found is None or found[0] != 0 or found[1] != len(stripped):
        return None
    return unicodedata.normalize("NFKC", found[2]).upper()


def contains_person_data(text: str) -> bool:
    """A person's number, plain or masked, anywhere in ``text``: what the public side never shows."""
    return next(_numbers_in(text), None) is not None or _MASKED.search(text) is not None


def redact_for_public(text: str) -> str:
    """``text`` with every person's number, plain or masked, written as '*' only."""
    return _MASKED.sub(lambda found: "*" * len(found.group()), mask_free_text(text))


# --- The rules above as DuckDB functions --------------------------------------------------------

def _arrow_function(function: Callable[[str], object], result_type: pa.DataType, may_apply: str,
                    passthrough: bool):
    """An Arrow UDF applying ``function`` to each distinct non-NULL value of a batch once
    (department codes and code lists repeat in every row), and only to the values matching the RE2
    pattern ``may_apply`` (a superset of what ``function`` acts on, tested by Arrow without Python).
    A value that does not match is returned as it is (``passthrough``) or gives NULL / false."""

    def apply(values: pa.Array) -> pa.Array:
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        candidate = pc.fill_null(pc.match_substring_regex(values, may_apply), False)
        if passthrough:
            others = values
        elif result_type == pa.bool_():
            others = pc.if_else(pc.is_valid(values), False, pa.scalar(None, pa.bool_()))
        else:
            others = pa.nulls(len(values), result_type)
        if not pc.any(candidate).as_py():
            return others
        encoded = pc.dictionary_encode(values.filter(candidate))
        results = pa.array([function(v) for v in encoded.dictionary.to_pylist()], result_type)
        return pc.replace_with_mask(others, candidate, pc.take(results, encoded.indices))

    return apply


# a number, or one masked as the warehouse shows it: what the public side must not show
_PERSON_DATA_SHAPE = f"({prefilter_regex()})|({_MASKED.pattern})"

# name: (rule, SQL type, what a value it acts on always matches, a value matching nothing is returned as is)
SQL_FUNCTIONS: dict[str, tuple[Callable[[str], object], str, str, bool]] = {
    "creditwh_mask_ids": (mask_free_text, "VARCHAR", prefilter_regex(), True),
    "creditwh_mask_long_ids": (lambda text: mask_free_text(text, short_numbers=False), "VARCHAR",
                               prefilter_regex(short_numbers=False), True),
    "creditwh_person_number": (person_number, "VARCHAR", prefilter_regex(), False),
    "creditwh_long_person_number": (lambda text: person_number(text, short_numbers=False), "VARCHAR",
                                    prefilter_regex(short_numbers=False), False),
    "creditwh_contains_person_data": (contains_person_data, "BOOLEAN", _PERSON_DATA_SHAPE, False),
    "creditwh_redact_for_public": (redact_for_public, "VARCHAR", _PERSON_DATA_SHAPE, True),
}
_ARROW_TYPES = {"VARCHAR": pa.string(), "BOOLEAN": pa.bool_()}


# Macros over some of those functions, testing their pattern natively first: nearly every published
# code and document number cannot hold person data, and so never crosses into Python (public_text
# and the public reconciliation gates: one such query on the 1 M warehouse took 0.22-0.24 s through
# the macro, 0.35-0.66 s calling the function). Not for a whole row's text, which nearly always
# holds some digits: there the native test costs more than it saves (0.57 s against 0.46 s).
# macro: the function it calls for the values matching the function's pattern
SQL_MACROS: dict[str, str] = {
    "creditwh_public_text": "creditwh_redact_for_public",
}


def register_sql_functions(con) -> None:
    """The rules of this module as DuckDB functions of one VARCHAR (NULL in, NULL out), so SQL
    (landing, dbt, the public gate) applies them without writing them again; and SQL_MACROS."""
    for name, (function, result, may_apply, passthrough) in SQL_FUNCTIONS.items():
        con.create_function(name, _arrow_function(function, _ARROW_TYPES[result], may_apply, passthrough),
                            ["VARCHAR"], result, type="arrow", null_handling="special", side_effects=False)
    register_sql_macros(con)


def register_sql_macros(con) -> None:
    """SQL_MACROS, as temporary macros of ``con``: a cursor does not see its connection's, so each
    cursor registers them too (dbt-duckdb's configure_cursor). A value not matching the pattern
    gives what the function gives it: itself (passthrough), or NULL / false."""
    for name, function in SQL_MACROS.items():
        _, result, may_apply, passthrough = SQL_FUNCTIONS[function]
        otherwise = "text" if passthrough else (
            "CASE WHEN text IS NOT NULL THEN false END" if result == "BOOLEAN" else "NULL")
        pattern = may_apply.replace("'", "''")
        con.execute(f"CREATE OR REPLACE TEMP MACRO {name}(text) AS "
                    f"CASE WHEN regexp_matches(text, '{pattern}') THEN {function}(text) ELSE {otherwise} END")


# The fewest characters a number takes: cheaper to test than the pattern, and most cells are shorter.
_SHORTEST = 15


def _may_hold_number_sql(column: str, short_numbers: bool) -> str:
    return f"length({column}) >= {_SHORTEST} AND regexp_matches({column}, '{prefilter_regex(short_numbers=short_numbers)}')"


def row_may_hold_number_sql(columns: list[str]) -> str:
    """SQL: may any of these cells hold a number? One match over the row costs far less than one
    per cell, and few rows hold one (chr(31) between cells keeps their digits apart)."""
    return f"regexp_matches(concat_ws(chr(31), {', '.join(columns)}), '{prefilter_regex()}')" if columns else "false"


def masked_text_sql(column: str, *, short_numbers: bool = True) -> str:
    """SQL masking the numbers in a text column; cells without a number's shape skip Python."""
    function = "creditwh_mask_ids" if short_numbers else "creditwh_mask_long_ids"
    return f"CASE WHEN {_may_hold_number_sql(column, short_numbers)} THEN {function}({column}) ELSE {column} END"


def masked_cells_sql(cells: list[str], may_hold: str, masked: str) -> tuple[str, list[str]]:
    """SQL masking the numbers in the text cells of a row: the list of the cells masked, worked out
    only in the rows where ``may_hold`` (row_may_hold_number_sql's value over these cells) is true,
    and each cell's SQL reading that list from the column ``masked``. The masking is written once
    for all the cells, not once per cell: its pattern took about half a millisecond to compile for
    each cell each time a file's landing query was planned, a good part of a small file's landing."""
    if not cells:
        return "NULL", []
    masked_list = (f"CASE WHEN {may_hold} THEN list_transform([{', '.join(cells)}], "
                   f"lambda _cell: {masked_text_sql('_cell')}) END")
    return masked_list, [f"CASE WHEN {may_hold} THEN {masked}[{position}] ELSE {cell} END"
                         for position, cell in enumerate(cells, start=1)]


def person_number_sql(column: str, *, short_numbers: bool = True) -> str:
    """SQL giving the normalised number when the whole cell is one (NULL otherwise)."""
    function = "creditwh_person_number" if short_numbers else "creditwh_long_person_number"
    return f"CASE WHEN {_may_hold_number_sql(column, short_numbers)} THEN {function}({column}) END"


# --- Code columns: a person's number typed as a code is keyed and masked like 证件号码 ------------

# Legacy codes (GB 11714 组织机构代码, 15-character 工商注册号 and 税务登记号, ...): in its own
# column a 15-digit value is that code; an 18-character person's number there is still a person's.
LEGACY_CODE_COLUMNS = frozenset({"工商注册号", "注册号", "组织机构代码", "税务登记号", "事业单位证书号", "社会组织登记证号"})
# Of those, the codes that are themselves 15 digits (a 15-digit 工商注册号 / 注册号, a 15-character
# 税务登记号): only there is a 15-digit value the column's own code. In 组织机构代码 (9 characters) and
# the others a 15-digit person's number is a person's number (found by the property test).
FIFTEEN_DIGIT_CODE_COLUMNS = frozenset({"工商注册号", "注册号", "税务登记号"})


def is_code_column(column: str) -> bool:
    """A column holding an organisation's code: any *统一社会信用代码 column, or a legacy code's."""
    return column.endswith("统一社会信用代码") or column in LEGACY_CODE_COLUMNS


def code_columns_sql(column: str, source: str, number: str, key: bytes) -> list[str]:
    """SELECT items for a code column: the cell, masked (all of it when it is a person's number),
    and ``<column>_key``, the person's key when it is one. ``number`` is person_number_sql's value."""
    short_numbers = column not in FIFTEEN_DIGIT_CODE_COLUMNS
    return [
        f'coalesce({mask_sql(number)}, {masked_text_sql(source, short_numbers=short_numbers)}) AS "{column}"',
        f'{hmac_sql(number, key)} AS "{column}_key"',
    ]


def code_number_sql(column: str, source: str) -> str:
    return person_number_sql(source, short_numbers=column not in FIFTEEN_DIGIT_CODE_COLUMNS)
