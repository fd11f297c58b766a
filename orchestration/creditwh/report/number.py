"""Report numbers (报告编号) and the digest of a report's content, by which a reader confirms a report.

A number is ``CR-<issue date>-<8 characters>``: the characters are drawn from a cryptographic source
over Crockford's base-32 alphabet (no I, L, O, U: nothing a reader can misread), 40 bits a day, so a
number cannot be guessed from another. It is registered in audit.query_log with the report's entity,
version, as-of date and the digest of its content; ``creditwh report --verify NUMBER`` reads it back.

The digest covers what the report says (title, the facts about the entity, every section) and not
who printed it when: the warehouse, asked again for the same entity as of the same date, gives the
same digest unless its data changed.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import date

from creditwh.render import Section
from creditwh.report import sections as document
from creditwh.report.load import EntityReport, NotFoundReport

NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32
NUMBER_PATTERN = re.compile(r"CR-(\d{8})-([0-9A-HJKMNP-TV-Z]{8})")
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})  # what a reader may type for 0 and 1


def new_report_no(issued_on: date) -> str:
    """A fresh number for a report issued on ``issued_on`` (China date)."""
    tail = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"CR-{issued_on:%Y%m%d}-{tail}"


def normalised_report_no(typed: str) -> str | None:
    """The number as registered (upper case, blanks removed, O/I/L read as 0/1); None when not shaped like one."""
    compact = "".join(typed.split()).upper()
    head, _, tail = compact.rpartition("-")
    candidate = f"{head}-{tail.translate(_READ_AS)}"
    return candidate if NUMBER_PATTERN.fullmatch(candidate) else None


def content_digest(title: str, facts: list[tuple[str, str]], sections: list[Section]) -> str:
    """SHA-256 of what the report says, as the reader sees it (labels and formatted values)."""
    content = [title, [list(fact) for fact in facts],
               [[s.title, [list(f) for f in s.facts], s.note, s.omitted,
                 [[t.caption, t.headings, t.texts()] for t in s.tables]] for s in sections]]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()


def report_digest(report: EntityReport | NotFoundReport) -> str:
    """The digest of a report's content: its number, time of printing and requester left out."""
    return content_digest(document.title(report), document.content_facts(report), document.sections(report))
