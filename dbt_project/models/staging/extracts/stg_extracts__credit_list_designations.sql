{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_rows_of_unlanded_files() }}") }}
-- 信用名单 designations that landed: rows with an identity (认定部门统一社会信用代码 + 列入决定文书号).
-- Incremental by file.
{{ staged_rows_by_file('credit_list') }}
