"""The report as one standalone, printable HTML page (creditwh.render.html)."""

from __future__ import annotations

from pathlib import Path

from creditwh.render import write_atomically
from creditwh.render.html import render_page
from creditwh.report.load import EntityReport, NotFoundReport
from creditwh.report.sections import header, sections


def render_html(report: EntityReport | NotFoundReport) -> str:
    title, facts = header(report)
    return render_page("entity_report.html.j2", title=title, facts=facts, sections=sections(report),
                       public=report.public, as_of=report.as_of.isoformat() if report.as_of else "—",
                       entity_code=report.entity_code, report_no=report.report_no, found=report.found)


def write_report_html(report: EntityReport | NotFoundReport, out: Path) -> Path:
    return write_atomically(out, lambda partial: partial.write_text(render_html(report), encoding="utf-8"))
