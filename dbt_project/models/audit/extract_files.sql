{{ config(alias='extract_files') }}
-- audit.extract_files (marts.md): one row per file seen, and where each of its rows went.
-- For a loaded file rows_read = rows_landed + rows_rejected.

with files as (
    select * from {{ source('extracts', 'extract_files') }}
),

landed as (
    {%- for model in ['stg_extracts__registry_entities', 'stg_extracts__licenses', 'stg_extracts__penalties',
                      'stg_extracts__credit_list_designations', 'stg_extracts__commitments', 'stg_extracts__repairs',
                      'stg_extracts__objections'] %}
    select file_path, count(*) as rows_landed from {{ ref(model) }} group by file_path
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

rejected as (
    select file_path, count(*) as rows_rejected
    from {{ ref('rejected_rows') }}
    group by file_path
)

select
    files.file_path,
    files.kind,
    files.sha256,
    files.status,
    files.rows_read,
    coalesce(landed.rows_landed, 0) as rows_landed,
    coalesce(rejected.rows_rejected, 0) as rows_rejected,
    files.reason,
    files.encoding,
    files.reader,
    files.file_order
from files
left join landed using (file_path)
left join rejected using (file_path)
order by files.file_order
