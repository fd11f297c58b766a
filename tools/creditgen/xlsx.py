"""Reproducible XLSX workbooks (departments also deliver Excel files)."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Sequence

_FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
_ISO_DT = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$")


def write_xlsx(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
               date_columns: Iterable[str] = (), sheet_title: str = "Sheet1",
               extra_sheets: dict[str, list[list[Any]]] | None = None) -> None:
    """Write an XLSX workbook: the header in row 1 of the first worksheet, then the rows.

    ``date``/``datetime`` values become real Excel date cells (yyyy-mm-dd, or with time);
    so do ISO strings in ``date_columns``. Other values are written as they are (strings
    stay text cells). ``extra_sheets`` adds further worksheets after the first. The file
    is byte-for-byte reproducible (fixed document properties and zip timestamps).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    date_idx = {i for i, h in enumerate(header) if h in set(date_columns)}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title)
    ws.append(list(header))
    for row in rows:
        cells = []
        for j, v in enumerate(row):
            if j in date_idx and isinstance(v, str) and _ISO_DT.match(v):
                v = datetime.fromisoformat(v) if " " in v else date.fromisoformat(v)
            if isinstance(v, (date, datetime)):
                c = WriteOnlyCell(ws, value=v)
                c.number_format = "yyyy-mm-dd hh:mm:ss" if isinstance(v, datetime) else "yyyy-mm-dd"
                cells.append(c)
            else:
                cells.append(v)
        ws.append(cells)
    for title, srows in (extra_sheets or {}).items():
        ws2 = wb.create_sheet(title)
        for r in srows:
            ws2.append(list(r))
    fixed = datetime(2025, 1, 1)
    wb.properties.creator = "creditwh"
    wb.properties.created = fixed
    wb.save(path)
    # reproducible bytes: fixed dcterms:modified and zip entry times
    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>2025-01-01T00:00:00Z\g<2>", data)
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zout.writestr(zi, data)
