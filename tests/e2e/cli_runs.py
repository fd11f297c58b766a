"""`creditwh` as a real process, as an operator or a scheduler starts it: for the tests that
kill runs, run two at once, or read the publication while a run rebuilds it."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from creditwh.warehouse.settings import REPO_ROOT

PATIENCE = 900  # seconds: a ceiling for a machine under load, never a timing assertion


def cli_env(raw_dir: Path, warehouse: Path, as_of: str = "2026-03-31") -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT / "orchestration"), os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",
        "CREDIT_RAW_DIR": str(raw_dir),
        "CREDIT_WAREHOUSE": str(warehouse),
        "CREDIT_AS_OF": as_of,
        "CREDIT_PII_KEY": "test-secret-key",
    }


class CliProcess:
    """A `python -m creditwh.cli ...` process whose output is collected line by line."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.args = args
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "creditwh.cli", *args], env=env, cwd=REPO_ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace",
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def _drain(self) -> bool:
        """Collect what was printed; False once the output has ended."""
        while True:
            try:
                line = self._queue.get_nowait()
            except queue.Empty:
                return True
            if line is None:
                return False
            self.lines.append(line)

    @property
    def output(self) -> str:
        self._drain()
        return "\n".join(line for line in self.lines if "nanobind" not in line and "leaked " not in line)

    def running(self) -> bool:
        return self.proc.poll() is None

    def wait_for(self, condition, what: str, patience: float = PATIENCE, interval: float = 0.05) -> None:
        """Poll until condition() holds while the process still runs; fail if it ends first."""
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            self._drain()
            if condition():
                return
            if not self.running():
                self._drain()
                raise AssertionError(f"`creditwh {' '.join(self.args)}` ended before {what}:\n{self.output[-4000:]}")
            time.sleep(interval)
        raise AssertionError(f"no {what} within {patience}s:\n{self.output[-4000:]}")

    def saw(self, text: str) -> bool:
        self._drain()
        return any(text in line for line in self.lines)

    def kill(self) -> None:
        assert self.running(), "the run had already ended: nothing was interrupted"
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def finish(self, patience: float = PATIENCE) -> int:
        code = self.proc.wait(timeout=patience)
        while self._drain():
            time.sleep(0.01)
        return code


def penalties(first: int, n: int) -> list[list[str]]:
    """n penalties of COMPANY_A, numbered from ``first``, decided 2025-09-26 and submitted in time."""
    from .helpers import penalty_row

    return [penalty_row(f"济市监罚〔2025〕{i}号", decided="2025-09-26", submitted="2025-10-10 09:30")
            for i in range(first, first + n)]


def built_by_cli(tmp_path_factory, name: str, penalty_count: int) -> tuple[Path, Path]:
    """(raw dir, warehouse) after a `creditwh run` of the registry and ``penalty_count`` penalties."""
    from .helpers import PENALTY_HEADER, REGISTRY_HEADER, registry_rows, write_csv

    raw = tmp_path_factory.mktemp(f"{name}_raw")
    write_csv(raw / "registry" / "2025-07.csv", REGISTRY_HEADER, registry_rows())
    write_csv(raw / "penalty" / "2025-10.csv", PENALTY_HEADER, penalties(1, penalty_count))
    warehouse = tmp_path_factory.mktemp(f"{name}_wh") / "credit.duckdb"
    run = CliProcess(["run", "--log-level", "WARNING"], cli_env(raw, warehouse))
    assert run.finish() == 0, run.output[-4000:]
    return raw, warehouse


def copy_of_build(build: tuple[Path, Path], tmp_path_factory, name: str) -> tuple[Path, Path]:
    """(raw dir, warehouse) of a copy of a build's raw folder and warehouse folder (its publication,
    Dagster home and logs too), for a module that runs on it again: the shared build stays as built."""
    raw, warehouse = build
    raw_copy = tmp_path_factory.mktemp(f"{name}_raw")
    shutil.copytree(raw, raw_copy, dirs_exist_ok=True)
    folder = tmp_path_factory.mktemp(f"{name}_wh")
    shutil.copytree(warehouse.parent, folder, symlinks=True, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".creditwh.lock"))  # no copied lock holder
    return raw_copy, folder / warehouse.name


ANSI_ESCAPE = re.compile(r"\x1b\[")
MAX_RUN_LINES = 40  # issue 19: `./dev run` on raw_samples, stdout not a terminal, summary included


def assert_quiet_run_on_samples(run: CliProcess, warehouse: Path) -> None:
    """A finished default `creditwh run` of raw_samples/ whose stdout was a pipe: a short header, one
    line per phase and the summary; dbt's and Dagster's output in the run's log file, once and
    without colour codes; every rejected file named with its reason."""
    from .helpers import query

    lines = run.lines
    assert len(lines) <= MAX_RUN_LINES, f"{len(lines)} lines:\n" + "\n".join(lines)
    assert not [line for line in lines if ANSI_ESCAPE.search(line)]
    assert [line for line in lines if lines.count(line) > 1] == []
    assert not [line for line in lines if "resource_tracker" in line or "leaked" in line]
    assert not [line for line in lines if "START sql" in line or "dagster - INFO" in line]
    log_path = Path(next(line for line in lines if line.startswith("  log: ")).removeprefix("  log: "))
    assert log_path.parent == warehouse.parent / "logs"
    log = log_path.read_text(encoding="utf-8")
    assert "OK created sql table model marts." in log and "Finished dbt command" in log
    assert not ANSI_ESCAPE.search(log)
    rejected = query(warehouse, "select file_path, reason from audit.extract_files where status = 'rejected'")
    assert rejected
    for path, reason in rejected:
        assert f"    rejected {path}: {reason}" in lines
    for phase in ("landing", "dbt staging", "gates staging", "dbt downstream", "dbt public", "publication"):
        assert any(line.startswith(f"  {phase} ") for line in lines), phase
