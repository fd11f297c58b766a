"""Files written beside their target and renamed onto it."""

from __future__ import annotations

from collections.abc import Callable
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
