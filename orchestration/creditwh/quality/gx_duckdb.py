"""Run Great Expectations 1.x suites against tables in the DuckDB warehouse.

``validate_table()`` validates one ``schema.table`` of a DuckDB file against an
ExpectationSuite stored as JSON (the ``ExpectationSuite.to_json_dict()`` shape) and
returns a small, typed ``SuiteOutcome``. Every metric is computed by DuckDB in SQL; the
table is never pulled into pandas.

Why an adapter exists
---------------------
Great Expectations 1.24 reaches DuckDB through SQLAlchemy and duckdb-engine, which does
not work out of the box (upstream great_expectations#10738 and #11579; the native DuckDB
engine of PR #12084 is not merged). Three things go wrong, and this module fixes each on
its own subclasses only. Nothing in GX, SQLAlchemy or duckdb-engine is monkeypatched,
so other users of those libraries in the same process are not affected:

1. Every expectation fails with ``MetricResolutionError: list index out of range``.
   GX's ``execute_query()`` runs a query in ``with engine.connect()`` and fetches the
   rows after the block has returned the connection to the pool. duckdb-engine's cursor
   is the DuckDB connection itself, so the pool's reset-on-return (a ROLLBACK) drops the
   pending result and ``fetchall()`` returns ``[]``. GX already holds one persistent
   connection for SQLite, SQL Server, BigQuery and Databricks, but not for DuckDB.
   -> ``_DuckDBExecutionEngine.get_connection()`` holds one connection for the engine's
   lifetime, so no reset happens between execute and fetch. A StaticPool is not used:
   it would share that one DuckDB connection with GX's short-lived helper connections
   (reflection), whose ROLLBACK-on-return would end the held connection's transaction
   underneath it; with the default pool they get connections of their own.

2. Regex expectations are refused ("Regex is not supported for dialect duckdb"). GX picks
   its dialect helpers by dialect name and knows no "duckdb", although duckdb-engine's
   dialect *is* a subclass of SQLAlchemy's PostgreSQL dialect and DuckDB's ``~`` / ``!~``
   operators behave like PostgreSQL's (search anywhere in the string, RE2 syntax).
   -> The engine's ``dialect_module`` is SQLAlchemy's PostgreSQL dialect module (plus
   DuckDB's type names, for ``expect_column_values_to_be_of_type``): regexes compile to
   ``~`` / ``!~``, which DuckDB evaluates like PostgreSQL.

3. Column reflection fails, so every column expectation fails with "Table with name t
   does not exist". duckdb-engine 0.17 reuses SQLAlchemy's PostgreSQL column query,
   which since SQLAlchemy 2.0.45 joins ``pg_catalog.pg_collation``, absent from DuckDB
   (Mause/duckdb_engine#1379, #1391; duckdb/duckdb#22069). GX then falls back to
   ``SELECT * FROM <table>`` without the schema.
   -> ``get_inspector()`` returns an inspector that reads columns (names and types) from
   DuckDB's own ``information_schema.columns``, and a table's primary key (GX asks for it with
   every table's column types) from ``duckdb_constraints()``: duckdb-engine answers that with
   PostgreSQL's reflection queries on DuckDB's ``pg_catalog`` views, about 70 ms a table.

One more, for speed: GX computes an ``unexpected_rows_expectation`` from two metrics, the
unexpected rows (the first ``MAX_RESULT_RECORDS``) and their count, and each runs the whole
query: every such gate scanned its table twice, and most of them call Python functions per row
(the public identity-number gate). -> Both metrics are provided for ``_DuckDBExecutionEngine``
by ``_provided_from_one_run``'s providers, GX's own per-engine registration
(``@metric_value(engine=...)``); they share one run of the query, which stops at
``MAX_RESULT_RECORDS + 1`` rows. A second scan counts the rows only when there are more than
that, so a passing gate scans once. Other engines keep GX's providers.

And for a compound key: GX finds the rows of ``expect_compound_columns_to_be_unique`` by joining every
row of the table back to its key's count, once for the count and once for the rows (4.9 s on a 10 M-row
fact). For this engine both metrics come from one ``GROUP BY <key> HAVING count(*) > 1`` (1.7 s), which
finds the rows GX's join finds: a key with a NULL is left out as the inner join leaves it out.

Connections
-----------
The database is opened READ-ONLY (``duckdb.connect(path, read_only=True)``): it takes
DuckDB's shared file lock, so any number of processes can validate the same file at once.
DuckDB's locks are still readers-or-one-writer: while a validation runs (about a second
for a million rows), a process that wants to open the file read-write (dbt) must wait,
and a file held open read-write by another process cannot be validated until it is
closed. Within one process DuckDB shares one database instance per file and refuses a
connection whose configuration differs from one still open ("different configuration
than existing connections"); so every connection this module opens is closed, and both
SQLAlchemy engines disposed, before ``validate_table()`` returns.

Suite JSON
----------
A value the suite does not own is named, not copied: any kwarg value ``{"$<kind>": ...}`` (e.g.
``"value_set": {"$code_list": "severity"}``) is replaced by ``references(that dict)``, and
``{$<kind>:<name>}`` inside a query by ``references({"$<kind>": "<name>"})`` as a SQL list
(``validate_table``'s ``references``; creditwh's reads its seeds and vars: defs/quality/checks.py).

Each expectation may carry ``meta: {"blocking": false}``: it is evaluated and reported,
but its failure does not fail the suite (default ``true``). ``meta.notes`` (else
``notes`` / ``description``) is the human-readable description. Date bounds: build the
suite with ``datetime`` objects; ``to_json_dict()`` writes them as ISO strings, which
GX's expectation models parse back into ``datetime`` on load. ``UnexpectedRowsExpectation``
entries (``unexpected_rows_query`` with ``{batch}``) run in DuckDB like any other.

Rows checked once
-----------------
An ``unexpected_rows_expectation`` whose query judges each row by what that row alone holds (no
aggregate, no other row or table: the public schema's identity-number scan) may say so with
``meta: {"row_local": true}``. Given ``validate_table``'s ``seen_rows``, the gate then runs such
queries only on the rows it has not seen pass them: after every row-local expectation of the table
passed, the digests of all its rows (DuckDB's 64-bit hash of the row) are kept in
``<seen_rows.folder>/<schema>.<table>.parquet``, under a fingerprint of the row-local queries and
``seen_rows.rules`` (what the queries call, e.g. the identity-number rules' code). The next
validation checks only rows whose digest is not there; a changed query, rule or DuckDB version
checks every row again. A failure keeps the last digests, so the rows not seen pass are checked
again next time. The digests are taken while the validation's connection still holds DuckDB's
shared lock on the file, so no writer can change the table between the validation and them.

What blocks: an expectation stays blocking only when it guards what the pipeline guarantees
(keys non-null and unique, reconciliation, identity numbers only masked, layer invariants,
values the pipeline computes, rules consistency). One about a department's data (parse rates
with ``mostly``, formats, code lists and date ranges of delivered values) is
``blocking: false``: its bad rows are already defects of those rows, counted against their
department, and must not stop the other departments. How large a share of defective rows
stops the line is a run setting (``CREDIT_MAX_DEFECTIVE_ROW_SHARE``), which
``creditwh.defs.quality.checks`` adds to every staging suite (``extra_expectations``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import great_expectations as gx
import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa
from duckdb_engine import datatypes as duckdb_types
from great_expectations.constants import MAX_RESULT_RECORDS
from great_expectations.core.expectation_suite import ExpectationSuite
from great_expectations.core.metric_domain_types import MetricDomainTypes
from great_expectations.core.expectation_validation_result import (
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)
from great_expectations.data_context import EphemeralDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.datasource.fluent import SQLDatasource
from great_expectations.execution_engine import SqlAlchemyExecutionEngine
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration
from great_expectations.expectations.metrics.metric_provider import metric_value
from great_expectations.expectations.metrics.query_metric_provider import QueryMetricProvider
from great_expectations.validator.v1_validator import Validator
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import sqltypes

__all__ = ["ExpectationOutcome", "SeenRows", "SuiteOutcome", "validate_table"]


# --------------------------------------------------------------------------------------
# Public result types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's result, reduced to what a pipeline needs to decide and report."""

    expectation_type: str  # e.g. "expect_column_values_to_not_be_null"
    column: str | None
    success: bool
    blocking: bool  # meta {"blocking": false} makes a failure a warning only
    unexpected_count: int | None
    element_count: int | None
    description: str  # meta.notes, or the expectation type with its arguments
    observed_value: Any = None  # e.g. the row count, for expectations without unexpected rows
    error: str | None = None  # set when GX could not evaluate the expectation at all

    @property
    def label(self) -> str:
        """``expectation_type(column)``, as used in summaries."""
        return f"{self.expectation_type}({self.column})" if self.column else self.expectation_type

    def detail(self) -> str:
        """What went wrong, in a few words: counts, the observed value, or the error."""
        if self.error:
            return f"error: {self.error}"
        if self.unexpected_count is not None and self.element_count is not None:
            return f"{self.unexpected_count} of {self.element_count} rows"
        if self.unexpected_count is not None:
            return f"{self.unexpected_count} rows"
        if self.observed_value is not None:
            return f"observed {self.observed_value}"
        return "failed"


@dataclass(frozen=True)
class SuiteOutcome:
    """A suite's result against one table; ``success`` means no blocking failure."""

    suite_name: str
    table: str  # "schema.table"
    success: bool
    outcomes: tuple[ExpectationOutcome, ...]
    result_path: Path | None  # the full GX validation result JSON, if written

    def failed_blocking(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if o.blocking and not o.success]

    def failed_non_blocking(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.blocking and not o.success]

    def summary(self) -> str:
        """One line, e.g.::

            stg_x: 11/12 passed; FAILED expect_column_values_to_be_unique(id): 3 of 1200 rows

        Blocking failures are listed as FAILED, non-blocking ones as WARNED.
        """
        passed = sum(o.success for o in self.outcomes)
        parts = [f"{self.suite_name}: {passed}/{len(self.outcomes)} passed"]
        parts += [f"FAILED {o.label}: {o.detail()}" for o in self.failed_blocking()]
        parts += [f"WARNED {o.label}: {o.detail()}" for o in self.failed_non_blocking()]
        return "; ".join(parts)


# --------------------------------------------------------------------------------------
# The adapter (see the module docstring for why each piece exists)
# --------------------------------------------------------------------------------------

# DuckDB's type names -> SQLAlchemy types. Used both to type reflected columns and to
# resolve ``expect_column_values_to_be_of_type(type_="DOUBLE")``, so a suite can use the
# names DuckDB's DESCRIBE shows. (duckdb-engine's own table maps VARCHAR to the generic
# String, which GX would not match against type_="VARCHAR".)
_DUCKDB_TYPES: dict[str, type[sa.types.TypeEngine[Any]]] = {
    "BOOLEAN": sa.BOOLEAN,
    "TINYINT": duckdb_types.TinyInteger,
    "SMALLINT": sa.SMALLINT,
    "INTEGER": sa.INTEGER,
    "BIGINT": sa.BIGINT,
    "HUGEINT": duckdb_types.HugeInteger,
    "UTINYINT": duckdb_types.UTinyInteger,
    "USMALLINT": duckdb_types.USmallInteger,
    "UINTEGER": duckdb_types.UInteger,
    "UBIGINT": duckdb_types.UBigInteger,
    "UHUGEINT": duckdb_types.UHugeInteger,
    "FLOAT": sa.REAL,  # DuckDB's FLOAT is 4 bytes
    "DOUBLE": sa.DOUBLE_PRECISION,
    "DECIMAL": sa.DECIMAL,  # a NUMERIC, so type_="NUMERIC" matches too
    "VARCHAR": sa.VARCHAR,
    "BLOB": sa.BLOB,
    "DATE": sa.DATE,
    "TIME": sa.TIME,
    "TIME WITH TIME ZONE": sa.TIME,
    "TIMESTAMP": sa.TIMESTAMP,
    "TIMESTAMP WITH TIME ZONE": sa.TIMESTAMP,
    "TIMESTAMP_S": sa.TIMESTAMP,
    "TIMESTAMP_MS": sa.TIMESTAMP,
    "TIMESTAMP_NS": sa.TIMESTAMP,
    "INTERVAL": sa.Interval,
    "UUID": sa.UUID,
    "JSON": sa.JSON,
}

# What GX gets as ``dialect_module`` (fix 2): SQLAlchemy's PostgreSQL dialect module, so
# ``dialect_module.dialect`` is a PostgreSQL dialect and regexes compile to ``~``/``!~``,
# plus DuckDB's type names, which win over PostgreSQL's where both exist.
_GX_DIALECT_MODULE = ModuleType(f"{__name__}.gx_dialect_module")
_GX_DIALECT_MODULE.__dict__.update(
    {name: value for name, value in vars(postgresql).items() if not name.startswith("_")}
)
_GX_DIALECT_MODULE.__dict__.update(
    {name: type_ for name, type_ in _DUCKDB_TYPES.items() if name.isidentifier()}
)


class _DuckDBCatalogInspector:
    """duckdb-engine's inspector, except that columns and primary keys come from DuckDB's own catalog.

    Only ``get_columns`` and ``get_pk_constraint`` are replaced (fix 3); everything else is delegated.
    """

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._inspector = sa.inspect(engine)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inspector, name)

    def get_columns(
        self, table_name: str, schema: str | None = None, **_: Any
    ) -> list[dict[str, Any]]:
        rows = self._table_rows(
            "select column_name, data_type, is_nullable = 'YES' as nullable"
            " from information_schema.columns"
            " where table_catalog = current_database()"
            " and table_schema = coalesce(:schema, current_schema())"
            " and table_name = :table"
            " order by ordinal_position", table_name, schema)
        if not rows:
            raise sa.exc.NoSuchTableError(f"{schema}.{table_name}" if schema else table_name)
        return [
            {"name": name, "type": _sqlalchemy_type(data_type), "nullable": nullable}
            for name, data_type, nullable in rows
        ]

    def get_pk_constraint(self, table_name: str, schema: str | None = None, **_: Any) -> dict[str, Any]:
        rows = self._table_rows(
            "select constraint_name, constraint_column_names from duckdb_constraints()"
            " where database_name = current_database()"
            " and schema_name = coalesce(:schema, current_schema())"
            " and table_name = :table and constraint_type = 'PRIMARY KEY'", table_name, schema)
        return ({"name": rows[0][0], "constrained_columns": list(rows[0][1])} if rows
                else {"name": None, "constrained_columns": []})

    def _table_rows(self, query: str, table_name: str, schema: str | None) -> list:
        """The rows of a catalog query about one table (its :schema, the current one if None, and :table)."""
        with self._engine.connect() as connection:
            return connection.execute(sa.text(query), {"schema": schema, "table": str(table_name)}).all()


def _sqlalchemy_type(duckdb_type: str) -> sa.types.TypeEngine[Any]:
    """``DECIMAL(18,2)`` -> ``DECIMAL()``; nested types (lists, structs...) stay untyped."""
    type_class = _DUCKDB_TYPES.get(duckdb_type.split("(", 1)[0].strip().upper())
    return type_class() if type_class is not None else sqltypes.NullType()


class _DuckDBExecutionEngine(SqlAlchemyExecutionEngine):
    """GX's SQLAlchemy engine with the three DuckDB fixes; one instance per validation."""

    # Registers the caller's SQL functions (Python UDFs) on the held connection, which every
    # expectation's query uses: a suite can call them (validate_table's ``sql_functions``).
    sql_functions: Callable[[Any], None] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Fix 2: duckdb-engine's dialect is a PostgreSQL dialect, so use PG's helpers.
        self.dialect_module = _GX_DIALECT_MODULE
        self._sampled: dict[str, tuple[int, list[dict]]] = {}  # by query: see sampled_rows()

    @contextmanager
    def get_connection(self) -> Iterator[sa.Connection]:
        # Fix 1: one connection held until close(), as GX does for SQLite, so a result
        # is never reset between GX's execute and its fetch.
        if self._connection is None or self._connection.closed:
            self._connection = self.engine.connect()
            if self.sql_functions is not None:
                self.sql_functions(self._connection.connection.driver_connection)
        yield self._connection

    def get_inspector(self) -> Any:
        # Fix 3: columns from DuckDB's information_schema (typed as Any: duck-typed).
        if self._inspector is None:
            self._inspector = _DuckDBCatalogInspector(self.engine)  # type: ignore[assignment]
        return self._inspector

    def unexpected_rows(self, metric_domain_kwargs: dict, metric_value_kwargs: dict) -> tuple[int, list[dict]]:
        """An unexpected-rows query's row count and its first MAX_RESULT_RECORDS rows, from one
        run of it (a second only to count past that); remembered for the other metric."""
        batch_selectable, _, _ = self.get_compute_domain(metric_domain_kwargs, domain_type=MetricDomainTypes.TABLE)
        query = _UnexpectedRowsCount._get_substituted_batch_subquery_from_query_and_batch_selectable(
            query=_UnexpectedRowsCount._get_query_from_metric_value_kwargs(metric_value_kwargs),
            batch_selectable=batch_selectable, execution_engine=self)
        return self.sampled_rows(query)

    def sampled_rows(self, query: str, times_column: str | None = None) -> tuple[int, list[dict]]:
        """How many rows ``query`` stands for and the first MAX_RESULT_RECORDS of them, from one run
        of it that stops there (a second only to count past that), remembered for the next metric
        that asks. With ``times_column``, each result row stands for that many rows (a key's group)
        and is listed that many times, without the column."""
        if query not in self._sampled:
            found = [row._asdict() for row in self.execute_query(sa.text(
                f"SELECT * FROM ({query}) AS sampled LIMIT {MAX_RESULT_RECORDS + 1}")).fetchall()]
            times = [row[times_column] if times_column else 1 for row in found]
            counted = f"sum({times_column})" if times_column else "count(*)"
            count = sum(times) if len(found) <= MAX_RESULT_RECORDS else int(self.execute_query(sa.text(
                f"SELECT {counted} FROM ({query}) AS sampled")).scalar_one())
            rows = [{key: value for key, value in row.items() if key != times_column}
                    for row, n in zip(found, times) for _ in range(n)]
            self._sampled[query] = (count, rows[:MAX_RESULT_RECORDS])
        return self._sampled[query]

    def close(self) -> None:
        # GX's close() only disposes the pool, leaving the held connection open. Also
        # called from __del__, so it must be idempotent.
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._inspector = None
        self.engine.dispose()


def _provided_from_one_run(name: str, part: int) -> type[QueryMetricProvider]:
    """GX's metric ``name`` on this engine, taken from the one run of the query both unexpected-rows
    metrics share (``unexpected_rows()``: part 0 the count, part 1 the rows)."""

    class FromOneRun(QueryMetricProvider):
        metric_name = name
        value_keys = ("unexpected_rows_query",)
        query_param_name = "unexpected_rows_query"

        @metric_value(engine=_DuckDBExecutionEngine)
        def _duckdb(cls, execution_engine: _DuckDBExecutionEngine, metric_domain_kwargs: dict,
                    metric_value_kwargs: dict, metrics: dict, runtime_configuration: dict) -> Any:
            return execution_engine.unexpected_rows(metric_domain_kwargs, metric_value_kwargs)[part]

    return FromOneRun


# Defining the classes registers them with GX, for _DuckDBExecutionEngine only.
_UnexpectedRowsCount = _provided_from_one_run("unexpected_rows_query.row_count", 0)
_UnexpectedRowsTable = _provided_from_one_run("unexpected_rows_query.table", 1)


# A compound key's uniqueness by grouping, not GX's join of every row to its key's count (module docstring)
_COMPOUND_UNIQUE_DOMAIN_KEYS = ("batch_id", "table", "column_list", "row_condition", "condition_parser",
                                "ignore_row_if")
_KEY_ROWS = "creditwh_key_rows"  # a group's row count: a name no key column has


def _duplicated_rows(execution_engine: _DuckDBExecutionEngine, metric_domain_kwargs: dict) -> tuple[int, list[dict]]:
    """The rows of the domain whose key other rows have too, and the first MAX_RESULT_RECORDS of them (a
    key twice is two rows, a dict each, as GX lists them); the domain's row condition and ``ignore_row_if``
    applied as GX applies them. These are the rows GX finds (CompoundColumnsUnique's join of each row to
    its key's count), found by grouping the key."""
    compute_kwargs, accessor_kwargs = execution_engine.get_compute_domain(
        metric_domain_kwargs, domain_type=MetricDomainTypes.MULTICOLUMN)[1:]
    domain = execution_engine.get_domain_records(domain_kwargs={**compute_kwargs, **accessor_kwargs})
    compiled = domain.compile(dialect=execution_engine.engine.dialect, compile_kwargs={"literal_binds": True})
    quoted = ['"' + str(column).replace('"', '""') + '"' for column in accessor_kwargs["column_list"]]
    columns = ", ".join(quoted)
    # GX's inner join on the key leaves out a row with a NULL in its key: neither unique nor not
    complete = " AND ".join(f"{column} IS NOT NULL" for column in quoted)
    return execution_engine.sampled_rows(
        f"SELECT {columns}, count(*) AS {_KEY_ROWS} FROM ({compiled}) AS domain WHERE {complete} "
        f"GROUP BY {columns} HAVING count(*) > 1", times_column=_KEY_ROWS)


class _CompoundColumnsUniqueUnexpectedCount(QueryMetricProvider):
    metric_name = "compound_columns.unique.unexpected_count"
    domain_keys = _COMPOUND_UNIQUE_DOMAIN_KEYS
    value_keys = ()

    @metric_value(engine=_DuckDBExecutionEngine)
    def _duckdb(cls, execution_engine: _DuckDBExecutionEngine, metric_domain_kwargs: dict,
                metric_value_kwargs: dict, metrics: dict, runtime_configuration: dict) -> int:
        return _duplicated_rows(execution_engine, metric_domain_kwargs)[0]


class _CompoundColumnsUniqueUnexpectedValues(QueryMetricProvider):
    metric_name = "compound_columns.unique.unexpected_values"
    domain_keys = _COMPOUND_UNIQUE_DOMAIN_KEYS
    value_keys = ("result_format",)

    @metric_value(engine=_DuckDBExecutionEngine)
    def _duckdb(cls, execution_engine: _DuckDBExecutionEngine, metric_domain_kwargs: dict,
                metric_value_kwargs: dict, metrics: dict, runtime_configuration: dict) -> list[dict]:
        result_format = metric_value_kwargs["result_format"]
        limit = (MAX_RESULT_RECORDS if result_format["result_format"] == "COMPLETE"
                 else min(result_format["partial_unexpected_count"], MAX_RESULT_RECORDS))
        return _duplicated_rows(execution_engine, metric_domain_kwargs)[1][:limit]


class _DuckDBDatasource(SQLDatasource):
    """A SQL data source that builds ``_DuckDBExecutionEngine``.

    The leading underscore keeps GX from registering it as a new data source type
    (``MetaDatasource`` skips private names): it stays a plain "sql" data source.
    """

    @property
    def execution_engine_type(self) -> type[SqlAlchemyExecutionEngine]:
        return _DuckDBExecutionEngine

    def close(self) -> None:
        """Close both engines GX keeps: the execution engine's and the data source's own."""
        if self._execution_engine is not None:
            self._execution_engine.close()
            self._execution_engine = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


# --------------------------------------------------------------------------------------
# Rows checked once (row-local expectations; see the module docstring)
# --------------------------------------------------------------------------------------

ROW_LOCAL = "row_local"
_ROW = "creditwh_row"
# DuckDB's 64-bit hash of the row (a struct of its columns): ten times cheaper than an MD5 of it, which
# would cost as much as the identity-number scan it saves. A changed row that takes the digest of one
# seen before goes unchecked: at 10 M rows seen, about one chance in 2 * 10^12 for each changed row.
_ROW_DIGEST = f"hash({_ROW})"


@dataclass(frozen=True)
class SeenRows:
    """Where the rows that passed a table's row-local expectations are remembered, and under which
    rules: ``rules`` fingerprints what the queries call (a change of it checks every row again)."""

    folder: Path
    rules: str

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.parquet"

    def fingerprint(self, queries: Sequence[str]) -> str:
        return hashlib.sha256("\0".join([*sorted(queries), self.rules, duckdb.__version__]).encode()).hexdigest()

    def remembered(self, table: str, queries: Sequence[str]) -> Path | None:
        """The digest file of ``table``'s rows that passed these queries, if there is one."""
        path = self.path(table)
        try:
            metadata = pq.read_schema(path).metadata or {}
        except (OSError, pa.ArrowInvalid):
            return None
        return path if metadata.get(b"fingerprint") == self.fingerprint(queries).encode() else None

    def remember(self, con: Any, schema: str, table: str, queries: Sequence[str]) -> None:
        """Keep the digests of every row ``schema.table`` holds now, read through the DuckDB connection
        ``con``, as having passed ``queries``. Not remembering (a database error) only means the next
        validation checks every row."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path(f"{schema}.{table}")
        building = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            con.execute(f"""COPY (SELECT DISTINCT {_ROW_DIGEST} AS row_digest FROM "{schema}"."{table}" AS {_ROW})
                            TO '{str(building).replace("'", "''")}'
                            (FORMAT parquet, KV_METADATA {{fingerprint: '{self.fingerprint(queries)}'}})""")
        except duckdb.Error:
            building.unlink(missing_ok=True)
            return
        os.replace(building, path)


def _row_local_queries(suite: ExpectationSuite) -> list[str]:
    return [expectation.unexpected_rows_query for expectation in suite.expectations
            if (expectation.meta or {}).get(ROW_LOCAL) is True]


def _row_local(meta: Mapping[str, Any], expectation_type: str, kwargs: Mapping[str, Any]) -> bool:
    row_local = meta.get(ROW_LOCAL, False)
    if not isinstance(row_local, bool):
        raise ValueError(f"{expectation_type}: meta.{ROW_LOCAL} must be true or false, got {row_local!r}")
    if row_local and (expectation_type != "unexpected_rows_expectation"
                      or kwargs.get("unexpected_rows_query", "").count("{batch}") != 1):
        raise ValueError(f"{expectation_type}: meta.{ROW_LOCAL} is for an unexpected_rows_expectation "
                         "whose query reads {batch} once")
    return row_local


def _unseen_rows_only(query: str, seen: Path) -> str:
    """``query`` over the rows of {batch} whose digest is not in ``seen``."""
    path = str(seen).replace("'", "''")
    # GX puts {batch} as a table or as "(...) AS subselect": the row's alias goes on a derived table
    return query.replace("{batch}", f"(SELECT * FROM (SELECT * FROM {{batch}}) AS {_ROW} WHERE {_ROW_DIGEST} "
                                    f"NOT IN (SELECT row_digest FROM read_parquet('{path}')))")


# --------------------------------------------------------------------------------------
# Suite loading and result conversion
# --------------------------------------------------------------------------------------

_NOT_DESCRIBED = {"column", "batch_id", "result_format", "catch_exceptions", "include_config"}


def _blocking(meta: Mapping[str, Any], expectation_type: str) -> bool:
    blocking = meta.get("blocking", True)
    if not isinstance(blocking, bool):  # a typo must not silently downgrade a check
        raise ValueError(
            f"{expectation_type}: meta.blocking must be true or false, got {blocking!r}"
        )
    return blocking


References = Callable[[Mapping[str, Any]], list[Any]]
_QUERY_REFERENCE = re.compile(r"\{\$(\w+):([\w.]+)\}")


def _sql_list(values: Sequence[Any]) -> str:
    return "(" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + ")"


def _resolve(value: Any, references: References | None) -> Any:
    """A kwarg value with its references (``{"$kind": ...}``, ``{$kind:name}`` in a string) resolved."""
    if isinstance(value, Mapping) and any(str(key).startswith("$") for key in value):
        if references is None:
            raise ValueError(f"the suite names {dict(value)!r} but no references were given")
        return references(value)
    if isinstance(value, str) and _QUERY_REFERENCE.search(value):
        return _QUERY_REFERENCE.sub(
            lambda m: _sql_list(_resolve({f"${m[1]}": m[2]}, references)), value)
    return value


def _load_expectations(suite_json: Mapping[str, Any], references: References | None = None,
                       row_local_query: Callable[[str], str] | None = None) -> list[Expectation]:
    """Build each expectation ourselves: ExpectationSuite(...) logs and *drops* invalid ones.
    ``row_local_query`` rewrites the query of each row-local expectation (``_unseen_rows_only``)."""
    expectations: list[Expectation] = []
    for index, raw in enumerate(suite_json.get("expectations", [])):
        expectation_type = raw.get("type")
        if not expectation_type:
            raise ValueError(f"expectation #{index} has no 'type'")
        meta = dict(raw.get("meta") or {})
        _blocking(meta, expectation_type)  # check early, before touching the database
        kwargs = {key: _resolve(value, references) for key, value in (raw.get("kwargs") or {}).items()}
        if _row_local(meta, expectation_type, kwargs) and row_local_query is not None:
            kwargs["unexpected_rows_query"] = row_local_query(kwargs["unexpected_rows_query"])
        # No "id": ids belong to the context the suite was saved from; ours assigns new ones.
        configuration = ExpectationConfiguration(
            type=expectation_type,
            kwargs=kwargs,
            meta=meta,
            notes=raw.get("notes"),
            description=raw.get("description"),
            severity=raw.get("severity", "critical"),
        )
        expectations.append(configuration.to_domain_obj())
    return expectations


def _load_suite(suite_paths: Sequence[Path], name: str | None = None,
                extra_expectations: Sequence[Mapping[str, Any]] = (),
                references: References | None = None,
                row_local_query: Callable[[str], str] | None = None) -> ExpectationSuite:
    """One suite of the expectations of every file, then ``extra_expectations`` (in the suite JSON's
    shape); named ``name``, else as its only file names it. References are resolved by ``references``."""
    expectations: list[Expectation] = []
    for suite_path in suite_paths:
        suite_json = json.loads(suite_path.read_text(encoding="utf-8"))
        suite_name = suite_json.get("name")
        if not isinstance(suite_name, str) or not suite_name or Path(suite_name).name != suite_name:
            raise ValueError(f"{suite_path}: suite 'name' must be a plain, non-empty file name")
        expectations += _load_expectations(suite_json, references, row_local_query)
    expectations += _load_expectations({"expectations": list(extra_expectations)}, references, row_local_query)
    if name is None:
        return ExpectationSuite(name=suite_name, expectations=expectations,
                                meta=suite_json.get("meta") or None, notes=suite_json.get("notes"))
    return ExpectationSuite(name=name, expectations=expectations)


def _render(value: Any) -> str:
    return value.isoformat() if isinstance(value, (date, datetime)) else repr(value)


def _description(config: ExpectationConfiguration) -> str:
    """meta.notes, notes or description if the suite has one; else type(column, kwargs)."""
    text = (config.meta or {}).get("notes") or config.notes or config.description
    if text:
        return text if isinstance(text, str) else " ".join(text)
    kwargs = config.kwargs
    arguments = [str(kwargs["column"])] if kwargs.get("column") else []
    arguments += [f"{k}={_render(v)}" for k, v in kwargs.items() if k not in _NOT_DESCRIBED]
    return f"{config.type}({', '.join(arguments)})"


def _error_message(result: ExpectationValidationResult) -> str | None:
    """GX reports "could not evaluate" as a failure with exception_info; surface it."""
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for nested in info.values():  # per-metric form: {metric_id: {...}}
        if isinstance(nested, dict) and nested.get("raised_exception"):
            return str(nested.get("exception_message"))
    return None


def _to_outcome(result: ExpectationValidationResult) -> ExpectationOutcome:
    config = result.expectation_config
    assert config is not None  # GX always echoes the configuration
    details = result.result or {}
    unexpected_count = details.get("unexpected_count")
    observed_value = details.get("observed_value")
    # UnexpectedRowsExpectation reports its unexpected-row count as the observed value.
    if config.type == "unexpected_rows_expectation" and isinstance(observed_value, int):
        unexpected_count = observed_value
    return ExpectationOutcome(
        expectation_type=config.type,
        column=config.kwargs.get("column"),
        success=bool(result.success),
        blocking=_blocking(config.meta or {}, config.type),
        unexpected_count=unexpected_count,
        element_count=details.get("element_count"),
        description=_description(config),
        observed_value=observed_value,
        error=_error_message(result),
    )


def _in_suite_order(
    suite: ExpectationSuite, results: list[ExpectationValidationResult]
) -> list[ExpectationValidationResult]:
    """GX groups results by column; report them in the order the suite lists them."""
    position = {expectation.id: index for index, expectation in enumerate(suite.expectations)}

    def suite_index(result: ExpectationValidationResult) -> int:
        config = result.expectation_config
        return position.get(config.id if config else None, len(position))

    return sorted(results, key=suite_index)


def _write_result(result: ExpectationSuiteValidationResult, results_dir: Path, name: str) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{name}.json"
    text = json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def _ephemeral_context() -> EphemeralDataContext:
    """An in-memory context: nothing is written to disk, no analytics, no progress bars."""
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _read_only_datasource(database: Path, duckdb_config: Mapping[str, str] | None) -> "_DuckDBDatasource":
    return _DuckDBDatasource(
        name="creditwh_duckdb",
        connection_string=f"duckdb:///{database.as_posix()}",
        # read-only: a shared lock, readers never block readers
        kwargs={"connect_args": {"read_only": True, "config": dict(duckdb_config or {})}},
    )


def validate_table(
    database_path: str | Path,
    schema: str,
    table: str,
    suite_path: str | Path | Sequence[str | Path],
    results_dir: str | Path | None = None,
    duckdb_config: Mapping[str, str] | None = None,
    sql_functions: Callable[[Any], None] | None = None,
    extra_expectations: Sequence[Mapping[str, Any]] = (),
    references: References | None = None,
    seen_rows: SeenRows | None = None,
) -> SuiteOutcome:
    """Validate ``schema.table`` in the DuckDB file against the suite JSON at ``suite_path``
    (a list of them: one suite of all their expectations, named ``schema.table``).

    ``sql_functions(connection)``, if given, registers functions the suites' queries call on the
    DuckDB connection the expectations run on. ``extra_expectations`` (in the suite JSON's shape) are
    appended to the suite's own: checks whose bounds are run settings rather than part of the suite.
    ``references(reference)`` returns the values a suite names by reference (``{"$code_list": ...}``).
    ``seen_rows``: run the row-local expectations only on rows not seen passing them (module docstring).

    The file is opened read-only and closed again before returning. If ``results_dir``
    is given, the full GX validation result is written to ``<results_dir>/<suite>.json``.
    Raises on a missing file, table or invalid suite; a failing expectation is reported
    in the returned ``SuiteOutcome``, never raised.
    """
    database = Path(database_path).resolve()
    if not database.is_file():
        raise FileNotFoundError(f"DuckDB database not found: {database}")
    paths = [Path(suite_path)] if isinstance(suite_path, (str, Path)) else [Path(p) for p in suite_path]
    name = None if isinstance(suite_path, (str, Path)) else f"{schema}.{table}"
    suite = _load_suite(paths, name, extra_expectations, references)
    row_local_queries = _row_local_queries(suite)
    if seen_rows is not None and (seen := seen_rows.remembered(f"{schema}.{table}", row_local_queries)):
        suite = _load_suite(paths, name, extra_expectations, references,
                            row_local_query=lambda query: _unseen_rows_only(query, seen))

    context = _ephemeral_context()
    datasource = _read_only_datasource(database, duckdb_config)
    try:
        context.data_sources.add_sql(datasource=datasource)
        datasource.get_execution_engine().sql_functions = sql_functions
        with warnings.catch_warnings():
            # GX deprecates schema_name in favour of a schema in the connection config,
            # which a generic SQL data source (DuckDB) does not have; it is the only way.
            warnings.filterwarnings("ignore", "`schema_name` is deprecated", DeprecationWarning)
            asset = datasource.add_table_asset(
                name=f"{schema}.{table}", table_name=table, schema_name=schema
            )
        batch_definition = asset.add_batch_definition_whole_table("whole_table")
        # the validator a ValidationDefinition runs, without the suite, the definition and the result
        # stored in the context's stores, which this context forgets at once (27 gates of the samples
        # warehouse took 6.3 s this way, 7.3-7.5 s through a stored ValidationDefinition);
        # the ids a store would give, by which the results are put back in the suite's order
        for index, expectation in enumerate(suite.expectations):
            expectation.id = str(index)
        result = Validator(batch_definition=batch_definition, result_format="SUMMARY").validate_expectation_suite(suite)
        result.meta["validation_time"] = datetime.now().astimezone().isoformat()
        row_local_passed = all(r.success for r in result.results
                               if ((r.expectation_config and r.expectation_config.meta) or {}).get(ROW_LOCAL) is True)
        if seen_rows is not None and row_local_queries and row_local_passed:
            # through the validation's own connection (DuckDB refuses a second one configured otherwise),
            # which holds the file's shared lock: no writer between the validation and the digests
            with datasource.get_execution_engine().get_connection() as connection:
                seen_rows.remember(connection.connection.driver_connection, schema, table, row_local_queries)
    finally:
        datasource.close()

    outcomes = tuple(_to_outcome(r) for r in _in_suite_order(suite, result.results))
    return SuiteOutcome(
        suite_name=suite.name,
        table=f"{schema}.{table}",
        success=all(o.success for o in outcomes if o.blocking),
        outcomes=outcomes,
        result_path=_write_result(result, Path(results_dir), suite.name) if results_dir else None,
    )
