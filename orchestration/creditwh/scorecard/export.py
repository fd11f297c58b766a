"""Write a Scorecard to .xlsx, .csv or .html, chosen by the file's suffix."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from creditwh.scorecard.build import Scorecard, ScorecardError
from creditwh.scorecard.html import write_html
from creditwh.scorecard.sections import notes, sections, text
from creditwh.scorecard.xlsx import write_xlsx

# A cell Excel would read as a formula or a DDE call (OWASP "CSV injection").
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value, shown: str) -> str:
    """``shown`` (the text of ``value``) safe to open in a spreadsheet: text that starts like a
    formula gets a leading apostrophe, so it stays text; numbers stay numbers."""
    if isinstance(value, (int, float, Decimal)) or not shown.startswith(FORMULA_LEADS):
        return shown
    return "'" + shown


def write_csv(scorecard: Scorecard, out: Path) -> None:
    """One file, sections 【…】 apart by a blank line; UTF-8 with BOM so Excel reads the Chinese."""
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["【说明】"])
        writer.writerows([csv_cell(label, label), csv_cell(value, value)] for label, value in notes(scorecard))
        for section in sections(scorecard):
            writer.writerow([])
            writer.writerow([f"【{section.title}】"])
            writer.writerow([csv_cell(c.heading, c.heading) for c in section.columns])
            writer.writerows([csv_cell(v, text(v, c.kind)) for v, c in zip(row, section.columns)]
                             for row in section.rows())


WRITERS = {".xlsx": write_xlsx, ".csv": write_csv, ".html": write_html}


def write_scorecard(scorecard: Scorecard, out: Path) -> Path:
    """Write the file (its folder is created) and return its path.

    Written beside the target first and then renamed, so a failed export never leaves a
    half-written scorecard where an evaluator would open it.
    """
    out = Path(out)
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        raise ScorecardError(
            f"cannot write a scorecard to {out.name!r}: the file name must end in .xlsx, .csv or .html"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.stem}.partial{out.suffix}")
    try:
        writer(scorecard, partial)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return out
