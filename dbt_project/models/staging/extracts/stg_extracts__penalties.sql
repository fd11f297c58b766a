{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_rows_of_unlanded_files() }}") }}
-- 行政处罚 rows that landed: every delivered row with an identity (数据来源单位统一社会信用代码 +
-- 行政处罚决定书文号). Rows without one are in audit.rejected_rows instead. Incremental by file.
{{ staged_rows_by_file('penalty') }}
