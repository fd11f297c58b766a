"""A dbt-duckdb plugin (dbt_project/profiles.yml, ``plugins``): the identity-number rules of pii.py
as SQL functions in dbt's connection, so that models use them (the public schema's redaction)
without writing the rules a second time."""

from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin

from .pii import register_sql_functions, register_sql_macros


class Plugin(BasePlugin):
    def configure_connection(self, conn) -> None:
        register_sql_functions(conn)

    def configure_cursor(self, cursor) -> None:
        register_sql_macros(cursor)
