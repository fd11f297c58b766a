"""Property: whatever a department's system writes into a penalty CSV, landing never crashes,
and every physical line after the header is accounted for — inside a landed row or a rejected
one, never two, never none (blank lines are not rows) — with rows_read = landed + rejected."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from creditwh.landing.land import land
from e2e.helpers import PENALTY_HEADER

PII_COLUMNS = {"法定代表人证件号码", "证件号码"}  # landed as key/mask/flag: their line breaks cannot be counted back
NCOLS = len(PENALTY_HEADER)

special = st.sampled_from([",", '"', '""', "\n", "\r\n", "\r", "\x00", "\t", " ", "，", "“", "\ufeff", "😀", "鲁", "𠀀"])
plain = st.characters(blacklist_categories=("Cs",))
cell_text = st.lists(st.one_of(special, plain, st.text(alphabet=plain, max_size=8)), max_size=6).map("".join)


@st.composite
def hostile_row(draw) -> str:
    """One record's text, terminator excluded: well quoted, or naively joined (stray quotes,
    embedded breaks and delimiters left raw), with the right or a wrong number of cells."""
    n = draw(st.one_of(st.just(NCOLS), st.integers(min_value=0, max_value=NCOLS + 3)))
    cells = []
    for i in range(n):
        text = draw(cell_text)
        if i < NCOLS and PENALTY_HEADER[i] in PII_COLUMNS:
            text = text.replace("\n", " ").replace("\r", " ")
        cells.append(text)
    if draw(st.booleans()):
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(cells)
        return out.getvalue()
    return ",".join(cells)


@st.composite
def hostile_file(draw) -> tuple[bytes, str]:
    rows = draw(st.lists(st.one_of(hostile_row(), st.just("")), min_size=1, max_size=12))
    terminators = [draw(st.sampled_from(["\n", "\r\n"])) for _ in rows]
    text = ",".join(PENALTY_HEADER) + "\n"
    for i, (row, end) in enumerate(zip(rows, terminators)):
        last = i == len(rows) - 1
        text += row + ("" if last and draw(st.booleans()) else end)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    return text.encode(encoding), encoding


def _landed_spans(con, path: str) -> list[tuple[int, int]]:
    cols = [c for c in con.execute("select column_name from duckdb_columns() where schema_name = 'raw' "
                                   "and table_name = 'penalty'").fetchall()]
    text_cols = [c[0] for c in cols if c[0] not in ("_file_path", "_row_number", "_line_number", "_extra")
                 and not c[0].endswith(("_is_ric", "_key", "_masked"))]
    newline_sum = " + ".join(f"""coalesce(length("{c}") - length(replace("{c}", chr(10), '')), 0)""" for c in text_cols)
    return con.execute(
        f"""select _line_number, 1 + {newline_sum}
                 + coalesce(length(_extra::varchar) - length(replace(_extra::varchar, '\\n', '')), 0)
            from raw.penalty where _file_path = ? order by _line_number""", [path]).fetchall()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(hostile_file())
def test_every_line_is_landed_or_rejected(tmp_path_factory, case):
    data, encoding = case
    raw = tmp_path_factory.mktemp("fuzz")
    (raw / "penalty").mkdir()
    (raw / "penalty" / "fuzz.csv").write_bytes(data)
    con = duckdb.connect(":memory:")
    try:
        [outcome] = land(con, raw, b"fuzz-key", scratch_root=raw / ".scratch")  # never raises
        lines = data.decode(encoding).removeprefix("\ufeff").split("\n")
        if data.endswith(b"\n"):
            lines.pop()
        # a line of nothing but CRs is blank, as the csv module reads it
        data_lines = {n for n, line in enumerate(lines, start=1) if n > 1 and line.strip("\r")}
        assert outcome.status == "loaded", outcome
        event(f"reader {outcome.reader}, {'some' if outcome.rows_parse_rejected else 'no'} rows rejected")
        spans = _landed_spans(con, "penalty/fuzz.csv")
        rejected = con.execute("select line_number, raw_text from raw.parse_rejects").fetchall()
        assert outcome.rows_read == len(spans) + len(rejected)
        assert outcome.rows_parse_rejected == len(rejected)
        spans += [(line, text.count("\n") + 1) for line, text in rejected]
        covered: list[int] = []
        for start, count in spans:
            covered.extend(range(start, start + count))
        assert len(covered) == len(set(covered)), f"a line is in two rows: {sorted(spans)}"
        assert set(covered) <= set(range(2, len(lines) + 1)), sorted(spans)
        assert data_lines <= set(covered), f"lines in no row: {sorted(data_lines - set(covered))}"
    finally:
        con.close()
