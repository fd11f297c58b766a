"""The warehouse lock between real processes: a second holder is refused (or waits), told who
holds it; a holder killed with SIGKILL leaves no stale lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from creditwh.warehouse.lock import WarehouseBusy, is_locked, read_holder, warehouse_lock
from creditwh.warehouse.settings import REPO_ROOT

HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from creditwh.warehouse.lock import warehouse_lock
    with warehouse_lock(Path(sys.argv[1]), "test holder", kind=sys.argv[4]):
        Path(sys.argv[2]).touch()
        while not Path(sys.argv[3]).exists():
            time.sleep(0.02)
""")


def _holder(tmp_path: Path, kind: str = "run") -> tuple[subprocess.Popen, Path]:
    ready, release = tmp_path / "ready", tmp_path / "release"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "orchestration")}
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path), str(ready), str(release), kind], env=env)
    while not ready.exists():
        assert proc.poll() is None, "the holder exited before taking the lock"
        time.sleep(0.02)
    return proc, release


def test_a_second_holder_is_refused_and_told_who_holds_it(tmp_path):
    proc, release = _holder(tmp_path)
    try:
        with pytest.raises(WarehouseBusy) as refused:
            with warehouse_lock(tmp_path, "second"):
                pass
        assert refused.value.holder["pid"] == proc.pid
        assert f"pid {proc.pid}" in str(refused.value) and "test holder" in str(refused.value)
        assert is_locked(tmp_path)["pid"] == proc.pid
    finally:
        release.touch()
        proc.wait()
    assert is_locked(tmp_path) is None
    with warehouse_lock(tmp_path, "after"):
        assert read_holder(tmp_path / ".creditwh.lock")["pid"] == os.getpid()


def test_waiting_gets_the_lock_when_the_holder_is_done(tmp_path):
    proc, release = _holder(tmp_path)
    waited = []

    def on_wait(holder):
        waited.append(holder["pid"])
        release.touch()  # the holder finishes while we wait

    with warehouse_lock(tmp_path, "waiter", wait=True, on_wait=on_wait):
        assert proc.wait() == 0
    assert waited == [proc.pid]


def test_a_holder_killed_with_sigkill_leaves_no_stale_lock(tmp_path):
    proc, _ = _holder(tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert is_locked(tmp_path) is None
    with warehouse_lock(tmp_path, "next run"):
        pass


def test_the_lock_is_reentrant_within_a_process(tmp_path):
    with warehouse_lock(tmp_path, "run"):
        with warehouse_lock(tmp_path, "a step of the run"):
            assert read_holder(tmp_path / ".creditwh.lock")["command"] == "run"
        assert read_holder(tmp_path / ".creditwh.lock")["command"] == "run"


def test_a_run_waits_for_a_lookup_instead_of_being_refused(tmp_path):
    """A look-up holds the warehouse for a moment: a run that starts then must not fail."""
    proc, release = _holder(tmp_path, kind="lookup")
    waited = []

    def on_wait(holder):
        waited.append((holder["pid"], holder["kind"]))
        release.touch()  # the look-up finishes while the run waits

    with warehouse_lock(tmp_path, "run", wait=False, on_wait=on_wait):
        assert proc.wait() == 0
        assert read_holder(tmp_path / ".creditwh.lock")["kind"] == "run"
    assert waited == [(proc.pid, "lookup")]


def test_a_lookup_is_refused_by_a_run_unless_it_waits(tmp_path):
    proc, release = _holder(tmp_path, kind="run")
    try:
        with pytest.raises(WarehouseBusy):
            with warehouse_lock(tmp_path, "creditwh profile", kind="lookup"):
                pass
    finally:
        release.touch()
        proc.wait()
