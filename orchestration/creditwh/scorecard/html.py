"""The scorecard as one standalone, printable HTML page (creditwh.render.html), the selection's
twelve-month trend as small inline SVG charts, one per measure."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from creditwh.render import plain
from creditwh.render.html import render_page
from creditwh.render.svg import percent, small_line_svg, whole_number
from creditwh.scorecard.build import Scorecard
from creditwh.scorecard.sections import TREND_CHARTS, WHOLE_TREND, notes, sections, whole_name


def write_html(scorecard: Scorecard, out: Path) -> None:
    (_, heading), *rest = notes(scorecard)
    page = render_page("scorecard.html.j2", title=heading, notes=rest, sections=sections(scorecard),
                       charts={WHOLE_TREND: trend_charts(scorecard)})
    out.write_text(page, encoding="utf-8")


def trend_charts(scorecard: Scorecard) -> list[Markup]:
    """及时率, 合规率, 完整率 and 报送数量 of the selection as a whole, month by month."""
    trend, where = scorecard.trend, whole_name(scorecard)
    months = list(trend["month"])
    return [
        small_line_svg(f"{where} {measure}", months, [plain(v) for v in trend[column]],
                       axis=percent if y_format == "0%" else whole_number, bounds=bounds)
        for column, measure, y_format, bounds in TREND_CHARTS
    ]
