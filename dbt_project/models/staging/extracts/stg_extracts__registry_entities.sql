{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_rows_of_unlanded_files() }}") }}
-- 登记信息 rows that landed: rows with a 统一社会信用代码. Incremental by file.
{{ staged_rows_by_file('registry') }}
