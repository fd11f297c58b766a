"""Files written beside their target and renamed onto it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path


def write_atomically(out: Path, write: Callable[[Path], None]) -> Path:
    """``write`` a file beside ``out``, then rename it: a failed write never leaves half a report or
    scorecard where a reader would open it. The partial file keeps the suffix its writer may look at."""
    out = Path(out)
    partial = out.with_name(f".{out.stem}.partial{out.suffix}")
    try:
        write(partial)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def write_by_suffix(out: Path, writers: Mapping[str, Callable[[Path], None]], refuse: Callable[[str], Exception]) -> Path:
    """Write ``out`` (its folder created) with the writer its suffix names, atomically; an unknown suffix
    raises ``refuse('.xlsx, .csv or .html')`` (the suffixes it takes) before anything is written."""
    out = Path(out)
    writer = writers.get(out.suffix.lower())
    if writer is None:
        *others, last = writers
        raise refuse(f"{', '.join(others)} or {last}" if others else last)
    out.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(out, writer)
