{{ config(materialized='view') }}
-- 信用名单 designations: every landed row cleaned, typed and flagged.
-- Plain columns, identity and R flags come from the extract contract (var extract_contract).

{%- set valid_until %}
{{ is_open_ended('"有效期至"') }} as is_open_ended,
        case when not is_open_ended then {{ parse_cn_date('"有效期至"') }} end as valid_until
{%- endset %}
{%- set date_checks = date_defect_checks('credit_list', 'designated_date')
    + date_defect_checks('credit_list', 'removed_date')
    + [("NOT " ~ is_open_ended('"有效期至"') ~ " AND " ~ is_unparseable_date('"有效期至"'), "UNPARSEABLE_DATE:valid_until"),
       too_early_date_check('valid_until')] %}
{%- set group_checks = source_dept_defect_checks() + subject_defect_checks() %}

with source as (
    {{ cleaned_source(source('extracts', 'credit_list')) | indent(4) }}
),

cleaned as (
    select
        {{ lineage_columns() }},
        {{ staging_columns('credit_list', derived={'valid_until': valid_until}) }},
        {{ defect_list(date_checks) }} as date_defects
    from source
),

flagged as (
    select
        *,
        {{- identity_columns('credit_list') }},
        cast(submitted_at as date) as submitted_date,
        {{ content_hash(['source_dept_name', 'list_type', 'subject_name', 'subject_type', 'subject_uscc',
            'person_id_key', 'legal_rep_name', 'legal_rep_id_key', 'designation_reason', 'designation_basis',
            'designating_dept_name', 'designated_date', 'valid_until', 'is_open_ended', 'removed_date',
            'removal_reason']) }} as content_hash,
        date_defects || {{ defect_list(group_checks + required_checks('credit_list', written=group_checks)
            + [
                ("list_type IS NOT NULL AND NOT " ~ in_code_list('list_type', 'list_type'), "INVALID:list_type"),
                ("designating_dept_code IS NOT NULL AND NOT " ~ is_valid_uscc('designating_dept_code'), "INVALID:designating_dept_code"),
                ("designated_date > valid_until", "DATE_ORDER:designated_after_valid_until"),
                ("designated_date > removed_date", "DATE_ORDER:designated_after_removed"),
                ("designated_date > cast(submitted_at as date)", "DATE_ORDER:designated_after_submission"),
            ]) }} as defects
    from cleaned
)

select * exclude (date_defects) from flagged
