"""Incremental landing: whatever changes in the raw directory, the raw schema afterwards equals a
full landing of the same directory, and only new or changed files are read."""

from __future__ import annotations

import os
import shutil
import warnings
from collections import Counter
from dataclasses import replace
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from creditwh.landing import land as landing
from e2e.helpers import LEGAL_REP_ID, PENALTY_HEADER, REGISTRY_HEADER, penalty_row, registry_rows, write_csv

KEY = b"test-secret-key"


def penalties(prefix: str, n: int = 2) -> list[list[str]]:
    return [penalty_row(f"济市监罚〔2025〕{prefix}{i}号") for i in range(1, n + 1)]


@pytest.fixture
def raw(tmp_path) -> Path:
    """A loaded file with a rejected line, a copy of it, a rejected file and a registry file."""
    raw = tmp_path / "raw"
    loaded = write_csv(raw / "penalty" / "2025-10.csv", PENALTY_HEADER, penalties("A"))
    with loaded.open("a", encoding="utf-8") as fh:
        fh.write(f"too,few,fields,{LEGAL_REP_ID}\n")
    shutil.copyfile(loaded, raw / "penalty" / "2025-10_again.csv")
    write_csv(raw / "penalty" / "2025-11_missing_column.csv", PENALTY_HEADER[:-3],
              [row[:-3] for row in penalties("B")])
    write_csv(raw / "registry" / "2025-07.csv", REGISTRY_HEADER, registry_rows())
    return raw


class FileAccess:
    """The files landings hashed and read, by relative path, since the last forget()."""

    def __init__(self):
        self.hashed: list[str] = []
        self.read: list[str] = []

    def forget(self) -> None:
        self.hashed.clear()
        self.read.clear()


@pytest.fixture
def access(monkeypatch) -> FileAccess:
    seen = FileAccess()
    fingerprint, land_file = landing.fingerprint, landing._land_file

    def hashing(path):
        seen.hashed.append(f"{path.parent.name}/{path.name}")
        return fingerprint(path)

    def reading(con, delivered, *args):
        seen.read.append(delivered.rel_path)
        return land_file(con, delivered, *args)

    monkeypatch.setattr(landing, "fingerprint", hashing)
    monkeypatch.setattr(landing, "_land_file", reading)
    return seen


class Warehouse:
    """A warehouse file that landings write into, one after another."""

    def __init__(self, path: Path, raw: Path):
        self.path, self.raw = path, raw
        path.parent.mkdir(parents=True, exist_ok=True)

    def land(self, key: bytes = KEY, **options) -> landing.Landing:
        with duckdb.connect(str(self.path)) as con:
            return landing.land(con, self.raw, key, scratch_root=self.path.parent / ".scratch", **options)

    def execute(self, sql: str) -> None:
        with duckdb.connect(str(self.path)) as con:
            con.execute(sql)

    def raw_schema(self) -> dict[str, Counter]:
        """Every raw table as a multiset of its rows."""
        with duckdb.connect(str(self.path), read_only=True) as con:
            tables = [t for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'raw'").fetchall()]
            return {t: Counter(con.execute(f"select * from raw.{t}").fetchall()) for t in tables}


@pytest.fixture
def warehouse(tmp_path, raw) -> Warehouse:
    return Warehouse(tmp_path / "wh" / "credit.duckdb", raw)


def assert_equals_full_landing(warehouse: Warehouse, landed: landing.Landing, key: bytes = KEY) -> None:
    """The raw schema and the outcomes (but for ``reused``) are those of a fresh landing."""
    fresh = Warehouse(warehouse.path.parent / f"full-{len(list(warehouse.path.parent.glob('full-*')))}.duckdb",
                      warehouse.raw)
    assert [replace(o, reused=False) for o in landed] == fresh.land(key)
    assert warehouse.raw_schema() == fresh.raw_schema()


def touch(path: Path) -> None:
    """A newer mtime, even where the file system's clock is coarse."""
    mtime_ns = path.stat().st_mtime_ns + 10**9
    os.utime(path, ns=(mtime_ns, mtime_ns))


def edit_in_place(path: Path, old: str, new: str) -> None:
    path.write_bytes(path.read_bytes().replace(old.encode(), new.encode()))
    touch(path)


# Each change to the base directory, and the files an incremental landing must read after it.
CHANGES = {
    "a new file": (lambda raw: write_csv(raw / "penalty" / "2025-12.csv", PENALTY_HEADER, penalties("C")),
                   ["penalty/2025-12.csv"]),
    "a new file sorting before the others": (
        lambda raw: write_csv(raw / "penalty" / "2025-01.csv", PENALTY_HEADER, penalties("D")),
        ["penalty/2025-01.csv"]),
    # same size, other bytes: only the mtime tells; its copy is no longer a duplicate
    "a file changed in place": (lambda raw: edit_in_place(raw / "penalty" / "2025-10.csv", "A1号", "E1号"),
                                ["penalty/2025-10.csv", "penalty/2025-10_again.csv"]),
    "a file deleted": (lambda raw: (raw / "registry" / "2025-07.csv").unlink(), []),
    "a copy sorting before the loaded file": (
        lambda raw: shutil.copyfile(raw / "penalty" / "2025-10.csv", raw / "penalty" / "2025-09_copy.csv"),
        ["penalty/2025-09_copy.csv"]),
    "the loaded file of two copies deleted": (lambda raw: (raw / "penalty" / "2025-10.csv").unlink(),
                                              ["penalty/2025-10_again.csv"]),
    "a GBK file": (lambda raw: write_csv(raw / "penalty" / "2025-12_gbk.csv", PENALTY_HEADER, penalties("F"),
                                         encoding="gb18030"),
                   ["penalty/2025-12_gbk.csv"]),
    "a rejected file fixed": (
        lambda raw: write_csv(raw / "penalty" / "2025-11_missing_column.csv", PENALTY_HEADER, penalties("B")),
        ["penalty/2025-11_missing_column.csv"]),
    "a file touched, its bytes unchanged": (lambda raw: touch(raw / "penalty" / "2025-10_again.csv"), []),
    # an unmounted share: the landing empties raw (the publication's shrink guard refuses it later)
    "every file deleted": (lambda raw: [path.unlink() for path in raw.rglob("*") if path.is_file()], []),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_lands_as_a_full_landing_would_reading_only_what_changed(warehouse, raw, access, change):
    before = {o.file_path: o for o in warehouse.land()}
    make_change, expected_reads = CHANGES[change]
    make_change(raw)
    access.forget()
    landed = warehouse.land()
    assert landed.full_landing_reason is None
    assert access.read == expected_reads
    assert all(replace(o, reused=False) == before[o.file_path] for o in landed if o.reused)
    assert_equals_full_landing(warehouse, landed)


def test_every_change_in_a_row_lands_as_a_full_landing_would(warehouse, raw):
    warehouse.land()
    for make_change, _ in CHANGES.values():
        make_change(raw)
        assert_equals_full_landing(warehouse, warehouse.land())


def test_an_unchanged_file_is_neither_hashed_nor_read_again(warehouse, raw, access):
    first = warehouse.land()
    assert len(access.hashed) == len(first) == 4 and not any(o.reused for o in first)
    before = warehouse.raw_schema()
    access.forget()
    (raw / "registry" / "2025-07.csv").unlink()
    again = warehouse.land()
    assert access.hashed == access.read == []
    assert all(o.reused for o in again) and again.removed == ["registry/2025-07.csv"]
    assert [(o.file_path, o.status, o.rows_read) for o in again] == [
        (o.file_path, o.status, o.rows_read) for o in first if o.kind == "penalty"]
    assert warehouse.raw_schema()["penalty"] == before["penalty"]


def test_a_touched_file_is_hashed_again_but_not_read(warehouse, raw, access):
    warehouse.land()
    access.forget()
    touch(raw / "registry" / "2025-07.csv")
    landed = warehouse.land()
    assert (access.hashed, access.read) == (["registry/2025-07.csv"], [])
    assert all(o.reused for o in landed)


@pytest.mark.parametrize("how, reason", [
    (dict(key=b"another-key"), "pii_key_fingerprint"),
    (dict(full_refresh=True), "full refresh"),
])
def test_a_new_pii_key_or_a_full_refresh_reads_every_file(warehouse, access, how, reason):
    warehouse.land()
    access.forget()
    landed = warehouse.land(**how)
    assert reason in landed.full_landing_reason
    assert not any(o.reused for o in landed)
    assert sorted(access.read) == ["penalty/2025-10.csv", "penalty/2025-11_missing_column.csv",
                                     "registry/2025-07.csv"]  # the duplicate needs no reading
    assert_equals_full_landing(warehouse, landed, how.get("key", KEY))


@pytest.mark.parametrize("alteration", [
    "alter table raw.penalty drop column _extra",  # another contract's columns
    "alter table raw.extract_files drop column mtime_ns",  # landed before the stat cache
    "drop table raw.landing_state",
    "update raw.landing_state set rules_fingerprint = 'other rules'",  # another contract or empty markers
])
def test_a_raw_schema_landed_otherwise_is_landed_in_full(warehouse, access, alteration):
    warehouse.land()
    warehouse.execute(alteration)
    access.forget()
    landed = warehouse.land()
    assert landed.full_landing_reason and len(access.read) == 3
    assert_equals_full_landing(warehouse, landed)


def test_a_landing_that_fails_in_the_warehouse_transaction_leaves_the_raw_schema_whole(
        warehouse, raw, monkeypatch):
    warehouse.land()
    before = warehouse.raw_schema()
    update = landing._update_raw_schema

    def update_then_fail(*args):
        update(*args)
        raise RuntimeError("killed before COMMIT")

    monkeypatch.setattr(landing, "_update_raw_schema", update_then_fail)
    edit_in_place(raw / "penalty" / "2025-10.csv", "A1号", "G1号")
    with pytest.raises(RuntimeError):
        warehouse.land()
    assert warehouse.raw_schema() == before


@pytest.mark.parametrize("options", [{}, {"full_refresh": True}], ids=["incremental", "full"])
def test_a_landing_that_fails_while_files_go_into_the_warehouse_leaves_the_raw_schema_whole(
        warehouse, raw, monkeypatch, options):
    """Rows go into the warehouse file by file, inside the landing's one transaction: a failure after
    the first file's rows are in (the raw schema already dropped, for a full landing) takes them back."""
    warehouse.land()
    before = warehouse.raw_schema()
    replace_rows, handed = landing._replace_file_rows, []

    def fail_at_the_second_file(con, file_path, *args):
        handed.append(file_path)
        if len(handed) == 2:
            raise RuntimeError("killed while landing")
        replace_rows(con, file_path, *args)

    monkeypatch.setattr(landing, "_replace_file_rows", fail_at_the_second_file)
    edit_in_place(raw / "penalty" / "2025-10.csv", "A1号", "G1号")  # it and its copy are read again
    with pytest.raises(RuntimeError):
        warehouse.land(**options)
    assert len(handed) >= 2  # the files already being read when it failed go on
    assert warehouse.raw_schema() == before


def test_the_same_bytes_under_another_kind_leave_the_loaded_file_as_it_was(warehouse, raw, access):
    # the licence copy is rejected for its header: it is nobody's original, so nothing is its duplicate
    warehouse.land()
    access.forget()
    (raw / "license").mkdir()
    shutil.copyfile(raw / "penalty" / "2025-10.csv", raw / "license" / "2025-10.csv")
    landed = {o.file_path: o for o in warehouse.land()}
    assert access.read == ["license/2025-10.csv"]
    assert landed["license/2025-10.csv"].status == "rejected"
    assert (landed["penalty/2025-10.csv"].status, landed["penalty/2025-10.csv"].reused) == ("loaded", True)
    assert landed["penalty/2025-10_again.csv"].reason == "DUPLICATE: same bytes as penalty/2025-10.csv"
    assert_equals_full_landing(warehouse, warehouse.land())


def test_a_file_rejected_whole_keeps_whom_it_names_until_it_is_fixed(warehouse):
    """rules.md "Rejected deliveries": a file read but rejected whole keeps its distinct
    (数据来源单位统一社会信用代码, 报送时间) cells, for charging it to its department (audit.extract_files);
    once fixed and loaded, they are gone."""
    senders = "select * from raw.rejected_file_senders"
    warehouse.land()
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        assert con.execute(senders).fetchall() == [
            ("penalty/2025-11_missing_column.csv", penalty_row("x")[1], "2025-10-10 09:30")]
    write_csv(warehouse.raw / "penalty" / "2025-11_missing_column.csv", PENALTY_HEADER, penalties("B"))
    warehouse.land()
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        assert con.execute(senders).fetchall() == []


def test_a_landing_reads_each_large_files_rows_into_arrow_once(warehouse, monkeypatch):
    """DuckDB warns when a DB-API result is turned into Arrow: the rows are copied once more, which
    only a large file feels (a small one's rows are taken that way: planning its query once costs
    less). Here every file counts as large. The fixture's files take both ways out of a scan: rows
    landed, and the senders of a file rejected whole."""
    monkeypatch.setattr(landing, "ROWS_TAKEN_BY_EXECUTE", 0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        landed = warehouse.land()
    assert {o.status for o in landed} >= {"loaded", "rejected"}
    assert [str(w.message) for w in caught if "extra copy" in str(w.message)] == []


def test_a_files_rows_are_let_go_once_inserted_not_at_the_commit(tmp_path):
    """Landing is one transaction, so the Arrow rows of each file it inserts must be freed as soon as
    they are in, not held until the COMMIT. A registered view held them: its dropped catalog entry
    lived until the COMMIT, with its Arrow table, and 10 M records took 12 GB."""
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw.penalty (cell VARCHAR)")
    con.execute("BEGIN TRANSACTION")
    before = pa.total_allocated_bytes()
    rows = {"penalty": pa.table({"cell": pa.array([f"济市监罚〔2025〕{i}号" * 4 for i in range(50_000)])})}
    assert pa.total_allocated_bytes() - before > 5_000_000
    landing._replace_file_rows(con, "penalty/2025-10.csv", rows, landed_before=False)
    del rows
    assert pa.total_allocated_bytes() - before < 1_000_000
    assert con.execute("SELECT count(*) FROM raw.penalty").fetchone() == (50_000,)
    con.execute("COMMIT")
