{{ config(alias='rejected_rows') }}
-- audit.rejected_rows (marts.md): every delivered row that did not land, with its file, the
-- physical line where it starts (header = 1), why, and its text with identity numbers masked.
{%- set kinds = var('extract_contract')['kinds'] %}

with parse_rejects as (
    select file_path, line_number, reason, raw_text
    from {{ source('extracts', 'parse_rejects') }}
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
