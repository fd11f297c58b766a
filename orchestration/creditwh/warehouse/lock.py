"""One run at a time: an exclusive ``flock`` on ``<warehouse dir>/.creditwh.lock``.

DuckDB allows one writer, and two rebuilds interleaving their steps would mix two states of
the warehouse. ``creditwh run`` and ``creditwh publish`` hold the lock for their whole
length; the Dagster steps that write (landing, dbt, publication) take it for their own
length, so a run launched from the UI and one from the command line never write at once.

The kernel releases a ``flock`` when its holder dies, SIGKILL included: a killed run never
leaves a stale lock behind. The lock file itself stays; it says who holds it (pid, command,
start time) so that a refused run can name the holder.

Within one process the lock is re-entrant: ``creditwh run`` holds it, and the steps it
executes in process take it again without blocking on themselves.

Look-ups (``creditwh report``, ``profile``, ``scorecard``) take it too, as ``kind="lookup"``, for
the moment they read the live warehouse and write the query register. Whoever finds a look-up
holding the lock waits for it instead of being refused: a look-up is short, and a run must not
fail because a clerk looked an entity up just as it started.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from creditwh.warehouse.settings import CHINA_TZ

LOCK_NAME = ".creditwh.lock"
EXIT_BUSY = 3  # the exit code of a command refused because a run holds the warehouse
RUN, LOOKUP = "run", "lookup"  # what a holder is doing: a look-up holds the lock only briefly
HOLDER_SETTLE_SECONDS = 2.0  # a holder writes who it is right after taking the lock


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse lock."""

    def __init__(self, lock_path: Path, holder: dict | None):
        self.lock_path = lock_path
        self.holder = holder or {}
        super().__init__(f"another creditwh process holds the warehouse lock {lock_path}: {describe_holder(holder)}")


def lock_path_for(warehouse_dir: Path) -> Path:
    return Path(warehouse_dir) / LOCK_NAME


def describe_holder(holder: dict | None) -> str:
    if not holder:
        return "holder unknown (it has only just taken the lock)"
    alive = _pid_alive(holder.get("pid"))
    return (
        f"pid {holder.get('pid')} on {holder.get('host', '?')}, `{holder.get('command', '?')}`, "
        f"started {holder.get('started_at', '?')}"
        + ("" if alive else " (that process has exited; a child of it, e.g. dbt, is still finishing)")
    )


def _pid_alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, TypeError, ValueError):
        return False
    except PermissionError:
        return True
    return True


def read_holder(lock_path: Path) -> dict | None:
    try:
        text = Path(lock_path).read_text(encoding="utf-8").strip()
        return json.loads(text) if text else None
    except (OSError, ValueError):
        return None


@dataclass
class _Held:
    fd: int
    depth: int


_HELD: dict[Path, _Held] = {}


def is_brief(holder: dict | None) -> bool:
    """A look-up holds the lock: it is worth waiting for, whatever the caller asked."""
    return bool(holder) and holder.get("kind") == LOOKUP


def _acquire(fd: int, path: Path, wait: bool, on_wait) -> None:
    """Take the lock on ``fd``: at once if free, after the holder when it is a look-up (or ``wait``),
    else WarehouseBusy. A holder that has only just taken (or is just releasing) the lock has not
    said who it is: it is given a moment."""
    deadline = time.monotonic() + HOLDER_SETTLE_SECONDS
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            holder = read_holder(path)
        if not holder and time.monotonic() < deadline:
            time.sleep(0.02)
            continue
        if not (wait or is_brief(holder)):
            raise WarehouseBusy(path, holder)
        if on_wait is not None:
            on_wait(holder)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return


@contextmanager
def warehouse_lock(warehouse_dir: Path, command: str, wait: bool = False, on_wait=None, kind: str = RUN):
    """Hold the warehouse lock for the block; raise WarehouseBusy (or, with wait, block).

    A look-up holding it is always waited for (``is_brief``). ``on_wait(holder)`` is called once
    before blocking, to tell the user who is waited for. ``kind``: RUN, or LOOKUP for a look-up.
    """
    path = lock_path_for(warehouse_dir).resolve()
    held = _HELD.get(path)
    if held is not None:  # this process already holds it
        held.depth += 1
        try:
            yield path
        finally:
            held.depth -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, wait, on_wait)
        _write_holder(fd, command, kind)
        _HELD[path] = _Held(fd, 1)
        try:
            yield path
        finally:
            del _HELD[path]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _write_holder(fd: int, command: str, kind: str) -> None:
    info = {
        "pid": os.getpid(),
        "kind": kind,
        "host": socket.gethostname(),
        "command": command,
        "argv": sys.argv,
        "started_at": datetime.now(CHINA_TZ).isoformat(timespec="seconds"),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info, ensure_ascii=False).encode("utf-8"), 0)


def is_locked(warehouse_dir: Path) -> dict | None:
    """The holder's description when another process holds the lock, else None (a probe)."""
    path = lock_path_for(warehouse_dir).resolve()
    if path in _HELD or not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return read_holder(path) or {}
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
