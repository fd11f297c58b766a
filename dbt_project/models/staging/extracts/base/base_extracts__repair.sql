{{ config(materialized='view') }}
-- 信用修复 decisions: every landed row cleaned, typed and flagged.

with source as (
    {{ cleaned_source(source('extracts', 'repair')) | indent(4) }}
),

cleaned as (
    select
        {{ lineage_columns() }},
        {{ source_dept_columns() }},
        "修复类型" as repair_type,
        "主体名称" as subject_name,
        {{ clean_code('"统一社会信用代码"') }} as subject_uscc,
        {{ code_person_key('统一社会信用代码') }} as subject_uscc_person_key,
        "关联文书号" as related_doc_no,
        {{ clean_code('"关联机关统一社会信用代码"') }} as related_authority_code,
        {{ parse_cn_date('"修复申请日期"') }} as applied_date,
        {{ parse_cn_date('"修复决定日期"') }} as repair_decision_date,
        "修复结果" as repair_result,
        "修复机构" as repair_authority_name,
        {{ defect_list(date_defect_checks('"修复决定日期"', 'repair_decision_date')
            + date_defect_checks('"修复申请日期"', 'applied_date', required=false)) }} as date_defects
    from source
),

flagged as (
    select
        *,
        related_authority_code is not null and related_doc_no is not null and repair_type is not null
            and repair_decision_date is not null as has_identity,
        concat_ws('|', related_authority_code, related_doc_no, repair_type,
                  strftime(repair_decision_date, '%Y-%m-%d')) as record_key,
        cast(submitted_at as date) as submitted_date,
        {{ content_hash(['source_dept_name', 'subject_name', 'subject_uscc', 'applied_date', 'repair_result',
            'repair_authority_name']) }} as content_hash,
        date_defects || {{ defect_list(source_dept_defect_checks()
            + required_checks(['repair_type', 'subject_name', 'subject_uscc', 'related_doc_no',
                               'related_authority_code', 'repair_result', 'repair_authority_name'])
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
