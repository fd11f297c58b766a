{{ config(materialized='view') }}
-- 异议处理: every landed row cleaned, typed and flagged.
-- Plain columns, identity and R flags come from the extract contract (var extract_contract).

{%- set date_checks = date_defect_checks('objection', 'accepted_date')
    + date_defect_checks('objection', 'resolved_date') %}
{%- set group_checks = source_dept_defect_checks() + subject_defect_checks() %}

with source as (
    {{ cleaned_source(source('extracts', 'objection')) | indent(4) }}
),

cleaned as (
    select
        {{ lineage_columns() }},
        {{ staging_columns('objection') }},
        {{ defect_list(date_checks) }} as date_defects
    from source
),

flagged as (
    select
        *,
        {{- identity_columns('objection') }},
        cast(submitted_at as date) as submitted_date,
        {{ content_hash(['source_dept_name', 'subject_name', 'subject_type', 'subject_uscc', 'person_id_key',
            'objection_category', 'target_doc_no', 'target_authority_code', 'objection_reason', 'accepted_date',
            'outcome', 'resolved_date', 'handling_dept_name', 'handling_dept_code']) }} as content_hash,
        -- R*: 处理结果 is required once the objection is resolved (办结日期 given)
        date_defects || {{ defect_list(group_checks + required_checks('objection', written=group_checks)
            + [
                ("resolved_date IS NOT NULL AND outcome IS NULL", "MISSING:outcome"),
                ("objection_category IS NOT NULL AND NOT " ~ in_code_list('objection_category', 'objection_category'), "INVALID:objection_category"),
                ("outcome IS NOT NULL AND NOT " ~ in_code_list('outcome', 'objection_outcome'), "INVALID:outcome"),
                ("target_authority_code IS NOT NULL AND NOT " ~ is_valid_uscc('target_authority_code'), "INVALID:target_authority_code"),
                ("handling_dept_code IS NOT NULL AND NOT " ~ is_valid_uscc('handling_dept_code'), "INVALID:handling_dept_code"),
                ("accepted_date > resolved_date", "DATE_ORDER:accepted_after_resolved"),
            ]) }} as defects
    from cleaned
)

select * exclude (date_defects) from flagged
