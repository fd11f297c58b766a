"""The Dagster instance `creditwh run` records into: the Dagster home's, with a faster event log writer.

A run writes about 1,700 events (every dbt model and test is a materialisation or a check, and each
is announced as planned when the run is created). Dagster's SQLite event log opens each write with a
new SQLAlchemy engine and a new SQLite connection, initialises its dialect, and asks SQLite again
whether the asset-check table exists: 5-7 ms an event, 7 s of a run's creation alone, at any size.
``SqliteEventLogStorageReusingEngines`` keeps one engine and one open SQLite connection per database
file, used under Dagster's own lock, one transaction per write as before (an idle connection holds no
lock: in Dagster's WAL journal the UI and the daemon read and write beside it), and remembers the
tables it has found. The files, their schema and what is written are Dagster's own: the UI, the
daemon and runs launched from the UI read and write them with the stock class.

It is used only where the home's dagster.yaml leaves the storage at Dagster's default (SQLite in the
home); a home configured otherwise (``storage:``, ``event_log_storage:``) is opened as configured.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import sqlalchemy.event
import yaml
from dagster._core.instance.ref import InstanceRef
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy.pool import NullPool, StaticPool

STORAGE_KEYS = ("storage", "run_storage", "event_log_storage", "schedule_storage")
ENGINES_KEPT = 8  # the run being written and the index, with room for a UI reading a few runs


class SqliteEventLogStorageReusingEngines(SqliteEventLogStorage):
    """Dagster's SQLite event log, one engine per database file instead of one per write."""

    def __init__(self, base_dir: str, inst_data=None):
        self._engines: OrderedDict[str, object] = OrderedDict()
        self._engines_pid = os.getpid()
        self._tables_found: set[str] = set()
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str):
        if self._engines_pid != os.getpid():  # a forked child: its parent's connections are not its own
            self._engines, self._engines_pid = OrderedDict(), os.getpid()
        engine = self._engines.get(shard)
        if engine is None:
            # one connection, kept: every use is under self._db_lock, whichever thread stores the event
            engine = self._new_engine(shard, StaticPool, check_same_thread=False)
            sqlalchemy.event.listen(engine, "connect", _commit_without_fsync)
            self._engines[shard] = engine
            while len(self._engines) > ENGINES_KEPT:
                self._engines.popitem(last=False)[1].dispose()
        self._engines.move_to_end(shard)
        return engine

    def _new_engine(self, shard: str, poolclass, **connect_args):
        return create_engine(self.conn_string_for_shard(shard), poolclass=poolclass,
                             connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, **connect_args})

    @contextmanager
    def _connect(self, shard: str) -> Iterator:
        with self._db_lock:
            if shard not in self._initialized_dbs:  # emptied by wipe() and upgrade(): create again
                # Dagster's schema set-up checks out connections inside connections: on engines of its own
                initdb_engine = self._new_engine(shard, NullPool)
                try:
                    self._initdb(initdb_engine)
                finally:
                    initdb_engine.dispose()
                self._initialized_dbs.add(shard)
            with self._engine(shard).connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        # a table found stays (Dagster's migrations add tables, never drop them); one not found is asked again
        if table_name not in self._tables_found and super().has_table(table_name):
            self._tables_found.add(table_name)
        return table_name in self._tables_found

    def wipe(self) -> None:
        self._dispose_engines()  # wipe() deletes the run files: no connection may stay on a deleted file
        super().wipe()

    def dispose(self) -> None:
        self._dispose_engines()
        super().dispose()

    def _dispose_engines(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()


def _commit_without_fsync(dbapi_connection, _record) -> None:
    """Each write's connection commits without waiting for the disk: in Dagster's WAL journal,
    synchronous=NORMAL syncs at checkpoints, not at each of a run's ~1,300 commits (an fsync each,
    seconds of every run, more while a build writes the disk). The file stays consistent; a power
    loss can lose a run's last events, not a run's record."""
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def open_instance(home: Path) -> dg.DagsterInstance:
    """The Dagster instance of ``home`` (its dagster.yaml), with the faster event log writer when the
    storage is Dagster's default SQLite one."""
    config_path = Path(home) / "dagster.yaml"
    config = (yaml.safe_load(config_path.read_text(encoding="utf-8")) if config_path.exists() else None) or {}
    if any(key in config for key in STORAGE_KEYS):
        return dg.DagsterInstance.from_config(str(home))
    default = InstanceRef.config_defaults(str(home))["event_log_storage"]
    ref = InstanceRef.from_dir(str(home), overrides={"event_log_storage": {
        "module": __name__, "class": SqliteEventLogStorageReusingEngines.__name__,
        "config": yaml.safe_load(default.config_yaml),
    }})
    return dg.DagsterInstance.from_ref(ref)
