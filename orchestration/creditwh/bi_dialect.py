"""``duckdb+creditwh://``: duckdb-engine with reflection that works on SQLAlchemy >= 2.0.45.

duckdb-engine (0.17) reuses SQLAlchemy's PostgreSQL reflection queries. Since SQLAlchemy
2.0.45 the column query joins ``pg_catalog.pg_collation`` and the constraint queries cast to
``REGCLASS``; DuckDB has neither, so ``inspect(engine).get_columns``, ``Table(autoload_with=)``
and ``pandas.read_sql_table`` fail on any DuckDB file (Mause/duckdb_engine#1379, #1391).
No table content causes it, so a publication cannot avoid it: the client needs this dialect.

This module depends on SQLAlchemy and duckdb-engine only, so a BI tool's environment can
use it without the rest of creditwh: copy this file onto its PYTHONPATH and register it once
(e.g. in ``superset_config.py``)::

    from sqlalchemy.dialects import registry
    registry.register("duckdb.creditwh", "creditwh.bi_dialect", "DuckDBCatalogDialect")

then connect with ``duckdb+creditwh:///<path>/credit_marts.duckdb?access_mode=read_only``.
Columns, comments and constraints are read from DuckDB's own catalog functions.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from duckdb_engine import Dialect as DuckDBDialect
from sqlalchemy.sql import sqltypes

_COLUMNS = sa.text(
    "SELECT table_name, column_name, data_type, is_nullable, column_default, comment FROM duckdb_columns()"
    " WHERE database_name = current_database() AND schema_name = coalesce(:schema, current_schema())"
    " ORDER BY table_name, column_index"
)
_CONSTRAINTS = sa.text(
    "SELECT table_name, constraint_name, constraint_column_names, referenced_table, referenced_column_names"
    " FROM duckdb_constraints() WHERE database_name = current_database()"
    " AND schema_name = coalesce(:schema, current_schema()) AND constraint_type = :kind"
    " ORDER BY table_name, constraint_index"
)


class DuckDBCatalogDialect(DuckDBDialect):
    """duckdb-engine whose reflection reads duckdb_columns() and duckdb_constraints()."""

    name = "duckdb"
    driver = "creditwh"
    supports_statement_cache = False

    def get_multi_columns(self, connection, schema=None, filter_names=None, scope=None, kind=None, **kw):
        columns: dict[tuple, list[dict[str, Any]]] = {}
        for table, column, data_type, nullable, default, comment in connection.execute(_COLUMNS, {"schema": schema}):
            if not filter_names or table in filter_names:
                columns.setdefault((schema, table), []).append({
                    "name": column, "type": self._column_type(data_type), "nullable": nullable,
                    "default": default, "autoincrement": False, "comment": comment or None,
                })
        return columns.items()

    def get_multi_pk_constraint(self, connection, schema=None, filter_names=None, scope=None, kind=None, **kw):
        found = {row[0]: row for row in self._constraints(connection, schema, filter_names, "PRIMARY KEY")}
        names = filter_names or self.get_table_names(connection, schema)
        return [((schema, table), {"constrained_columns": list(found[table][2]) if table in found else [],
                                   "name": found[table][1] if table in found else None}) for table in names]

    def get_multi_unique_constraints(self, connection, schema=None, filter_names=None, scope=None, kind=None, **kw):
        unique: dict[tuple, list[dict[str, Any]]] = {(schema, t): [] for t in filter_names or ()}
        for table, name, cols, _ref, _ref_cols in self._constraints(connection, schema, filter_names, "UNIQUE"):
            unique.setdefault((schema, table), []).append({"name": name, "column_names": list(cols)})
        return unique.items()

    def get_multi_foreign_keys(self, connection, schema=None, filter_names=None, scope=None, kind=None, **kw):
        keys: dict[tuple, list[dict[str, Any]]] = {(schema, t): [] for t in filter_names or ()}
        for table, name, cols, ref, ref_cols in self._constraints(connection, schema, filter_names, "FOREIGN KEY"):
            keys.setdefault((schema, table), []).append({
                "name": name, "constrained_columns": list(cols), "referred_schema": schema,
                "referred_table": ref, "referred_columns": list(ref_cols), "options": {},
            })
        return keys.items()

    def get_multi_table_options(self, connection, schema=None, filter_names=None, scope=None, kind=None, **kw):
        return []  # PostgreSQL's inheritance and storage options: DuckDB has none (no pg_inherits)

    def get_multi_check_constraints(self, connection, schema=None, filter_names=None, scope=None, kind=None, **kw):
        return [((schema, t), []) for t in filter_names or ()]

    def _constraints(self, connection, schema, filter_names, kind: str) -> list[tuple]:
        rows = connection.execute(_CONSTRAINTS, {"schema": schema, "kind": kind}).all()
        return [tuple(row) for row in rows if not filter_names or row[0] in filter_names]

    def _column_type(self, data_type: str) -> sqltypes.TypeEngine:
        """``DECIMAL(18,6)`` -> Numeric(18, 6); what SQLAlchemy does not know stays untyped."""
        base, _, args = data_type.partition("(")
        type_class = self.ischema_names.get(base.strip().lower())
        if type_class is None:
            return sqltypes.NullType()
        if args and issubclass(type_class, sqltypes.Numeric):
            precision, _, scale = args.rstrip(")").partition(",")
            return type_class(int(precision), int(scale or 0))
        return type_class()
