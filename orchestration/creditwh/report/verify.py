"""Confirm a report by its number (报告核验): was it issued, when, about whom, which version, as of when —
and does the warehouse, asked again, still say the same?

The issuance is read from audit.query_log, or from a register row still pending beside the warehouse
(a report printed while a run held it). Verifying is not a look-up of an entity: it is not logged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from creditwh.report.load import load_entity_report, not_found_report
from creditwh.report.lookup import pending_dir
from creditwh.report.number import report_digest
from creditwh.warehouse.settings import CHINA_TZ


@dataclass(frozen=True)
class Issuance:
    """What the register says of one report number."""
    report_no: str
    issued_at: datetime  # China time
    entity_code: str
    entity_found: bool  # False: a 未查询到相关信用记录 report
    is_public: bool
    as_of: date | None
    content_sha256: str | None


@dataclass(frozen=True)
class Recheck:
    """The same report asked of the warehouse now."""
    as_of: date | None  # the warehouse's as-of date now
    same_content: bool | None  # None: not comparable (another as-of date)
    entity_name: str | None


ISSUANCE = """
    select report_no, epoch(logged_at) as issued_epoch, entity_code, entity_found, is_public, warehouse_as_of,
           content_sha256
    from audit.query_log
    where report_no = ?"""


def logged_issuance(con: duckdb.DuckDBPyConnection, report_no: str) -> Issuance | None:
    """The report's row in audit.query_log; None when it is not there (or no report was ever logged)."""
    try:
        row = con.execute(ISSUANCE, [report_no]).fetchone()
    except duckdb.CatalogException:  # no look-up was ever registered in this warehouse
        return None
    if row is None:
        return None
    number, epoch, code, found, public, as_of, digest = row
    return Issuance(number, datetime.fromtimestamp(epoch, CHINA_TZ), code, found, public, as_of, digest)


def pending_issuance(warehouse_dir: Path, report_no: str) -> Issuance | None:
    """The report's register row still waiting beside the warehouse, if it is one of those."""
    for path in sorted(pending_dir(warehouse_dir).glob("*.json")):
        row = json.loads(path.read_text(encoding="utf-8"))
        if row.get("report_no") == report_no:
            as_of = row["warehouse_as_of"]
            return Issuance(report_no, datetime.fromisoformat(row["logged_at"]).astimezone(CHINA_TZ),
                            row["entity_code"], row["entity_found"], row["is_public"],
                            date.fromisoformat(as_of) if as_of else None, row.get("content_sha256"))
    return None


def recheck(con: duckdb.DuckDBPyConnection, issued: Issuance) -> Recheck:
    """Render the issued report's content again from ``con`` and compare digests (same as-of date only)."""
    report = load_entity_report(con, issued.entity_code, public=issued.is_public)
    if report is None:
        report = not_found_report(con, issued.entity_code, public=issued.is_public)
    name = report.profile["entity_name"] if report.found else None
    if report.as_of != issued.as_of or issued.content_sha256 is None:
        return Recheck(report.as_of, None, name)
    return Recheck(report.as_of, report_digest(report) == issued.content_sha256, name)
