"""The bulletin as one standalone, printable HTML page (creditwh.render.html), its trend a small inline
SVG chart per measure for the region as a whole, the target dashed."""

from __future__ import annotations

from html import escape
from pathlib import Path

from markupsafe import Markup

from creditwh.bulletin.build import Bulletin
from creditwh.bulletin.sections import RATES, REALTIME, TREND, notes, sections, title, trend_measures
from creditwh.render import plain
from creditwh.render.html import render_page

RATE_KEYS = {c.key for c in [*RATES, REALTIME]}
LINE, TARGET = "#1f4e79", "#c00000"


def write_html(bulletin: Bulletin, out: Path) -> None:
    (_, heading), *rest = notes(bulletin)
    months = bulletin.trend["month"].tolist()
    charts = [small_chart(name, months, [plain(v) for v in bulletin.trend[column]], target, column in RATE_KEYS)
              for column, name, target in trend_measures(bulletin)]
    page = render_page("bulletin.html.j2", title=heading or title(bulletin), notes=rest,
                       sections=sections(bulletin), charts={TREND: charts})
    out.write_text(page, encoding="utf-8")


def small_chart(name: str, months: list[str], values: list, target: float | None, is_rate: bool) -> Markup:
    """One measure over the months: a line (a month without a value leaves a gap), its target dashed,
    the last value written at the line's end."""
    width, height, left, right, top, bottom = 300, 170, 40, 44, 26, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for v in values if v is not None]
    top_value = 1.0 if is_rate else max([*known, target or 0, 1])

    def x(i: int) -> float:
        return left + plot_w * i / max(len(months) - 1, 1)

    def y(value: float) -> float:
        return top + plot_h * (1 - value / top_value)

    def shown(value) -> str:
        return f"{value:.1%}" if is_rate else f"{value:g}"

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(name)}" font-size="10">',
           f'<text x="{left}" y="14" font-size="12" font-weight="bold">{escape(name)}</text>']
    for step in (0, 0.5, 1):
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(step * top_value):.1f}" y2="{y(step * top_value):.1f}" '
                   f'stroke="#ddd"/><text x="{left - 4}" y="{y(step * top_value) + 3:.1f}" text-anchor="end">'
                   f'{shown(step * top_value) if is_rate else f"{step * top_value:.0f}"}</text>')
    for i in (0, len(months) - 1):
        out.append(f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle">{escape(months[i])}</text>')
    if target is not None:
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
                   f'stroke="{TARGET}" stroke-dasharray="4 3"/><text x="{left + plot_w + 3}" y="{y(target) + 3:.1f}" '
                   f'fill="{TARGET}">目标</text>')
    segment: list[str] = []
    for i, value in enumerate([*values, None]):
        if value is not None:
            segment.append(f"{x(i):.1f},{y(value):.1f}")
            out.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="2.5" fill="{LINE}">'
                       f'<title>{escape(months[i])} {escape(name)} {shown(value)}</title></circle>')
        elif segment:
            out.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{LINE}" stroke-width="2"/>')
            segment = []
    if values and values[-1] is not None:
        out.append(f'<text x="{x(len(months) - 1):.1f}" y="{y(values[-1]) - 6:.1f}" text-anchor="middle" '
                   f'font-weight="bold" fill="{LINE}">{shown(values[-1])}</text>')
    out.append("</svg>")
    return Markup("".join(out))
