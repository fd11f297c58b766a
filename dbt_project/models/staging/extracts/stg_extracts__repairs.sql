{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_rows_of_unlanded_files() }}") }}
-- 信用修复 rows that landed: rows with an identity (关联机关统一社会信用代码 + 关联文书号 + 修复类型 +
-- 修复决定日期). Incremental by file.
{{ staged_rows_by_file('repair') }}
