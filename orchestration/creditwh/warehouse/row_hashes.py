"""The row hashes of the last publication, kept beside it for the next one to patch from.

A publication is patched from a copy of the last one (creditwh.warehouse.publishing): it needs, for
each table, the rows whose hash the warehouse and the publication hold a different number of times.
Hashing the publication's tables for that costs as much as hashing the warehouse's, and the
delete of the changed rows and the check after it hash them twice more. So each publication leaves
its tables' row hashes, as (row_hash, rows) per table, in

  <warehouse dir>/published/row_hashes.duckdb     schema.table (row_hash UBIGINT, n BIGINT)

with the stamp of the publication they describe and the DuckDB version that hashed them (hash() is
not promised stable across versions). The next publication uses them only when both match: a
publication that failed or was killed after it began to change them left no stamp (it is cleared
first and set last), and a stamp other than the last manifest's means the file is of a publication
never swapped in. Then the publication hashes its copy, as before, and writes them anew.

Nobody reads this file but the publisher, under the warehouse lock.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

HASHES_NAME = "row_hashes.duckdb"
ALIAS = "row_hashes"


def attach(con: duckdb.DuckDBPyConnection, folder: Path, last_publication: str | None) -> bool:
    """Attach the hashes file as ``row_hashes``; True when it describes ``last_publication``,
    hashed by this DuckDB."""
    con.execute(f"ATTACH ? AS {ALIAS}", [str(folder / HASHES_NAME)])
    con.execute(f"CREATE TABLE IF NOT EXISTS {ALIAS}.main.described (publication VARCHAR, duckdb_version VARCHAR)")
    rows = con.execute(f"SELECT publication, duckdb_version FROM {ALIAS}.main.described").fetchall()
    return last_publication is not None and rows == [(last_publication, duckdb.__version__)]


def forget_publication(con: duckdb.DuckDBPyConnection) -> None:
    """Before the first change: until ``describe`` runs, the file describes no publication."""
    con.execute(f"DELETE FROM {ALIAS}.main.described")


def describe(con: duckdb.DuckDBPyConnection, publication: str, tables: list[tuple[str, str]]) -> None:
    """After the last change: the hashes are those of ``publication``, whose tables are ``tables``
    (the hashes of tables it no longer has are dropped)."""
    kept = {(schema, table) for schema, table in tables}
    for schema, table in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name <> 'main'",
        [ALIAS],
    ).fetchall():
        if (schema, table) not in kept:
            con.execute(f'DROP TABLE {ALIAS}."{schema}"."{table}"')
    con.execute(f"INSERT INTO {ALIAS}.main.described VALUES (?, ?)", [publication, duckdb.__version__])
    con.execute(f"CHECKPOINT {ALIAS}")


def stored(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> str | None:
    """The stored hashes of a table, as a relation name, or None when there are none."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? AND table_name = ?",
        [ALIAS, schema, table],
    ).fetchall()[0][0]
    return f'{ALIAS}."{schema}"."{table}"' if found else None


def replace(con: duckdb.DuckDBPyConnection, schema: str, table: str, hashes: str) -> None:
    """The table's stored hashes become the relation ``hashes`` (row_hash, n)."""
    con.execute(f'CREATE SCHEMA IF NOT EXISTS {ALIAS}."{schema}"')
    con.execute(f'CREATE OR REPLACE TABLE {ALIAS}."{schema}"."{table}" AS SELECT row_hash, n FROM {hashes}')


def update(con: duckdb.DuckDBPyConnection, schema: str, table: str, changed: str) -> None:
    """Apply the changed hashes ``changed`` (row_hash, built_n; built_n NULL when the row is gone)."""
    name = f'{ALIAS}."{schema}"."{table}"'
    con.begin()
    con.execute(f"DELETE FROM {name} WHERE row_hash IN (SELECT row_hash FROM {changed})")
    con.execute(f"INSERT INTO {name} SELECT row_hash, built_n FROM {changed} WHERE built_n IS NOT NULL")
    con.commit()
