"""A corpus of hostile extracts through the whole graph: every file and every row is accounted
for in audit.extract_files and audit.rejected_rows, with a reason, and the run still passes."""

from __future__ import annotations

from collections import Counter

import pytest

from e2e.helpers import REGISTRY_HEADER, query, registry_rows, run, write_csv

from .corpus import MISTYPED_DATES, PERSON_IN_NAME, build_corpus, colliding_identity_numbers


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    raw = tmp_path_factory.mktemp("hostile_raw")
    expected = build_corpus(raw)
    write_csv(raw / "registry" / "2025-07.csv", REGISTRY_HEADER, registry_rows())
    report, warehouse = run(raw, tmp_path_factory.mktemp("hostile_wh"), pytest.MonkeyPatch())
    return expected, report, warehouse


def test_the_run_survives_and_every_gate_passes(hostile):
    _, report, _ = hostile
    assert report.ok, (report.steps_failed, report.checks_failed)


def test_every_hostile_file_is_reported_with_its_reason(hostile):
    expected, _, wh = hostile
    files = {path: (status, reason) for path, status, reason in
             query(wh, "select file_path, status, reason from audit.extract_files where kind = 'penalty'")}
    assert set(files) == set(expected)
    for path, exp in expected.items():
        status, reason = files[path]
        assert status == exp.status, (path, reason)
        if exp.reason:
            assert reason and reason.startswith(exp.reason), (path, reason)
        else:
            assert reason is None, (path, reason)


def test_every_rejected_row_has_its_line_and_reason(hostile):
    expected, _, wh = hostile
    rows = query(wh, "select file_path, line_number, reason from audit.rejected_rows where file_path like 'penalty/%'")
    for path, exp in expected.items():
        got = sorted((line, reason) for p, line, reason in rows if p == path)
        assert len(got) == len(exp.rejected), (path, got)
        for (line, reason), (want_line, want_reason) in zip(got, sorted(exp.rejected)):
            assert line == want_line and reason.startswith(want_reason), (path, got)


def test_nothing_else_is_lost(hostile):
    expected, _, wh = hostile
    audit = {r[0]: r[1:] for r in query(
        wh, "select file_path, rows_read, rows_landed, rows_rejected from audit.extract_files")}
    raw_rows = Counter(dict(query(wh, "select _file_path, count(*) from raw.penalty group by all")))
    for path, exp in expected.items():
        rows_read, rows_landed, rows_rejected = audit[path]
        assert rows_landed == exp.rows_landed == raw_rows[path], path
        assert rows_rejected == len(exp.rejected), path
        if exp.status == "loaded":
            assert rows_read == rows_landed + rows_rejected, path
        else:
            assert (rows_landed, rows_rejected) == (0, 0), path


def test_rejected_text_is_kept_readable(hostile):
    _, _, wh = hostile
    texts = dict(((p, r.split(":")[0]), t) for p, r, t in query(
        wh, "select file_path, reason, raw_text from audit.rejected_rows"))
    nul = texts[("penalty/15_nul_bytes.csv", "NUL_BYTE")]
    assert "\\x00\\x00含空字节" in nul and "\x00" not in nul
    long_cell = texts[("penalty/14_very_long_cells.csv", "CELL_TOO_LONG")]
    assert long_cell.endswith("characters in all]") and len(long_cell) < 25_000
    unnamed = query(wh, "select _extra from raw.penalty where _file_path = 'penalty/18_unnamed_columns.csv' limit 1")
    assert "附注" in unnamed[0][0] and "列22" in unnamed[0][0]


def test_no_identity_number_in_a_file_name_is_recorded(hostile):
    _, _, wh = hostile
    numbers = [PERSON_IN_NAME, *colliding_identity_numbers()]
    recorded = query(wh, """select file_path from audit.extract_files
                            union all select reason from audit.extract_files where reason is not null
                            union all select file_path from audit.rejected_rows
                            union all select distinct _file_path from raw.penalty""")
    assert len(recorded) > len(numbers)
    assert not [text for (text,) in recorded for number in numbers if number in text]


def test_mistyped_dates_are_defects_of_their_rows_not_a_stop(hostile):
    _, report, wh = hostile
    assert report.ok
    rows = query(wh, f"""
        select timeliness.doc_no, timeliness.defects, timeliness.is_on_time, timeliness.is_compliant
        from marts.fct_disclosure_timeliness as timeliness
        join intermediate.int_penalties__current as records using (record_key)
        where records.file_path = 'penalty/{MISTYPED_DATES}' order by timeliness.doc_no""")
    assert rows == [
        ("鲁错日罚〔2025〕1号", "", True, True),
        ("鲁错日罚〔2025〕2号", "DATE_ORDER:submission_after_as_of", False, False),
        ("鲁错日罚〔2025〕3号", "INVALID:decision_date", False, False),
        ("鲁错日罚〔2025〕4号", "INVALID:decision_date", False, False),
    ]
