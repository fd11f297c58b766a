{{ config(materialized='view') }}
-- 信用名单 designations: every landed row cleaned, typed and flagged.

with source as (
    {{ cleaned_source(source('extracts', 'credit_list')) | indent(4) }}
),

cleaned as (
    select
        {{ lineage_columns() }},
        {{ source_dept_columns() }},
        "名单类型" as list_type,
        "主体名称" as subject_name,
        "主体类别" as subject_type,
        {{ clean_code('"统一社会信用代码"') }} as subject_uscc,
        {{ code_person_key('统一社会信用代码') }} as subject_uscc_person_key,
        "证件类型" as person_id_type,
        {{ person_id_columns('证件号码', 'person_id') }},
        "法定代表人" as legal_rep_name,
        "法定代表人证件类型" as legal_rep_id_type,
        {{ person_id_columns('法定代表人证件号码', 'legal_rep_id') }},
        "列入决定文书号" as designation_doc_no,
        "列入事由" as designation_reason,
        "认定依据" as designation_basis,
        "认定部门" as designating_dept_name,
        {{ clean_code('"认定部门统一社会信用代码"') }} as designating_dept_code,
        {{ parse_cn_date('"列入日期"') }} as designated_date,
        {{ is_open_ended('"有效期至"') }} as is_open_ended,
        case when not is_open_ended then {{ parse_cn_date('"有效期至"') }} end as valid_until,
        {{ parse_cn_date('"移出日期"') }} as removed_date,
        "移出原因" as removal_reason,
        {{ defect_list(date_defect_checks('"列入日期"', 'designated_date')
            + date_defect_checks('"移出日期"', 'removed_date', required=false)
            + [("NOT " ~ is_open_ended('"有效期至"') ~ " AND " ~ is_unparseable_date('"有效期至"'), "UNPARSEABLE_DATE:valid_until"),
               too_early_date_check('valid_until')]
        ) }} as date_defects
    from source
),

flagged as (
    select
        *,
        designating_dept_code is not null and designation_doc_no is not null as has_identity,
        designating_dept_code || '|' || designation_doc_no as record_key,
        cast(submitted_at as date) as submitted_date,
        {{ content_hash(['source_dept_name', 'list_type', 'subject_name', 'subject_type', 'subject_uscc',
            'person_id_key', 'legal_rep_name', 'legal_rep_id_key', 'designation_reason', 'designation_basis',
            'designating_dept_name', 'designated_date', 'valid_until', 'is_open_ended', 'removed_date',
            'removal_reason']) }} as content_hash,
        date_defects || {{ defect_list(source_dept_defect_checks() + subject_defect_checks()
            + required_checks(['list_type', 'subject_name', 'designation_doc_no', 'designation_reason',
                               'designation_basis', 'designating_dept_name', 'designating_dept_code'])
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
