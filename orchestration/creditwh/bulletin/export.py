"""Write a Bulletin to .xlsx, .csv or .html, chosen by the file's suffix."""

from __future__ import annotations

from pathlib import Path

from creditwh.bulletin.build import Bulletin, BulletinError
from creditwh.bulletin.html import write_html
from creditwh.bulletin.sections import notes, sections
from creditwh.bulletin.xlsx import write_xlsx
from creditwh.render import write_by_suffix
from creditwh.render.csv import write_csv as write_document_csv

SUFFIXES = (".xlsx", ".html", ".csv")


def write_csv(bulletin: Bulletin, out: Path) -> None:
    write_document_csv(out, notes(bulletin), sections(bulletin))


WRITERS = {".xlsx": write_xlsx, ".csv": write_csv, ".html": write_html}


def write_bulletin(bulletin: Bulletin, out: Path) -> Path:
    """Write the file (its folder is created) and return its path; a failed export never leaves a
    half-written bulletin where a department would open it."""
    return write_by_suffix(
        out, {suffix: lambda partial, write=write: write(bulletin, partial) for suffix, write in WRITERS.items()},
        lambda taken: BulletinError(f"cannot write a bulletin to {Path(out).name!r}: the file name must end in {taken}"),
    )
