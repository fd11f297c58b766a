"""BI tools read the published marts while `creditwh run` rebuilds them: the README's recipe
(SQLAlchemy + duckdb-engine, read-only), a connection held open through a whole run, readers
that reconnect for every query, a second run refused, a publish that waits, a failed run that
publishes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from creditwh.warehouse.lock import read_holder
from creditwh.warehouse.publishing import read_only_url

from .cli_runs import PATIENCE, CliProcess, cli_env, copy_of_build, penalties
from .helpers import PENALTY_HEADER, penalty_row, write_csv

FIGURES = """select (select count(*) from marts.fct_penalty_publication),
                    (select count(*) from public.penalty_disclosures),
                    (select count(*) from marts.fct_disclosure_timeliness)"""

READER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool
    url, figures, out, stop = sys.argv[1:5]
    with open(out, "a", encoding="utf-8") as fh:
        while True:
            last = Path(stop).exists()
            try:
                engine = sa.create_engine(url, poolclass=NullPool)
                with engine.connect() as con:
                    row = list(con.execute(sa.text(figures)).fetchall()[0])
                engine.dispose()
                fh.write(json.dumps({"figures": row}) + "\\n")
            except Exception as exc:
                fh.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\\n")
            fh.flush()
            if last:
                break
            time.sleep(0.05)
    import os; os._exit(0)
""")


@pytest.fixture(scope="module")
def first_build(cli_build_of_12_penalties, tmp_path_factory):
    return copy_of_build(cli_build_of_12_penalties, tmp_path_factory, "serving")


def test_bi_readers_during_a_rebuild_never_fail_and_never_see_half(first_build, tmp_path):
    raw, warehouse = first_build
    published = warehouse.parent / "published" / "credit_marts.duckdb"
    url = read_only_url(published)
    assert url == f"duckdb:///{published.resolve().as_posix()}?access_mode=read_only"  # the README's form

    engine = sa.create_engine(url, poolclass=NullPool)
    held = engine.connect()
    before = tuple(held.execute(sa.text(FIGURES)).fetchall()[0])
    assert before[0] == 12

    # the next month's extracts arrive; a reader that reconnects for every query runs alongside
    write_csv(raw / "penalty" / "2025-11.csv", PENALTY_HEADER, penalties(100, 8))
    log, stop = tmp_path / "reader.jsonl", tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, url, FIGURES, str(log), str(stop)])
    env = cli_env(raw, warehouse)
    rebuild = CliProcess(["run", "--log-level", "WARNING"], env)
    lock_file = warehouse.parent / ".creditwh.lock"
    rebuild.wait_for(lambda: (read_holder(lock_file) or {}).get("pid") == rebuild.proc.pid, "the rebuild holding the lock")

    # a second run refuses at once, naming the holder; a publish with --wait queues behind it
    second = CliProcess(["run"], env)
    assert second.finish() == 3, second.output
    assert "refused" in second.output and f"pid {rebuild.proc.pid}" in second.output
    queued = CliProcess(["publish", "--wait"], env)

    seen_by_held = set()
    while rebuild.running():
        seen_by_held.add(tuple(held.execute(sa.text(FIGURES)).fetchall()[0]))
        time.sleep(0.2)
    assert rebuild.finish() == 0, rebuild.output[-4000:]
    assert queued.finish() == 0, queued.output
    assert f"waiting for the warehouse lock — pid {rebuild.proc.pid}" in queued.output

    # the held connection kept reading the publication it opened, whole, through the run
    assert seen_by_held == {before}
    assert tuple(held.execute(sa.text(FIGURES)).fetchall()[0]) == before
    held.close()
    with engine.connect() as fresh:
        after = tuple(fresh.execute(sa.text(FIGURES)).fetchall()[0])
    engine.dispose()
    assert after[0] == 20 and after != before

    stop.touch()
    reader.wait(timeout=PATIENCE)
    results = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [r for r in results if "error" in r] == []
    assert {tuple(r["figures"]) for r in results} <= {before, after}
    assert tuple(results[-1]["figures"]) == after

    # the Parquet copy says the same, through the `current` link
    pq = warehouse.parent / "published" / "current"
    con = duckdb.connect()
    assert con.execute(f"select count(*) from read_parquet('{pq}/marts.fct_penalty_publication/*.parquet')"
                       ).fetchall() == [(after[0],)]
    con.close()


def test_a_failed_run_publishes_nothing(first_build):
    raw, warehouse = first_build
    out = warehouse.parent / "published"
    manifest_before = (out / "published.json").read_text(encoding="utf-8")
    inode_before = os.stat(out / "credit_marts.duckdb").st_ino
    parquet_before = os.readlink(out / "current")
    # a broken export: 报送时间 unparseable on every row, and these rows most of the staged penalties, so
    # more than CREDIT_MAX_DEFECTIVE_ROW_SHARE of them carry a defect: the staging gate stops the line
    write_csv(raw / "penalty" / "2025-12_broken.csv", PENALTY_HEADER,
              [penalty_row(f"济市监罚〔2025〕{i}号", submitted="上周五") for i in range(500, 560)])
    try:
        env = cli_env(raw, warehouse)
        failed = CliProcess(["run", "--log-level", "WARNING"], env)
        assert failed.finish() == 1, failed.output[-4000:]
        assert "nothing published" in failed.output
        assert (out / "published.json").read_text(encoding="utf-8") == manifest_before
        assert os.stat(out / "credit_marts.duckdb").st_ino == inode_before
        assert os.readlink(out / "current") == parquet_before
        # nor does `creditwh publish`: the warehouse no longer holds what the gates passed
        refused = CliProcess(["publish"], env)
        assert refused.finish() == 2, refused.output
        assert "changed since a run last passed every gate" in refused.output
        assert os.stat(out / "credit_marts.duckdb").st_ino == inode_before
    finally:
        (raw / "penalty" / "2025-12_broken.csv").unlink()
