"""What `creditwh run` shows while it works: one line per phase (updated in place on a terminal,
printed once it ends otherwise), everything dbt and Dagster say in the run's log file (and on
the terminal too with -v). Presentation only: no business rule lives here."""

from __future__ import annotations

import logging
import re
import sys
import time
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from creditwh import progress

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
UNITS = {"landing": "files", "publication": "steps"}  # else gates, or dbt models


def run_log_path(warehouse_dir: Path, now: datetime | None = None) -> Path:
    """``<warehouse dir>/logs/run-<local time>.log``: one file per run, kept beside the warehouse."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path, n = warehouse_dir / "logs" / f"run-{stamp}.log", 1
    while path.exists():  # two runs in one second (a refused or failed one): neither overwrites
        n += 1
        path = path.with_name(f"run-{stamp}-{n}.log")
    return path


class _LogStream:
    """A text stream into the log file, colour codes stripped, echoed to ``echo`` when given (-v)."""

    def __init__(self, file: TextIO, echo: TextIO | None):
        self.file, self.echo = file, echo

    def write(self, text: str) -> int:
        self.file.write(ANSI_ESCAPE.sub("", text))
        if self.echo is not None:
            self.echo.write(text)
        return len(text)

    def flush(self) -> None:
        self.file.flush()
        if self.echo is not None:
            self.echo.flush()

    def isatty(self) -> bool:  # Dagster's console logger colours a terminal only
        return False


@contextmanager
def logs_to_file(path: Path, verbose: bool):
    """Everything the run prints (dbt's lines, Dagster's console logger, warnings) goes to ``path``,
    and with ``verbose`` to the terminal as well, once: Dagster's own loggers do not also
    propagate to the root logger's handler."""
    path.parent.mkdir(parents=True, exist_ok=True)
    dagster_logger = logging.getLogger("dagster")
    with path.open("w", encoding="utf-8") as file:
        stream = _LogStream(file, sys.__stdout__ if verbose else None)
        propagated, dagster_logger.propagate = dagster_logger.propagate, False
        try:
            with redirect_stdout(stream), redirect_stderr(stream):
                yield
        finally:
            dagster_logger.propagate = propagated


@dataclass
class _Phase:
    name: str
    started: float = field(default_factory=time.monotonic)
    done: int = 0
    total: int = 0
    bytes_done: int | None = None
    ended: float | None = None
    shown: bool = False

    def line(self) -> str:
        elapsed = (self.ended or time.monotonic()) - self.started
        unit = UNITS.get(self.name, "gates" if self.name.startswith("gates") else "models")
        unit = unit.removesuffix("s") if self.total == 1 else unit
        text = f"  {self.name:<17} {self.done} of {self.total} {unit}"
        if self.bytes_done:
            text += f", {self.bytes_done / 1e6:.1f} MB at {self.bytes_done / 1e6 / max(elapsed, 1e-3):.1f} MB/s"
        return f"{text}  ({elapsed:.1f}s)"


class PhaseProgress(logging.Handler):
    """Renders the reports of creditwh.progress: on a terminal, the current phase's line is redrawn
    in place; elsewhere (or with -v, where log lines interleave) each phase prints one line when it
    completes, and an unfinished one when the run ends."""

    def __init__(self, out: TextIO, live: bool):
        super().__init__()
        self.out, self.live = out, live
        self.phases: dict[str, _Phase] = {}
        self.current: _Phase | None = None
        self.drawn = 0  # the width of the line being redrawn on the terminal

    def emit(self, record: logging.LogRecord) -> None:
        phase = self.phases.get(record.phase)
        if phase is not None and phase.shown and (record.done, record.total) == (phase.done, phase.total):
            return  # already shown complete (landing's last report counts the files it did not read)
        if phase is None or phase.shown:
            phase = self.phases[record.phase] = _Phase(record.phase)
        if self.current is not None and self.current is not phase:
            self._show(self.current)
        self.current = phase
        phase.done, phase.total = record.done, record.total
        if record.bytes_done is not None:
            phase.bytes_done = record.bytes_done
        phase.ended = time.monotonic()
        if phase.done >= phase.total:
            self._show(phase)
        elif self.live:
            self._draw(phase.line())

    def _show(self, phase: _Phase) -> None:
        if not phase.shown:
            phase.shown = True
            if self.live:
                self._draw(phase.line(), end="\n")
            else:
                self.out.write(phase.line() + "\n")
                self.out.flush()

    def _draw(self, line: str, end: str = "") -> None:
        """Redraw the terminal's current line, blanking what a longer line before it left."""
        self.out.write("\r" + line.ljust(self.drawn) + end)
        self.drawn = 0 if end else len(line)
        self.out.flush()

    def close(self) -> None:
        for phase in self.phases.values():
            self._show(phase)
        super().close()


@contextmanager
def phase_progress(verbose: bool):
    """Show the run's phases on the real stdout while the run's own output goes to its log file."""
    out = sys.stdout
    handler = PhaseProgress(out, live=out.isatty() and not verbose)
    progress.LOGGER.addHandler(handler)
    try:
        yield handler
    finally:
        progress.LOGGER.removeHandler(handler)
        handler.close()
