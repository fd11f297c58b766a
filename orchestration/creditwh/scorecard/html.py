"""The scorecard as one standalone, printable HTML page (creditwh.render.html), its trend an inline SVG chart."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

from markupsafe import Markup

from creditwh.render import plain
from creditwh.render.html import render_page
from creditwh.scorecard.build import Scorecard
from creditwh.scorecard.sections import TREND, notes, sections

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


def write_html(scorecard: Scorecard, out: Path) -> None:
    (_, heading), *rest = notes(scorecard)
    page = render_page("scorecard.html.j2", title=heading, notes=rest, sections=sections(scorecard),
                       charts={TREND: trend_svg(scorecard)})
    out.write_text(page, encoding="utf-8")


def trend_svg(scorecard: Scorecard) -> Markup:
    """及时率 by month, one line per department; a month without records leaves a gap."""
    months = scorecard.months
    trend = scorecard.monthly_trend
    series = [
        (plain(name) or code, [plain(v) for v in group.set_index("month").reindex(months)["timeliness_rate"]])
        for (code, name), group in trend.groupby(["source_dept_code", "source_dept_name"], sort=False, dropna=False)
    ]
    width, left, right, top, plot_h = 760, 56, 24, 40, 220
    legend_cols, legend_h = 3, 20
    plot_w = width - left - right
    height = top + plot_h + 40 + math.ceil(len(series) / legend_cols) * legend_h

    def x(i: int) -> float:
        return left + plot_w * (i + 0.5) / len(months)

    def y(rate: float) -> float:
        return top + plot_h * (1 - rate)

    label = f"{scorecard.quarter} 各部门月度及时率"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="{escape(label)}" font-size="12">',
           f'<text x="{width / 2:.0f}" y="20" text-anchor="middle" font-size="14" font-weight="bold">'
           f'{escape(label)}</text>']
    for step in range(6):
        rate = step / 5
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(rate):.1f}" y2="{y(rate):.1f}" stroke="#ddd"/>'
                   f'<text x="{left - 6}" y="{y(rate) + 4:.1f}" text-anchor="end">{rate:.0%}</text>')
    for i, month in enumerate(months):
        out.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 18}" text-anchor="middle">{escape(month)}</text>')
    for k, (name, rates) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        dash = ' stroke-dasharray="6 3"' if k >= len(PALETTE) else ""  # past ten colours, tell lines apart
        segment: list[str] = []
        for i, rate in enumerate([*rates, None]):
            if rate is not None:
                segment.append(f"{x(i):.1f},{y(rate):.1f}")
                out.append(f'<circle cx="{x(i):.1f}" cy="{y(rate):.1f}" r="3" fill="{colour}">'
                           f'<title>{escape(name)} {escape(months[i])} 及时率 {rate:.1%}</title></circle>')
            elif segment:
                out.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                           f'stroke-width="2"{dash}/>')
                segment = []
        lx = left + (k % legend_cols) * (plot_w / legend_cols)
        ly = top + plot_h + 40 + (k // legend_cols) * legend_h
        out.append(f'<line x1="{lx:.1f}" x2="{lx + 24:.1f}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" '
                   f'stroke-width="2"{dash}/><text x="{lx + 30:.1f}" y="{ly}">{escape(name)}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))
