"""A document as one CSV file: 【说明】 and its notes, then each section 【…】, a blank line apart."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from creditwh.render.table import Section

# A cell Excel would read as a formula or a DDE call (OWASP "CSV injection").
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value, shown: str) -> str:
    """``shown`` (the text of ``value``) safe to open in a spreadsheet: text that starts like a
    formula gets a leading apostrophe, so it stays text; numbers stay numbers."""
    if isinstance(value, (int, float, Decimal)) or not shown.startswith(FORMULA_LEADS):
        return shown
    return "'" + shown


def write_csv(out: Path, notes: list[tuple[str, str]], sections: list[Section]) -> None:
    """UTF-8 with BOM, so Excel reads the Chinese."""
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["【说明】"])
        writer.writerows([csv_cell(label, label), csv_cell(value, value)] for label, value in notes)
        for section in sections:
            writer.writerow([])
            writer.writerow([f"【{section.title}】"])
            for table in section.tables:
                writer.writerow([csv_cell(heading, heading) for heading in table.headings])
                writer.writerows([csv_cell(value, table.cell_text(value, column))
                                  for value, column in zip(row, table.columns)] for row in table.rows + table.totals)
