"""What a document shows, format aside: sections of facts and tables, and how one value reads as text.

Reports and scorecards build these; the writers (html, xlsx, csv) render them. A column's kind says
how its values are written, a column's code list (seeds/code_labels.csv) which label they show.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from creditwh.labels import label

if TYPE_CHECKING:
    import pandas as pd

# Column kinds. amount: a decimal as delivered (12.5, not 12.50); rate: a fraction shown to one decimal
# (93.8%), ratio: to a whole percent (5%); doc_no: text kept on one line; change: a signed difference
# against an earlier period, one decimal with ▲ (up) or ▼ (down) — a rate's change in percentage points.
TEXT, DOC_NO, DATE, AMOUNT, COUNT, SCORE, RATE, RATIO, FLAG, CHANGE = (
    "text", "doc_no", "date", "amount", "count", "score", "rate", "ratio", "flag", "change")
NUMERIC = {AMOUNT, COUNT, SCORE, RATE, RATIO, CHANGE}
EM_DASH = "—"  # a value the warehouse does not have, in a report


def _decimal(value) -> str:
    return f"{Decimal(str(value)).normalize():f}" if isinstance(value, (Decimal, float)) else str(value)


def _change(value) -> str:
    value = round(float(value), 1)
    return f"▲{value:.1f}" if value > 0 else f"▼{-value:.1f}" if value < 0 else "0.0"


FORMATS = {
    DATE: lambda v: v.isoformat() if isinstance(v, date) else str(v),
    AMOUNT: _decimal,
    SCORE: lambda v: f"{v:.1f}",
    RATE: lambda v: f"{float(v):.1%}",
    RATIO: lambda v: f"{float(v):.0%}",
    FLAG: lambda v: "是" if v else "否",
    CHANGE: _change,
}


def plain(value):
    """pandas/numpy scalars -> Python values; NA, NaN and NaT -> None."""
    # A pandas value exists only once pandas is loaded (a scorecard): a report never pays for importing it.
    pandas = sys.modules.get("pandas")
    if pandas is not None and (value is pandas.NA or value is pandas.NaT):
        return None
    if pandas is not None and isinstance(value, pandas.Timestamp):
        return value.date()
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def text(value, kind: str = TEXT, labels: str | None = None, missing: str = EM_DASH) -> str:
    """One value as text; a code of the code list ``labels`` as its label; None as ``missing``."""
    value = plain(value)
    if value is None:
        return missing
    if labels is not None:
        return label(labels, value)
    return FORMATS.get(kind, str)(value)


@dataclass(frozen=True)
class Column:
    key: str  # of the row (a dict's key, a DataFrame's column)
    heading: str
    kind: str = TEXT
    labels: str | None = None  # the code list (seeds/code_labels.csv) whose labels the values show


@dataclass(frozen=True)
class Table:
    columns: list[Column]
    rows: list[list]  # plain values, in column order
    caption: str | None = None
    marked: list[bool] = field(default_factory=list)  # rows to emphasise (decisive evidence, 需整改)
    missing: str = EM_DASH  # how a missing value reads
    totals: list[list] = field(default_factory=list)  # rows after the rows, in column order: 合计 lines, bold

    @classmethod
    def of_records(cls, records: Iterable[Mapping], columns: list[Column], **kwargs) -> Table:
        return cls(columns, [[plain(record[c.key]) for c in columns] for record in records], **kwargs)

    @classmethod
    def of_frame(cls, frame: pd.DataFrame, columns: list[Column], flag_column: str | None = None,
                 **kwargs) -> Table:
        """The frame's columns; rows where ``flag_column`` is true marked."""
        rows = [[plain(v) for v in row] for row in frame[[c.key for c in columns]].itertuples(index=False)]
        marked = [bool(plain(v)) for v in frame[flag_column]] if flag_column else []
        return cls(columns, rows, marked=marked, **kwargs)

    @property
    def headings(self) -> list[str]:
        return [c.heading for c in self.columns]

    def is_marked(self, row: int) -> bool:
        return row < len(self.marked) and self.marked[row]

    def texts(self) -> list[list[str]]:
        return [[self.cell_text(value, column) for value, column in zip(row, self.columns)] for row in self.rows]

    def total_texts(self) -> list[list[str]]:
        return [[self.cell_text(value, column) for value, column in zip(row, self.columns)] for row in self.totals]

    def cell_text(self, value, column: Column) -> str:
        return text(value, column.kind, column.labels, self.missing)


@dataclass(frozen=True)
class Section:
    title: str  # h2 (html), sheet name (xlsx), 【title】 (csv)
    facts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    note: str | None = None
    omitted: str | None = None  # why the section is left out (a report's public version)
