"""creditwh — the public credit data warehouse (公共信用信息平台) of the city.

Layers: raw (landing, as delivered) -> staging -> intermediate -> marts, built by
Dagster (``creditwh.definitions``) over a dbt project on DuckDB.
"""
