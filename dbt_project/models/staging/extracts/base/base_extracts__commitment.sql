{{ config(materialized='view') }}
-- 信用承诺: every landed row cleaned, typed and flagged.
-- Plain columns, identity and R flags come from the extract contract (var extract_contract).

{%- set date_checks = date_defect_checks('commitment', 'commitment_date')
    + date_defect_checks('commitment', 'breach_date') %}
{%- set group_checks = source_dept_defect_checks() + subject_defect_checks() %}

with source as (
    {{ cleaned_source(source('extracts', 'commitment')) | indent(4) }}
),

cleaned as (
    select
        {{ lineage_columns() }},
        {{ staging_columns('commitment') }},
        {{ defect_list(date_checks) }} as date_defects
    from source
),

flagged as (
    select
        *,
        {{- identity_columns('commitment') }},
        cast(submitted_at as date) as submitted_date,
        {{ content_hash(['source_dept_name', 'subject_name', 'subject_type', 'subject_uscc', 'person_id_key',
            'accepting_dept_name', 'fulfilment_status', 'breach_date']) }} as content_hash,
        date_defects || {{ defect_list(group_checks + required_checks('commitment', written=group_checks)
            + [
                ("fulfilment_status = '违诺' AND breach_date IS NULL", "MISSING:breach_date"),
                ("commitment_type IS NOT NULL AND NOT " ~ in_code_list('commitment_type', 'commitment_type'), "INVALID:commitment_type"),
                ("fulfilment_status IS NOT NULL AND NOT " ~ in_code_list('fulfilment_status', 'fulfilment_status'), "INVALID:fulfilment_status"),
                ("accepting_dept_code IS NOT NULL AND NOT " ~ is_valid_uscc('accepting_dept_code'), "INVALID:accepting_dept_code"),
                ("commitment_date > breach_date", "DATE_ORDER:commitment_after_breach"),
            ]) }} as defects
    from cleaned
)

select * exclude (date_defects) from flagged
