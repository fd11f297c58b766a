{{ config(materialized='view') }}
-- 信用承诺: every landed row cleaned, typed and flagged.

with source as (
    {{ cleaned_source(source('extracts', 'commitment')) | indent(4) }}
),

cleaned as (
    select
        {{ lineage_columns() }},
        {{ source_dept_columns() }},
        "承诺主体名称" as subject_name,
        "主体类别" as subject_type,
        {{ clean_code('"统一社会信用代码"') }} as subject_uscc,
        {{ code_person_key('统一社会信用代码') }} as subject_uscc_person_key,
        "证件类型" as person_id_type,
        {{ person_id_columns('证件号码', 'person_id') }},
        "承诺类型" as commitment_type,
        "承诺事项" as commitment_matter,
        {{ parse_cn_date('"承诺日期"') }} as commitment_date,
        "承诺受理单位" as accepting_dept_name,
        {{ clean_code('"承诺受理单位统一社会信用代码"') }} as accepting_dept_code,
        "履约状态" as fulfilment_status,
        {{ parse_cn_date('"违诺认定日期"') }} as breach_date,
        {{ defect_list(date_defect_checks('"承诺日期"', 'commitment_date')
            + date_defect_checks('"违诺认定日期"', 'breach_date', required=false)) }} as date_defects
    from source
),

flagged as (
    select
        *,
        -- the subject of a commitment: its USCC, else the person's key, else its name
        coalesce(subject_uscc, person_id_key, subject_name) as subject_ref,
        accepting_dept_code is not null and subject_ref is not null and commitment_type is not null
            and commitment_matter is not null and commitment_date is not null as has_identity,
        concat_ws('|', accepting_dept_code, subject_ref, commitment_type, commitment_matter,
                  strftime(commitment_date, '%Y-%m-%d')) as record_key,
        cast(submitted_at as date) as submitted_date,
        {{ content_hash(['source_dept_name', 'subject_name', 'subject_type', 'subject_uscc', 'person_id_key',
            'accepting_dept_name', 'fulfilment_status', 'breach_date']) }} as content_hash,
        date_defects || {{ defect_list(source_dept_defect_checks() + subject_defect_checks()
            + required_checks(['subject_name', 'commitment_type', 'commitment_matter', 'accepting_dept_name',
                               'accepting_dept_code', 'fulfilment_status'])
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
