"""Warehouse safety, with no Dagster in it: what keeps one DuckDB warehouse whole while runs,
look-ups and BI tools share it.

  settings            the run's CREDIT_* settings, read once (Settings.from_env)
  lock                one run at a time (flock), look-ups waited for
  access              the sequence every writing step follows: lock, mark changing, connect
  build_state         when an incremental dbt step must rebuild from scratch
  publishing          changing/verified state, and the read-only publication for BI tools
  table_fingerprints  what a warehouse holds, table by table, to compare two builds

The Dagster layer (creditwh.defs) uses it through one resource (defs/resources.py); nothing here
imports Dagster or creditwh.defs (tests/unit/test_import_graph.py).
"""
