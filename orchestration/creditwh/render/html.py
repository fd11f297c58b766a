"""Standalone, printable HTML pages (lang zh-CN, inline CSS, no script) from the templates beside."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from creditwh.render.table import DATE, DOC_NO, NUMERIC, Column

TEMPLATES = Path(__file__).parent / "templates"
# numbers right-aligned, dates and document numbers on one line
CELL_CLASSES = {**dict.fromkeys(NUMERIC, "num"), DATE: "nowrap", DOC_NO: "nowrap"}


def cell_class(column: Column) -> str:
    return CELL_CLASSES.get(column.kind, "")


@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    env.globals["cell_class"] = cell_class
    return env


def render_page(template: str, **context) -> str:
    return _environment().get_template(template).render(**context)
