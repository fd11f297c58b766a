"""Hostile files and names, landed without the graph: whatever sits in the raw folder, every entry
is accounted for in raw.extract_files with a reason, nothing stops or hangs the landing, and no
identity number in a file's name is recorded."""

from __future__ import annotations

import io
import logging
import os
import shutil
import socket
import tempfile
import threading
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from creditwh.landing import files as landing_files
from creditwh.landing.files import NOTHING_READ_SHA256
from creditwh.landing.land import land
from creditwh.landing.pii import mask_free_text
from e2e.helpers import PENALTY_HEADER, write_csv

from .corpus import PERSON_IN_NAME, build_hostile_names, csv_text, good_rows

KEY = b"test-secret-key"


def land_dir(raw: Path, warehouse: Path | None = None) -> tuple[list, duckdb.DuckDBPyConnection]:
    warehouse = warehouse or raw.parent / "wh" / "credit.duckdb"
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse))
    return land(con, raw, KEY, scratch_root=warehouse.parent / ".scratch"), con


def outcomes_by_path(outcomes) -> dict[str, tuple[str, str | None]]:
    return {o.file_path: (o.status, o.reason) for o in outcomes}


def test_hostile_entries_are_rejected_with_their_reason_and_links_followed(tmp_path):
    raw = tmp_path / "raw"
    (raw / "penalty").mkdir(parents=True)
    expected = build_hostile_names(raw)
    outcomes, con = land_dir(raw)
    got = outcomes_by_path(outcomes)
    assert set(got) == set(expected)
    for path, exp in expected.items():
        status, reason = got[path]
        assert status == exp.status and (reason or "").startswith(exp.reason or ""), (path, reason)
    sha = dict(con.execute("select file_path, sha256 from raw.extract_files").fetchall())
    assert all(sha[p] == NOTHING_READ_SHA256 for p, e in expected.items() if e.status == "rejected")
    assert None not in sha.values()


def test_a_fifo_is_never_opened(tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw / "penalty" / "a.csv", PENALTY_HEADER, good_rows("管", 1))
    os.mkfifo(raw / "penalty" / "b.csv")
    done: list = []
    # a watchdog, not a timing: opening the FIFO for reading would block this thread forever
    worker = threading.Thread(target=lambda: done.append(land_dir(raw)[0]), daemon=True)
    worker.start()
    worker.join(120)
    if worker.is_alive():  # unblock the landing so the test process can end
        os.close(os.open(raw / "penalty" / "b.csv", os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("landing hung on a FIFO")
    assert outcomes_by_path(done[0])["penalty/b.csv"] == (
        "rejected", "NOT_A_REGULAR_FILE: a FIFO (named pipe); only regular files are read")


def test_a_kind_folder_that_is_a_link_is_followed(tmp_path):
    elsewhere = write_csv(tmp_path / "share" / "2025-10.csv", PENALTY_HEADER, good_rows("链", 2)).parent
    raw = tmp_path / "raw"
    raw.mkdir()
    os.symlink(elsewhere, raw / "penalty", target_is_directory=True)
    outcomes, con = land_dir(raw)
    assert outcomes_by_path(outcomes) == {"penalty/2025-10.csv": ("loaded", None)}
    assert con.execute("select count(*) from raw.penalty").fetchall() == [(2,)]


def test_an_unreadable_file_is_rejected_and_the_others_land(tmp_path, monkeypatch):
    # the tests run as root, whom chmod 000 does not stop: the system's refusal is simulated
    raw = tmp_path / "raw"
    write_csv(raw / "penalty" / "a.csv", PENALTY_HEADER, good_rows("读", 1))
    write_csv(raw / "penalty" / "secret.csv", PENALTY_HEADER, good_rows("密", 1))
    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs):
        if not isinstance(path, int) and os.fspath(path).endswith("secret.csv"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(landing_files.os, "open", refusing_open)
    outcomes, con = land_dir(raw)
    assert outcomes_by_path(outcomes) == {"penalty/a.csv": ("loaded", None),
                                          "penalty/secret.csv": ("rejected", "UNREADABLE: Permission denied")}
    assert con.execute("select sha256 from raw.extract_files where file_path = 'penalty/secret.csv'"
                       ).fetchall() == [(NOTHING_READ_SHA256,)]


def test_an_unreadable_folder_is_reported(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    write_csv(raw / "penalty" / "a.csv", PENALTY_HEADER, good_rows("读", 1))
    write_csv(raw / "penalty" / "locked" / "b.csv", PENALTY_HEADER, good_rows("锁", 1))
    real_scandir = os.scandir

    def refusing_scandir(path):
        if not isinstance(path, int) and os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(landing_files.os, "scandir", refusing_scandir)
    outcomes, _ = land_dir(raw)
    assert outcomes_by_path(outcomes) == {"penalty/a.csv": ("loaded", None),
                                          "penalty/locked": ("rejected", "UNREADABLE_FOLDER: Permission denied")}


def _workbook_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in [PENALTY_HEADER, *good_rows("簿", 2)]:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_duplicate_is_only_of_an_earlier_file_of_its_kind_that_loaded(tmp_path):
    raw = tmp_path / "raw"
    penalties = write_csv(raw / "license" / "2025-10.csv", PENALTY_HEADER, good_rows("跨", 2))  # wrong kind
    (raw / "penalty").mkdir()
    shutil.copyfile(penalties, raw / "penalty" / "2025-10.csv")
    shutil.copyfile(penalties, raw / "penalty" / "2025-10_again.csv")
    workbook = _workbook_bytes()
    (raw / "penalty" / "3_book.csv").write_bytes(workbook)  # a workbook named .csv: rejected
    (raw / "penalty" / "4_book.xlsx").write_bytes(workbook)  # the same bytes, named right: loaded
    (raw / "penalty" / "5_book.xlsx").write_bytes(workbook)
    outcomes, con = land_dir(raw)
    got = {path: (status, (reason or "").split(":")[0]) for path, (status, reason) in outcomes_by_path(outcomes).items()}
    assert got == {
        "license/2025-10.csv": ("rejected", "MISSING_REQUIRED_COLUMNS"),
        "penalty/2025-10.csv": ("loaded", ""),
        "penalty/2025-10_again.csv": ("duplicate", "DUPLICATE"),
        "penalty/3_book.csv": ("rejected", "NOT_TEXT"),
        "penalty/4_book.xlsx": ("loaded", ""),
        "penalty/5_book.xlsx": ("duplicate", "DUPLICATE"),
    }
    reasons = outcomes_by_path(outcomes)
    assert reasons["penalty/2025-10_again.csv"][1] == "DUPLICATE: same bytes as penalty/2025-10.csv"
    assert reasons["penalty/5_book.xlsx"][1] == "DUPLICATE: same bytes as penalty/4_book.xlsx"
    assert con.execute("select count(*) from raw.penalty").fetchall() == [(4,)]


def test_identity_numbers_in_file_names_are_masked_wherever_the_path_is_recorded(tmp_path, caplog):
    raw = tmp_path / "raw"
    name = f"2025-10_张三_{PERSON_IN_NAME}.csv"
    path = write_csv(raw / "penalty" / name, PENALTY_HEADER, good_rows("名", 1))
    with path.open("a", encoding="utf-8") as fh:
        fh.write("too,few\n")
    (raw / "penalty" / f"{PERSON_IN_NAME}.txt").write_text("not an extract", encoding="utf-8")
    with caplog.at_level(logging.DEBUG, logger="creditwh"):
        outcomes, con = land_dir(raw)
    recorded = f"penalty/{mask_free_text(name)}"
    assert recorded != f"penalty/{name}"
    assert outcomes_by_path(outcomes)[recorded] == ("loaded", None)
    seen = [str(v) for table in ("extract_files", "parse_rejects", "penalty")
            for row in con.execute(f"select * from raw.{table}").fetchall() for v in row]
    seen += [record.getMessage() for record in caplog.records]
    assert any(recorded in text for text in seen)
    assert not [text for text in seen if PERSON_IN_NAME in text]


def test_a_file_named_in_gbk_does_not_stop_the_landing(tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw / "penalty" / "a.csv", PENALTY_HEADER, good_rows("好", 1))
    with open(os.fsencode(raw / "penalty") + "/处罚.csv".encode("gbk"), "wb") as fh:
        fh.write(csv_text(PENALTY_HEADER, good_rows("坏", 1)).encode("gbk"))
    outcomes, _ = land_dir(raw)
    got = outcomes_by_path(outcomes)
    assert got["penalty/a.csv"] == ("loaded", None)
    assert got["penalty/\\xb4\\xa6\\xb7\\xa3.csv"][0] == "rejected"
    assert got["penalty/\\xb4\\xa6\\xb7\\xa3.csv"][1].startswith("UNDECODABLE_NAME")


def test_a_warehouse_under_a_folder_with_a_quote_lands(tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw / "penalty" / "a.csv", PENALTY_HEADER, good_rows("引", 1))
    outcomes, con = land_dir(raw, tmp_path / "o'brien" / "credit.duckdb")
    assert outcomes_by_path(outcomes) == {"penalty/a.csv": ("loaded", None)}
    assert con.execute("select count(*) from raw.penalty").fetchall() == [(1,)]


def test_a_socket_is_not_read(tmp_path):
    raw = Path(tempfile.mkdtemp(prefix="s", dir="/tmp"))  # a socket's path is at most 107 bytes
    try:
        (raw / "penalty").mkdir()
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(raw / "penalty" / "a.csv"))
            outcomes, _ = land_dir(raw, tmp_path / "wh" / "credit.duckdb")
        assert outcomes_by_path(outcomes) == {
            "penalty/a.csv": ("rejected", "NOT_A_REGULAR_FILE: a socket; only regular files are read")}
    finally:
        shutil.rmtree(raw)
