{{ config(alias='rejected_rows', materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_rejected_rows_of_changed_files() }}",
          post_hook="{{ record_built_from(landed_files()) }}") }}
-- audit.rejected_rows (marts.md): every delivered row that did not land, with its file, the
-- physical line where it starts (header = 1), why, and its text with identity numbers masked.
-- Incremental by file: a file's rejected rows follow from its landing alone, so a run reads the
-- files landed since the last build (macros/built_from_files.sql) and drops the rows of files that
-- changed or went.
{%- set kinds = var('extract_contract')['kinds'] %}
{%- set files = files_since_last_build(landed_files()) if is_incremental() else none %}

with parse_rejects as (
    select file_path, line_number, reason, raw_text
    from {{ source('extracts', 'parse_rejects') }}
    {{ rejected_rows_of(files) }}
),

{% for kind in kinds %}
missing_identity_{{ kind }} as (
    select
        file_path,
        line_number,
        'MISSING_IDENTITY: a record identity column is empty or unparseable ({{ identity_names(kind) | join(', ') }})' as reason,
        raw_text
    from {{ ref('base_extracts__' ~ kind) }}
    where not has_identity
    {{ rejected_rows_of(files, 'and') }}
),
{% endfor %}

unioned as (
    select * from parse_rejects
    {%- for kind in kinds %}
    union all
    select * from missing_identity_{{ kind }}
    {%- endfor %}
)

select * from unioned
order by file_path, line_number
