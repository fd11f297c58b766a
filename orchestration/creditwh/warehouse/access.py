"""How a step holds the warehouse: the one sequence each kind of step follows.

A step that writes holds the warehouse lock for its whole length (DuckDB allows one writer, and two
rebuilds must not interleave) and, before it writes anything, marks the warehouse changing: until
a run's gates have all passed, nothing is published. The lock goes on exit, whatever happened; the
mark stays until the publication step of a run whose gates passed marks the warehouse verified, so
a step that fails or is killed leaves nothing publishable behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from creditwh.warehouse.lock import LOOKUP, warehouse_lock
from creditwh.warehouse.publishing import mark_changing
from creditwh.warehouse.settings import Settings


@contextmanager
def connect(settings: Settings, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the warehouse, under the run's DuckDB configuration (its memory bound)."""
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(settings.warehouse_path), read_only=read_only, config=settings.duckdb_config)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def holding(settings: Settings, command: str) -> Iterator[Settings]:
    """The warehouse lock for the block (WarehouseBusy when another run holds it)."""
    with warehouse_lock(settings.warehouse_dir, command):
        yield settings


@contextmanager
def writing(settings: Settings, run_id: str, command: str) -> Iterator[Settings]:
    """The lock, and the warehouse marked changed by ``run_id``, for a block that writes it.
    The block connects when it needs to (a dbt step must not hold the file while dbt writes it)."""
    with holding(settings, command):
        mark_changing(settings, run_id)
        yield settings


@contextmanager
def reading(settings: Settings, command: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection under the lock taken as a look-up: a run that starts meanwhile waits
    for it, and it never opens the file while a run writes it (it waits for the run)."""
    with warehouse_lock(settings.warehouse_dir, command, wait=True, kind=LOOKUP), \
            connect(settings, read_only=True) as con:
        yield con
