"""Entity look-ups (应查尽查) and their register (查询使用登记, ``audit.query_log``).

Every ``creditwh report`` and ``creditwh profile`` that reaches the warehouse writes one row to
``audit.query_log``: when, who (``--operator``, else the OS user), which entity, for what purpose,
which command, public or internal, the file written, and whether the warehouse knew the entity; a
report written adds its number (report_no, 报告编号) and the digest of its content (content_sha256), by
which ``creditwh report --verify`` confirms it.
The log is not a dbt model: it is created here (``if not exists``) and nothing in a warehouse
rebuild drops it (landing replaces only the ``raw`` schema; dbt replaces only its own tables).

A look-up made while a run holds the warehouse cannot write there: its row goes to a file of its
own in ``<warehouse dir>/query_log.pending/`` (beside the warehouse, outside anything a rebuild
touches) and is folded into ``audit.query_log`` by whoever next holds the warehouse lock (the next
look-up, the end of the run, the publication step), keeping its query_id and time: nothing is lost,
nothing is entered twice. A row written just as the run let the warehouse go would wait there for the
next look-up; so the look-up that wrote it, and the run after letting go, each fold what is pending
when the lock is free (``fold_pending_when_free``).

What the user typed (--purpose, --operator) is stored with identity numbers masked.

A code that is not a valid 统一社会信用代码 is refused before the warehouse is opened and is not
logged: nothing was looked up, and what was typed may be a person's identity number, which must
never be stored in plaintext (rules.md, personal information).
"""

from __future__ import annotations

import getpass
import json
import os
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from creditwh.codes import (
    USCC_ALPHABET, USCC_AUTHORITIES, is_valid_org_code, is_valid_ric, is_valid_uscc, uscc_check_char,
)
from creditwh.landing.pii import mask_free_text
from creditwh.warehouse.lock import LOOKUP, WarehouseBusy, warehouse_lock
from creditwh.warehouse.settings import CHINA_TZ, Settings

QUERY_LOG_DDL = """
CREATE SCHEMA IF NOT EXISTS audit;
CREATE TABLE IF NOT EXISTS audit.query_log (
    query_id VARCHAR NOT NULL,            -- one id per look-up
    logged_at TIMESTAMPTZ NOT NULL,       -- when (an instant; shown in China time)
    operator VARCHAR NOT NULL,            -- 查询人: --operator, else the OS user
    os_user VARCHAR,                      -- the OS account that ran the command
    command VARCHAR NOT NULL,             -- report / profile
    entity_code VARCHAR NOT NULL,         -- 统一社会信用代码 looked up (always a valid USCC)
    entity_found BOOLEAN NOT NULL,        -- the warehouse has a profile for it
    is_public BOOLEAN NOT NULL,           -- report --public
    purpose VARCHAR NOT NULL,             -- 查询用途 (--purpose)
    out_file VARCHAR,                     -- the report written, absolute path
    warehouse_as_of DATE                  -- the as-of date of the profile that answered
);
-- added after the first release: 'warehouse', or 'publication <stamp>' when a run held the warehouse
ALTER TABLE audit.query_log ADD COLUMN IF NOT EXISTS answered_from VARCHAR;
-- added with report numbers (报告编号): what a reader needs to confirm a report was issued
ALTER TABLE audit.query_log ADD COLUMN IF NOT EXISTS report_no VARCHAR;       -- printed on the report
ALTER TABLE audit.query_log ADD COLUMN IF NOT EXISTS content_sha256 VARCHAR;  -- of its content (report.number)
"""
PENDING_DIR = "query_log.pending"
QUERY_LOG_COLUMNS = ("query_id", "logged_at", "operator", "os_user", "command", "entity_code", "entity_found",
                     "is_public", "purpose", "out_file", "warehouse_as_of", "answered_from", "report_no",
                     "content_sha256")


class EntityLookupError(Exception):
    """A look-up that cannot be answered: the message is for the person who typed it."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


def normalise_code(text: str) -> str:
    """As extracts are cleaned: NFKC (full-width to half-width), blanks removed, upper case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def uscc_problem(code: str) -> str | None:
    """Why ``code`` (normalised) is not a valid GB 32100 code, in Chinese; None when it is valid."""
    if is_valid_uscc(code):
        return None
    if len(code) == 18 and is_valid_ric(code):
        return "这是居民身份号码，不是统一社会信用代码：自然人不建信用档案，本命令只查询法人和非法人组织、个体工商户"
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，输入为 {len(code)} 位"
    wrong = sorted({c for c in code if c not in USCC_ALPHABET})
    if wrong:
        return f"含有统一社会信用代码不使用的字符 {'、'.join(wrong)}（不使用 I、O、S、V、Z）"
    if code[0] not in USCC_AUTHORITIES:
        return f"第 1 位（登记管理部门代码）应为 1–9、A、N、Y，输入为 {code[0]}"
    if not code[2:8].isdigit():
        return "第 3–8 位（行政区划代码）应为数字"
    if not is_valid_org_code(code[8:17]):
        return "第 9–17 位（组织机构代码）校验不通过（GB 11714）"
    return f"校验位（第 18 位）应为 {uscc_check_char(code[:17])}，输入为 {code[17]}（GB 32100）"


def checked_code(text: str) -> str:
    """The normalised code, or EntityLookupError (exit code 2) saying what is wrong with it."""
    code = normalise_code(text)
    problem = uscc_problem(code)
    if problem:
        shown = "（身份号码不予显示）" if len(code) == 18 and is_valid_ric(code) else f"「{text}」"
        raise EntityLookupError(f"{shown}不是有效的统一社会信用代码：{problem}。")
    return code


def os_user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER in a container
        return os.environ.get("USERNAME")


def typed_text(text: str | None) -> str:
    """What a user typed into a look-up, as it may be stored and shown: identity numbers masked."""
    return mask_free_text((text or "").strip())


@contextmanager
def lookup_connection(warehouse: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short read-write connection: the look-up reads the marts and writes its log row.

    The caller holds the warehouse lock (creditwh.report.source); a process that opened the file
    without it is refused with a message, not a traceback. Hold it only as long as the look-up.
    """
    if not warehouse.exists():
        raise EntityLookupError(f"没有找到数据仓库 {warehouse}：请先用 `creditwh run` 构建（或设置 CREDIT_WAREHOUSE）。")
    try:
        con = duckdb.connect(str(warehouse), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise EntityLookupError(
                f"数据仓库 {warehouse} 正被另一个进程使用（多为正在运行的构建，DuckDB 只允许一个写入者）："
                "请在其结束后重试。"
            ) from None
        raise EntityLookupError(f"无法打开数据仓库 {warehouse}：{exc}") from None
    try:
        yield con
    finally:
        con.close()


@dataclass(frozen=True)
class QueryLogEntry:
    command: str  # report / profile
    entity_code: str
    entity_found: bool
    operator: str
    purpose: str
    is_public: bool = False
    out_file: Path | None = None
    warehouse_as_of: date | None = None
    answered_from: str = "warehouse"  # or 'publication <stamp>'
    report_no: str | None = None  # 报告编号 of the report written
    content_sha256: str | None = None  # its content's digest (creditwh.report.number.content_digest)

    def row(self) -> dict:
        """The register row, identity numbers in what the user typed masked; a new query_id and time."""
        return {
            "query_id": str(uuid.uuid4()), "logged_at": datetime.now(CHINA_TZ).isoformat(),
            "operator": typed_text(self.operator), "os_user": os_user(), "command": self.command,
            "entity_code": self.entity_code, "entity_found": self.entity_found, "is_public": self.is_public,
            "purpose": typed_text(self.purpose), "out_file": str(self.out_file.resolve()) if self.out_file else None,
            "warehouse_as_of": self.warehouse_as_of.isoformat() if self.warehouse_as_of else None,
            "answered_from": self.answered_from, "report_no": self.report_no, "content_sha256": self.content_sha256,
        }


def ensure_query_log(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(QUERY_LOG_DDL)


def _insert(con: duckdb.DuckDBPyConnection, row: dict) -> None:
    """One register row, unless a row with its query_id is there already (a fold interrupted before)."""
    columns = ", ".join(QUERY_LOG_COLUMNS)
    con.execute(
        f"""INSERT INTO audit.query_log ({columns})
            SELECT {', '.join('?' for _ in QUERY_LOG_COLUMNS)}
            WHERE NOT EXISTS (SELECT 1 FROM audit.query_log WHERE query_id = ?)""",
        [row.get(c) for c in QUERY_LOG_COLUMNS] + [row["query_id"]],  # get: a row pending from before a column
    )


def log_query(con: duckdb.DuckDBPyConnection, entry: QueryLogEntry) -> str:
    """Write the look-up to audit.query_log (creating it on first use); returns its query_id."""
    ensure_query_log(con)
    row = entry.row()
    _insert(con, row)
    return row["query_id"]


def pending_dir(warehouse_dir: Path) -> Path:
    return Path(warehouse_dir) / PENDING_DIR


def log_query_pending(warehouse_dir: Path, entry: QueryLogEntry) -> str:
    """Register a look-up without the warehouse: one file, written aside and renamed into place."""
    row = entry.row()
    folder = pending_dir(warehouse_dir)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{row['logged_at'][:26].replace(':', '')}-{row['query_id']}.json"
    partial = folder / f".{final.name}.tmp"
    with partial.open("w", encoding="utf-8") as fh:
        json.dump(row, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(partial, final)
    return row["query_id"]


def fold_pending_queries(settings: Settings, con: duckdb.DuckDBPyConnection | None = None) -> int:
    """Move the pending register rows into audit.query_log; the caller holds the warehouse lock.
    Returns how many were folded. Files are removed only after the rows are committed."""
    files = sorted(p for p in pending_dir(settings.warehouse_dir).glob("*.json") if not p.name.startswith("."))
    if not files or not settings.warehouse_path.exists():
        return 0
    if con is None:
        con = duckdb.connect(str(settings.warehouse_path), config=settings.duckdb_config)
        try:
            return fold_pending_queries(settings, con)
        finally:
            con.close()
    ensure_query_log(con)
    con.execute("BEGIN TRANSACTION")
    for path in files:
        _insert(con, json.loads(path.read_text(encoding="utf-8")))
    con.execute("COMMIT")
    for path in files:
        path.unlink()
    return len(files)


def fold_pending_when_free(settings: Settings) -> int:
    """Fold the pending register rows if the warehouse lock can be had now; 0 when a run holds it
    (that run folds them at its end) or the fold fails (they stay pending for the next holder)."""
    if not any(p for p in pending_dir(settings.warehouse_dir).glob("*.json") if not p.name.startswith(".")):
        return 0
    try:
        with warehouse_lock(settings.warehouse_dir, "creditwh (fold pending look-ups)", kind=LOOKUP):
            return fold_pending_queries(settings)
    except (WarehouseBusy, duckdb.Error, OSError, ValueError):
        return 0
