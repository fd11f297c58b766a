{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_rows_of_unlanded_files() }}") }}
-- 异议处理 rows that landed: rows with an identity (数据来源单位统一社会信用代码 + 异议编号).
-- Incremental by file.
{{ staged_rows_by_file('objection') }}
