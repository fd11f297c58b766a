"""Property: a person's identity number a department writes into any cell of a penalty CSV, in any
form (18 or 15 digits, half- or full-width, spaced or hyphenated in the usual groups, x or X),
with any text around it that does not run on into its digits, never lands in plaintext."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from datetime import date

import duckdb
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from creditwh.codes import is_valid_uscc, make_ric
from creditwh.landing.land import land
from e2e.helpers import PENALTY_HEADER, penalty_row

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
around = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Nd")), max_size=12)


@st.composite
def identity_number(draw) -> str:
    region = draw(st.sampled_from(["370102", "110101", "440305", "650104"]))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 3, 31)))
    if draw(st.booleans()):
        number = make_ric(region, born, draw(st.integers(0, 999)))
        assume(not is_valid_uscc(number))  # a valid USCC is a code
        return number
    assume(born.year < 2000)
    return f"{region}{born:%y%m%d}{draw(st.integers(0, 999)):03d}"


def written(number: str, form: str) -> str:
    if form == "full-width":
        return number.translate(FULL_WIDTH)
    if form == "lower-case":
        return number.lower()
    groups = (number[:6], number[6:10], number[10:14], number[14:]) if len(number) == 18 else \
        (number[:6], number[6:12], number[12:])
    return {"spaced": " ", "hyphenated": "-", "ideographic space": "\u3000"}.get(form, "").join(groups)


def normalised(text: str) -> str:
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text)).upper()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(number=identity_number(),
       form=st.sampled_from(["plain", "full-width", "lower-case", "spaced", "hyphenated", "ideographic space"]),
       column=st.sampled_from(PENALTY_HEADER + ["备注", "联系电话"]), before=around, after=around)
def test_a_planted_number_never_lands_in_plaintext(tmp_path_factory, number, form, column, before, after):
    raw = tmp_path_factory.mktemp("planted")
    (raw / "penalty").mkdir()
    header = PENALTY_HEADER + ["备注", "联系电话"]
    row = penalty_row("济市监罚〔2025〕1号") + ["", ""]
    row[header.index(column)] = before + written(number, form) + after
    text = io.StringIO()
    csv.writer(text).writerows([header, row])
    (raw / "penalty" / "planted.csv").write_text(text.getvalue(), encoding="utf-8")
    with duckdb.connect(":memory:") as con:
        [outcome] = land(con, raw, b"fuzz-key", scratch_root=raw / ".scratch")
        landed = json.dumps(con.execute("select * from raw.penalty").fetchall()
                            + con.execute("select * from raw.parse_rejects").fetchall(), default=str, ensure_ascii=False)
    assert outcome.status == "loaded", outcome
    assert number.upper() not in normalised(landed)
