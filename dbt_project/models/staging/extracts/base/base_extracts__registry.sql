{{ config(materialized='view') }}
-- 法人和非法人组织登记信息: every landed row cleaned, typed and flagged.

with source as (
    {{ cleaned_source(source('extracts', 'registry')) | indent(4) }}
),

cleaned as (
    select
        {{ lineage_columns() }},
        {{ source_dept_columns() }},
        {{ clean_code('"统一社会信用代码"') }} as entity_uscc,
        {{ code_person_key('统一社会信用代码') }} as entity_uscc_person_key,
        "主体名称" as entity_name,
        "主体类型" as entity_type,
        "法定代表人" as legal_rep_name,
        "法定代表人证件类型" as legal_rep_id_type,
        {{ person_id_columns('法定代表人证件号码', 'legal_rep_id') }},
        {{ parse_cn_date('"成立日期"') }} as established_date,
        "登记状态" as registration_status,
        {{ clean_code('"注册号"') }} as legacy_registration_no,
        {{ clean_code('"组织机构代码"') }} as legacy_org_code,
        "住所" as address,
        "登记机关" as registration_authority,
        {{ defect_list(date_defect_checks('"成立日期"', 'established_date')) }} as date_defects
    from source
),

flagged as (
    select
        *,
        entity_uscc is not null as has_identity,
        entity_uscc as record_key,
        cast(submitted_at as date) as submitted_date,
        {{ content_hash(['source_dept_name', 'entity_name', 'entity_type', 'legal_rep_name', 'legal_rep_id_key',
            'established_date', 'registration_status', 'legacy_registration_no', 'legacy_org_code', 'address',
            'registration_authority']) }} as content_hash,
        date_defects || {{ defect_list(source_dept_defect_checks()
            + required_checks(['entity_name', 'entity_type', 'legal_rep_name', 'registration_status'])
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
