"""Small inline SVG line charts for the HTML pages: one measure over labelled periods, so that a chart
reads at a glance (a few of them side by side, not one chart with a line per unit)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 28, 42
LINE, TARGET = "#1f4e79", "#c00000"


def percent(value: float) -> str:
    return f"{value:.0%}"


def whole_number(value: float) -> str:
    return f"{value:,.0f}"


def small_line_svg(title: str, labels: Sequence[str], values: Sequence[float | None],
                   axis: Callable[[float], str] = percent, bounds: tuple[float, float | None] = (0, 1),
                   target: float | None = None) -> Markup:
    """One line over ``labels`` (a value None leaves a gap), points with their value as a tooltip,
    five grid lines between ``bounds`` (the top None: the largest value), a dashed ``target`` line."""
    low, high = bounds
    present = [v for v in values if v is not None]
    high = high if high is not None else max([*present, low + 1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + plot_w * (i + 0.5) / max(len(labels), 1)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / ((high - low) or 1))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
           f'height="{HEIGHT}" role="img" aria-label="{escape(title)}" font-size="10">',
           f'<text x="{WIDTH / 2:.0f}" y="16" text-anchor="middle" font-size="12" font-weight="bold">'
           f'{escape(title)}</text>']
    for step in range(5):
        value = low + (high - low) * step / 4
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#ddd"/>'
                   f'<text x="{LEFT - 4}" y="{y(value) + 3:.1f}" text-anchor="end">{escape(axis(value))}</text>')
    for i, text in enumerate(labels):
        out.append(f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="end" '
                   f'transform="rotate(-45 {x(i):.1f} {HEIGHT - BOTTOM + 14})">{escape(text)}</text>')
    if target is not None:
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
                   f'stroke="{TARGET}" stroke-dasharray="5 3"><title>目标 {escape(axis(target))}</title></line>')
    out.extend(_line(labels, values, x, y, axis))
    out.append("</svg>")
    return Markup("\n".join(out))


def _line(labels, values, x, y, axis) -> list[str]:
    """Polylines through the runs of present values, and a dot with a tooltip at each."""
    out, segment = [], []
    for i, value in enumerate([*values, None]):
        if value is not None:
            segment.append(f"{x(i):.1f},{y(value):.1f}")
            out.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="2.5" fill="{LINE}">'
                       f'<title>{escape(labels[i])} {escape(axis(value))}</title></circle>')
        elif segment:
            out.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{LINE}" stroke-width="2"/>')
            segment = []
    return out
