"""Where a look-up (report, profile, scorecard) reads, so that it never breaks a run.

A look-up takes the warehouse lock as a look-up (creditwh.warehouse.lock: a run that finds it waits for
the moment it lasts). Holding it, it reads the live warehouse when that is what was last
published; otherwise (a run failed its gates, or a publication was refused) it reads the last
publication. When a run holds the lock, the look-up never opens the live file: it reads the
last publication — the marts and public schemas and the few tables beside them (LOOKUP_TABLES),
all from one publication folder — or, with ``wait``, waits for the run and reads what it built.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from creditwh.warehouse.lock import EXIT_BUSY, LOOKUP, WarehouseBusy, describe_holder, warehouse_lock
from creditwh.warehouse.publishing import CURRENT_LINK, LOOKUP_FOLDER, MANIFEST_NAME, published_dir, read_manifest, read_state
from creditwh.report.lookup import (
    EntityLookupError, QueryLogEntry, fold_pending_queries, fold_pending_when_free, log_query, log_query_pending, lookup_connection,
)
from creditwh.report.verify import Issuance, logged_issuance, pending_issuance
from creditwh.warehouse.settings import Settings


@dataclass
class LookupSource:
    con: duckdb.DuckDBPyConnection  # what the look-up reads
    settings: Settings
    holds_lock: bool  # may write the register into the warehouse
    manifest: dict | None = None  # the publication answered from; None: the live warehouse
    why: str = ""  # why not the live warehouse

    @property
    def answered_from(self) -> str:
        return f"publication {self.manifest['publication']}" if self.manifest else "warehouse"

    def describe(self) -> str:
        """One line telling the user what answered."""
        if self.manifest is None:
            return "数据来源：数据仓库（最近一次通过全部检查并已发布的构建）"
        return (f"数据来源：发布版 {self.manifest['publication']}（数据截至 {self.manifest.get('as_of')}，"
                f"发布于 {self.manifest.get('published_at')}）——{self.why}")

    @contextmanager
    def _register(self) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """The connection holding audit.query_log, the rows pending beside it folded in first; None
        while a run holds the warehouse (the register is then the pending folder)."""
        if not self.holds_lock:
            yield None
        elif self.manifest is None:
            fold_pending_queries(self.settings, self.con)
            yield self.con
        else:
            with lookup_connection(self.settings.warehouse_path) as con:
                fold_pending_queries(self.settings, con)
                yield con

    def register(self, entry: QueryLogEntry) -> str:
        """Record the look-up in audit.query_log, or beside the warehouse when a run holds it."""
        with self._register() as con:
            if con is not None:
                return log_query(con, entry)
        query_id = log_query_pending(self.settings.warehouse_dir, entry)
        fold_pending_when_free(self.settings)  # the run may have let the warehouse go since this look-up began
        return query_id

    def issuance(self, report_no: str) -> Issuance | None:
        """The register's row of a report number (while a run holds the warehouse: the pending rows only)."""
        with self._register() as con:
            return pending_issuance(self.settings.warehouse_dir, report_no) if con is None else logged_issuance(
                con, report_no)


@contextmanager
def lookup_source(settings: Settings, command: str, *, wait: bool = False, on_wait=None,
                  read_only: bool = False) -> Iterator[LookupSource]:
    """The source a look-up reads, for the block; EntityLookupError when there is none."""
    with ExitStack() as stack:
        busy = _take_lock(stack, settings, command, wait, on_wait)
        if busy is not None:
            why = f"数据仓库正在构建（{describe_holder(busy.holder)}），未打开；加 --wait 可等构建结束后查询"
            yield stack.enter_context(_publication(settings, why, holds_lock=False))
        elif _live_is_published(settings):
            con = stack.enter_context(lookup_connection(settings.warehouse_path, read_only))
            yield LookupSource(con, settings, holds_lock=True)
        else:
            why = "数据仓库在最近一次发布之后有变动，尚未通过全部检查或尚未发布"
            yield stack.enter_context(_publication(settings, why, holds_lock=True))


def _take_lock(stack: ExitStack, settings: Settings, command: str, wait: bool, on_wait) -> WarehouseBusy | None:
    """Hold the lock as a look-up for the stack's life; the refusal when a run holds it (and not waiting)."""
    try:
        stack.enter_context(warehouse_lock(settings.warehouse_dir, f"creditwh {command}", wait=wait,
                                           on_wait=on_wait, kind=LOOKUP))
    except WarehouseBusy as busy:
        return busy
    return None


def _live_is_published(settings: Settings) -> bool:
    """The live warehouse holds what was last published (or nothing was ever published)."""
    manifest = read_manifest(settings)
    if manifest is None:
        return True
    state = read_state(settings)
    return bool(state.get("verified")) and state.get("changed_by_run") == manifest.get("run_id")


@contextmanager
def _publication(settings: Settings, why: str, holds_lock: bool) -> Iterator[LookupSource]:
    """An in-memory DuckDB whose schemas are views over one publication folder's Parquet files."""
    folder = _current_folder(settings)
    if folder is None:
        raise EntityLookupError(f"{why}；尚无发布版可供查询。请待其结束后重试，或加 --wait 等待。", exit_code=EXIT_BUSY)
    manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    con = duckdb.connect()
    try:
        for table_dir in _table_dirs(folder):
            schema, table = (f'"{part}"' for part in table_dir.name.split(".", 1))
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            con.execute(f"CREATE VIEW {schema}.{table} AS "
                        f"SELECT * FROM read_parquet({_literal(table_dir / 'data.parquet')})")
        yield LookupSource(con, settings, holds_lock=holds_lock, manifest=manifest, why=why)
    finally:
        con.close()


def _literal(path: Path) -> str:
    """A path as an SQL string literal (CREATE VIEW takes no parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def _current_folder(settings: Settings) -> Path | None:
    """The publication folder `current` points at, resolved once: every table from the same one."""
    try:
        folder = (published_dir(settings) / CURRENT_LINK).resolve(strict=True)
    except OSError:
        return None
    return folder if (folder / MANIFEST_NAME).exists() else None


def _table_dirs(folder: Path) -> list[Path]:
    dirs = [*folder.iterdir(), *((folder / LOOKUP_FOLDER).iterdir() if (folder / LOOKUP_FOLDER).is_dir() else [])]
    return sorted(d for d in dirs if (d / "data.parquet").is_file() and "." in d.name)
