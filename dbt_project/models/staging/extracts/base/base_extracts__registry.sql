{{ config(materialized='view') }}
-- 法人和非法人组织登记信息: every landed row cleaned, typed and flagged.
-- Plain columns, identity and R flags come from the extract contract (var extract_contract).

{%- set date_checks = date_defect_checks('registry', 'established_date') %}
{%- set group_checks = source_dept_defect_checks() %}

with source as (
    {{ cleaned_source(source('extracts', 'registry')) | indent(4) }}
),

cleaned as (
    select
        {{ lineage_columns() }},
        {{ staging_columns('registry') }},
        {{ defect_list(date_checks) }} as date_defects
    from source
),

flagged as (
    select
        *,
        {{- identity_columns('registry') }},
        cast(submitted_at as date) as submitted_date,
        {{ content_hash(['source_dept_name', 'entity_name', 'entity_type', 'legal_rep_name', 'legal_rep_id_key',
            'established_date', 'registration_status', 'legacy_registration_no', 'legacy_org_code', 'address',
            'registration_authority']) }} as content_hash,
        date_defects || {{ defect_list(group_checks + required_checks('registry', written=group_checks)
            + [
                ("NOT " ~ is_valid_uscc('entity_uscc'), "INVALID:entity_uscc"),
                ("entity_type IS NOT NULL AND NOT " ~ in_code_list('entity_type', 'entity_type'), "INVALID:entity_type"),
                ("registration_status IS NOT NULL AND NOT " ~ in_code_list('registration_status', 'registration_status'), "INVALID:registration_status"),
                ("legacy_org_code IS NOT NULL AND legacy_org_code <> substr(entity_uscc, 9, 9)", "INVALID:legacy_org_code"),
                ("legal_rep_id_key IS NOT NULL AND " ~ is_ric_type('legal_rep_id_type') ~ " AND NOT legal_rep_id_is_ric", "INVALID:legal_rep_id"),
            ]) }} as defects
    from cleaned
)

select * exclude (date_defects) from flagged
