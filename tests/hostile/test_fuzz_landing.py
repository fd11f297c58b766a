"""Properties: whatever a department's system writes into a penalty CSV, landing never crashes,
and every physical line after the header is accounted for — inside a landed row or a rejected
one, never two, never none (blank lines are not rows) — with rows_read = landed + rejected; and
the same bytes land the same rows whether DuckDB's fast path or the exact path reads them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from creditwh.landing import readers
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


# Cells a clean export and a careless one both write: delimiters, quotes, line breaks, empties.
near_clean_cell = st.one_of(
    st.sampled_from(["", " ", ",", '"', '""', "\n", "\r\n", "a,b", "罚款人民币8,000元", "x\"y", "鲁", "0.5"]),
    st.text(alphabet=st.sampled_from("鲁罚ab01 ,\"\n"), max_size=6),
)


@st.composite
def near_clean_file(draw) -> bytes:
    """A penalty CSV of well-formed rows (so that the fast path is often taken), at most one of them
    written carelessly: naively joined, with a field more or less, a trailing delimiter, or a lone CR."""
    nrows = draw(st.integers(min_value=0, max_value=8))
    flaw = draw(st.one_of(st.none(), st.sampled_from(["naive", "trailing", "short", "long", "lone CR"])))
    flawed = draw(st.integers(min_value=0, max_value=max(nrows - 1, 0)))
    lines = [",".join(PENALTY_HEADER)]
    for n in range(nrows):
        cells = [draw(near_clean_cell) if i not in PII_POSITIONS else "" for i in range(NCOLS)]
        how = flaw if n == flawed else draw(st.sampled_from(["minimal", "all"]))
        if how == "short":
            cells = cells[:-1]
        elif how == "long":
            cells = cells + [draw(near_clean_cell)]
        elif how == "lone CR":
            cells[draw(st.integers(min_value=0, max_value=NCOLS - 1))] += "\r"
        out = io.StringIO()
        quoting = csv.QUOTE_ALL if how == "all" else csv.QUOTE_MINIMAL
        csv.writer(out, lineterminator="\n", quoting=quoting).writerow(cells)  # cells with line breaks quoted
        row = ",".join(cells) if how == "naive" else out.getvalue().removesuffix("\n")
        lines.append(row + ("," if how == "trailing" else ""))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    return (end.join(lines) + draw(st.sampled_from([end, ""]))).encode("utf-8")


PII_POSITIONS = {i for i, name in enumerate(PENALTY_HEADER) if name in PII_COLUMNS}


def _land_raw_rows(raw: Path, exact_only: bool, monkeypatch) -> tuple[object, list, list]:
    with monkeypatch.context() as patch:
        if exact_only:
            patch.setattr(readers, "_scan_csv_fast", lambda *args: None)
        con = duckdb.connect(":memory:")
        try:
            [outcome] = land(con, raw, b"fuzz-key", scratch_root=raw / ".scratch")
            rows = con.execute("select * exclude (_file_path) from raw.penalty order by _row_number").fetchall()
            rejects = con.execute("select line_number, reason, raw_text from raw.parse_rejects "
                                  "order by line_number").fetchall()
        finally:
            con.close()
    return outcome, rows, rejects


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(near_clean_file())
def test_the_same_bytes_land_the_same_rows_by_either_path(tmp_path_factory, monkeypatch, data):
    raw = tmp_path_factory.mktemp("paths")
    (raw / "penalty").mkdir()
    (raw / "penalty" / "f.csv").write_bytes(data)
    fast = _land_raw_rows(raw, False, monkeypatch)
    exact = _land_raw_rows(raw, True, monkeypatch)
    event(f"first landing read by {fast[0].reader}")
    assert exact[0].reader in ("python-csv", None)
    assert fast[1:] == exact[1:]
    assert (fast[0].status, fast[0].rows_read) == (exact[0].status, exact[0].rows_read)
