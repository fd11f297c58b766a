"""Per-entity credit reports (公共信用信息报告) and profile look-ups, each registered in
audit.query_log (查询使用登记).

    code = checked_code("91370102MA3C1234XX")          # EntityLookupError when not a valid USCC
    with lookup_connection(warehouse) as con:
        report = load_entity_report(con, code, public=False, operator="张科员", purpose="行政许可审查")
        log_query(con, QueryLogEntry("report", code, report is not None, "张科员", "行政许可审查"))
    write_report_html(report, Path("report.html"))

A report written carries a number (报告编号, creditwh.report.number), registered with the digest of
its content; creditwh.report.verify reads it back (`creditwh report --verify NUMBER`). A code the
warehouse does not know gets a 未查询到相关信用记录 report (NotFoundReport) of its own.
"""

from creditwh.report.html import render_html, write_report_html
from creditwh.report.load import EntityReport, NotFoundReport, load_entity_report, not_found_report
from creditwh.report.lookup import (
    EntityLookupError, QueryLogEntry, checked_code, ensure_query_log, log_query, lookup_connection, os_user,
)

__all__ = [
    "EntityLookupError", "EntityReport", "NotFoundReport", "not_found_report", "QueryLogEntry", "checked_code", "ensure_query_log", "load_entity_report",
    "log_query", "lookup_connection", "os_user", "render_html", "write_report_html",
]
