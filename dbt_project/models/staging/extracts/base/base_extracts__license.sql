{{ config(materialized='view') }}
-- 行政许可: every landed row cleaned, typed and flagged; stg_ keeps the rows with an identity.
-- Plain columns, identity and R flags come from the extract contract (var extract_contract).

{%- set valid_until %}
{{ is_open_ended('"有效期至"') }} as is_open_ended,
        case when not is_open_ended then {{ parse_cn_date('"有效期至"') }} end as valid_until
{%- endset %}
{%- set date_checks = date_defect_checks('license', 'decision_date') + date_defect_checks('license', 'valid_from') + [
    ('"有效期至" IS NULL', "MISSING:valid_until"),
    ("NOT " ~ is_open_ended('"有效期至"') ~ " AND " ~ is_unparseable_date('"有效期至"'), "UNPARSEABLE_DATE:valid_until"),
    too_early_date_check('valid_until'),
] %}
{%- set group_checks = source_dept_defect_checks() + subject_defect_checks()
    + [("subject_type = '法人及非法人组织' AND legal_rep_name IS NULL", "MISSING:legal_rep_name")] %}

with source as (
    {{ cleaned_source(source('extracts', 'license')) | indent(4) }}
),

cleaned as (
    select
        {{ lineage_columns() }},
        {{ staging_columns('license', derived={
            'valid_until': valid_until,
            'license_status': "coalesce(\"当前状态\", '有效') as license_status",
        }) }},
        {{ defect_list(date_checks) }} as date_defects
    from source
),

flagged as (
    select
        *,
        {{- identity_columns('license') }},
        cast(submitted_at as date) as submitted_date,
        {{ content_hash(['source_dept_name', 'subject_name', 'subject_type', 'subject_uscc', 'legacy_org_code',
            'legacy_tax_no', 'legacy_registration_no', 'legal_rep_name', 'legal_rep_id_key', 'person_id_key',
            'doc_name', 'license_category', 'certificate_name', 'license_no', 'license_content', 'decision_date',
            'valid_from', 'valid_until', 'is_open_ended', 'authority_name', 'authority_code', 'license_status',
            'remarks']) }} as content_hash,
        date_defects || {{ defect_list(group_checks + required_checks('license', written=group_checks)
            + [
                ("license_category IS NOT NULL AND NOT " ~ in_code_list('license_category', 'license_category'), "INVALID:license_category"),
                ("authority_code IS NOT NULL AND NOT " ~ is_valid_uscc('authority_code'), "INVALID:authority_code"),
                ("NOT " ~ in_code_list('license_status', 'license_status'), "INVALID:license_status"),
                ("valid_from > valid_until", "DATE_ORDER:valid_from_after_valid_until"),
                ("decision_date > cast(submitted_at as date)", "DATE_ORDER:decision_after_submission"),
            ]) }} as defects
    from cleaned
)

select * exclude (date_defects) from flagged
