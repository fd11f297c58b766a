"""The query register (查询使用登记) beside the warehouse: a look-up made while a run holds the
warehouse is kept in a file of its own and folded into audit.query_log later — nothing lost,
nothing doubled, what the user typed masked."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb

from creditwh.codes import make_ric
from creditwh.report.lookup import (
    QueryLogEntry, fold_pending_queries, fold_pending_when_free, log_query_pending, pending_dir,
)
from creditwh.warehouse.settings import Settings

PERSON = make_ric("110101", date(1983, 2, 14), 113)


def _settings(tmp_path: Path) -> Settings:
    settings = Settings.from_env({"CREDIT_WAREHOUSE": str(tmp_path / "wh" / "credit.duckdb")})
    settings.warehouse_dir.mkdir(parents=True)
    duckdb.connect(str(settings.warehouse_path)).close()
    return settings


def _register(settings: Settings) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute("select command, operator, purpose, answered_from from audit.query_log "
                           "order by logged_at").fetchall()


def test_pending_lookups_are_folded_once_and_in_order(tmp_path):
    settings = _settings(tmp_path)
    for n in range(3):
        log_query_pending(settings.warehouse_dir, QueryLogEntry(
            "profile", "91370102MA3C1234XX", True, "张科员", f"抽查 {n}", answered_from="publication p1"))
    files = sorted(pending_dir(settings.warehouse_dir).glob("*.json"))
    kept = files[0].read_bytes()
    assert fold_pending_queries(settings) == 3
    assert [row[2] for row in _register(settings)] == ["抽查 0", "抽查 1", "抽查 2"]
    assert not list(pending_dir(settings.warehouse_dir).iterdir())
    # a fold killed after its commit, before removing its files: the next fold does not enter them twice
    files[0].write_bytes(kept)
    assert fold_pending_queries(settings) == 1
    assert len(_register(settings)) == 3 and not list(pending_dir(settings.warehouse_dir).iterdir())


def test_what_the_user_typed_is_masked_before_it_is_kept(tmp_path):
    settings = _settings(tmp_path)
    log_query_pending(settings.warehouse_dir, QueryLogEntry(
        "report", "91370102MA3C1234XX", False, f"李{PERSON}", f"核查 {PERSON}", answered_from="publication p1"))
    assert PERSON not in next(pending_dir(settings.warehouse_dir).glob("*.json")).read_text(encoding="utf-8")
    fold_pending_queries(settings)
    masked = PERSON[:6] + "*" * 8 + PERSON[-4:]
    assert _register(settings) == [("report", f"李{masked}", f"核查 {masked}", "publication p1")]


def test_nothing_pending_leaves_the_warehouse_unopened(tmp_path):
    settings = Settings.from_env({"CREDIT_WAREHOUSE": str(tmp_path / "wh" / "credit.duckdb")})
    assert fold_pending_queries(settings) == 0
    assert not settings.warehouse_path.exists()


HOLD_THE_LOCK = """
import sys
from creditwh.warehouse.lock import warehouse_lock
with warehouse_lock(sys.argv[1], "creditwh run (test)"):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_row_pending_when_the_run_lets_go_is_folded_by_whoever_finds_the_lock_free(tmp_path):
    settings = _settings(tmp_path)
    run = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, str(settings.warehouse_dir)],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert run.stdout.readline().strip() == "held"
        log_query_pending(settings.warehouse_dir, QueryLogEntry(
            "report", "91370102MA3C1234XX", True, "王科员", "窗口查询", answered_from="publication p1"))
        assert fold_pending_when_free(settings) == 0  # the run holds the warehouse: the row waits beside it
        assert len(list(pending_dir(settings.warehouse_dir).glob("*.json"))) == 1
    finally:
        run.communicate("\n", timeout=30)  # the run lets go
    assert fold_pending_when_free(settings) == 1
    assert _register(settings) == [("report", "王科员", "窗口查询", "publication p1")]
    assert not list(pending_dir(settings.warehouse_dir).glob("*.json"))
