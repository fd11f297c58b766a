"""The report as one standalone, printable HTML page: lang zh-CN, inline CSS, no script."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from creditwh.report.load import EntityReport
from creditwh.report.sections import header, sections

TEMPLATES = Path(__file__).parent / "templates"


def render_html(report: EntityReport) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    title, facts = header(report)
    return env.get_template("entity_report.html.j2").render(
        title=title, facts=facts, sections=sections(report), public=report.public,
        as_of=report.as_of.isoformat(), entity_code=report.entity_code,
    )


def write_report_html(report: EntityReport, out: Path) -> Path:
    """Written beside the target and renamed: a failed write never leaves half a report."""
    out = Path(out)
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.write_text(render_html(report), encoding="utf-8")
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return out
