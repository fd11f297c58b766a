{{ config(materialized='view') }}
-- 行政许可: every landed row cleaned, typed and flagged; stg_ keeps the rows with an identity.

with source as (
    {{ cleaned_source(source('extracts', 'license')) | indent(4) }}
),

cleaned as (
    select
        {{ lineage_columns() }},
        {{ source_dept_columns() }},
        {{ subject_columns() }},
        "行政许可决定文书名称" as doc_name,
        "行政许可决定文书号" as doc_no,
        "许可类别" as license_category,
        "许可证书名称" as certificate_name,
        "许可编号" as license_no,
        "许可内容" as license_content,
        {{ parse_cn_date('"许可决定日期"') }} as decision_date,
        {{ parse_cn_date('"有效期自"') }} as valid_from,
        {{ is_open_ended('"有效期至"') }} as is_open_ended,
        case when not is_open_ended then {{ parse_cn_date('"有效期至"') }} end as valid_until,
        "许可机关" as authority_name,
        {{ clean_code('"许可机关统一社会信用代码"') }} as authority_code,
        coalesce("当前状态", '有效') as license_status,
        "备注" as remarks,
        {%- set date_checks = date_defect_checks('"许可决定日期"', 'decision_date')
            + date_defect_checks('"有效期自"', 'valid_from') %}
        {{ defect_list(date_checks + [
            ('"有效期至" IS NULL', "MISSING:valid_until"),
            ("NOT " ~ is_open_ended('"有效期至"') ~ " AND " ~ is_unparseable_date('"有效期至"'), "UNPARSEABLE_DATE:valid_until"),
            too_early_date_check('valid_until'),
        ]) }} as date_defects
    from source
),

flagged as (
    select
        *,
        source_dept_code is not null and doc_no is not null as has_identity,
        source_dept_code || '|' || doc_no as record_key,
        cast(submitted_at as date) as submitted_date,
        {{ content_hash(['source_dept_name', 'subject_name', 'subject_type', 'subject_uscc', 'legacy_org_code',
            'legacy_tax_no', 'legacy_registration_no', 'legal_rep_name', 'legal_rep_id_key', 'person_id_key',
            'doc_name', 'license_category', 'certificate_name', 'license_no', 'license_content', 'decision_date',
            'valid_from', 'valid_until', 'is_open_ended', 'authority_name', 'authority_code', 'license_status',
            'remarks']) }} as content_hash,
        date_defects || {{ defect_list(source_dept_defect_checks() + subject_defect_checks()
            + [("subject_type = '法人及非法人组织' AND legal_rep_name IS NULL", "MISSING:legal_rep_name")]
            + required_checks(['subject_name', 'doc_name', 'doc_no', 'license_category', 'license_content',
                               'authority_name', 'authority_code'])
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
