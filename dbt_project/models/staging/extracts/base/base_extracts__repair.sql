{{ config(materialized='view') }}
-- 信用修复 decisions: every landed row cleaned, typed and flagged.
-- Plain columns, identity and R flags come from the extract contract (var extract_contract).

{%- set date_checks = date_defect_checks('repair', 'repair_decision_date')
    + date_defect_checks('repair', 'applied_date') %}
{%- set group_checks = source_dept_defect_checks() %}

with source as (
    {{ cleaned_source(source('extracts', 'repair')) | indent(4) }}
),

cleaned as (
    select
        {{ lineage_columns() }},
        {{ staging_columns('repair') }},
        {{ defect_list(date_checks) }} as date_defects
    from source
),

flagged as (
    select
        *,
        {{- identity_columns('repair') }},
        cast(submitted_at as date) as submitted_date,
        {{ content_hash(['source_dept_name', 'subject_name', 'subject_uscc', 'applied_date', 'repair_result',
            'repair_authority_name']) }} as content_hash,
        date_defects || {{ defect_list(group_checks + required_checks('repair', written=group_checks)
            + [
                ("repair_type IS NOT NULL AND NOT " ~ in_code_list('repair_type', 'repair_type'), "INVALID:repair_type"),
                ("repair_result IS NOT NULL AND NOT " ~ in_code_list('repair_result', 'repair_result'), "INVALID:repair_result"),
                ("subject_uscc IS NOT NULL AND NOT " ~ is_valid_uscc('subject_uscc'), "INVALID:subject_uscc"),
                ("related_authority_code IS NOT NULL AND NOT " ~ is_valid_uscc('related_authority_code'), "INVALID:related_authority_code"),
                ("applied_date > repair_decision_date", "DATE_ORDER:applied_after_decision"),
            ]) }} as defects
    from cleaned
)

select * exclude (date_defects) from flagged
