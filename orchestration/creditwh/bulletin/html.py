"""The bulletin as one standalone, printable HTML page (creditwh.render.html), its trend a small inline
SVG chart per measure for the region as a whole (creditwh.render.svg), the target dashed."""

from __future__ import annotations

from pathlib import Path

from creditwh.bulletin.build import Bulletin
from creditwh.bulletin.sections import RATES, REALTIME, TREND, notes, sections, trend_measures
from creditwh.render import plain
from creditwh.render.html import render_page
from creditwh.render.svg import small_line_svg, whole_number

RATE_KEYS = {c.key for c in [*RATES, REALTIME]}


def write_html(bulletin: Bulletin, out: Path) -> None:
    (_, heading), *rest = notes(bulletin)
    months = bulletin.trend["month"].tolist()
    charts = [
        small_line_svg(name, months, [plain(v) for v in bulletin.trend[column]], target=target,
                       **({} if column in RATE_KEYS else {"axis": whole_number, "bounds": (0, None)}))
        for column, name, target in trend_measures(bulletin)
    ]
    page = render_page("bulletin.html.j2", title=heading, notes=rest, sections=sections(bulletin),
                       charts={TREND: charts})
    out.write_text(page, encoding="utf-8")
