{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_rows_of_unlanded_files() }}") }}
-- 信用承诺 rows that landed: rows with an identity (承诺受理单位统一社会信用代码 + subject +
-- 承诺类型 + 承诺事项 + 承诺日期). Incremental by file.
{{ staged_rows_by_file('commitment') }}
