"""Data-quality checks run against the DuckDB warehouse (Great Expectations suites)."""
