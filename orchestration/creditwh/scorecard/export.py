"""Write a Scorecard to .xlsx, .csv or .html, chosen by the file's suffix."""

from __future__ import annotations

from pathlib import Path

from creditwh.render import write_by_suffix
from creditwh.render.csv import write_csv as write_document_csv
from creditwh.scorecard.build import Scorecard, ScorecardError
from creditwh.scorecard.html import write_html
from creditwh.scorecard.sections import notes, sections
from creditwh.scorecard.xlsx import write_xlsx


def write_csv(scorecard: Scorecard, out: Path) -> None:
    write_document_csv(out, notes(scorecard), sections(scorecard))


WRITERS = {".xlsx": write_xlsx, ".csv": write_csv, ".html": write_html}


def write_scorecard(scorecard: Scorecard, out: Path) -> Path:
    """Write the file (its folder is created) and return its path; a failed export never leaves a
    half-written scorecard where an evaluator would open it."""
    return write_by_suffix(
        out, {suffix: lambda partial, write=write: write(scorecard, partial) for suffix, write in WRITERS.items()},
        lambda taken: ScorecardError(f"cannot write a scorecard to {Path(out).name!r}: the file name must end in {taken}"),
    )
