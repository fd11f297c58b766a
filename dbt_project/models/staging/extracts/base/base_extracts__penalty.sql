{{ config(materialized='view') }}
-- 行政处罚: every landed row cleaned, typed and flagged; stg_ keeps the rows with an identity.
-- Plain columns, identity and R flags come from the extract contract (var extract_contract).

{%- set penalty_categories %}
"处罚类别" as penalty_categories_text,
        list_filter(
            list_transform(string_split_regex(coalesce(penalty_categories_text, ''), '[;；、,，]'), lambda c: trim(c)),
            lambda c: c <> ''
        ) as penalty_categories
{%- endset %}
{%- set fine_amount %}
"罚款金额(万元)" as fine_amount_text,
        try_cast(fine_amount_text as decimal(18, 6)) as fine_amount_10k_yuan
{%- endset %}
{%- set confiscated_amount %}
"没收违法所得、没收非法财物的金额(万元)" as confiscated_amount_text,
        try_cast(confiscated_amount_text as decimal(18, 6)) as confiscated_amount_10k_yuan
{%- endset %}
{%- set penalty_valid_until %}
"处罚有效期" as penalty_valid_until_text,
        {{ parse_cn_date('"处罚有效期"') }} as penalty_valid_until
{%- endset %}
{%- set date_checks = date_defect_checks('penalty', 'decision_date')
    + date_defect_checks('penalty', 'penalty_valid_until')
    + date_defect_checks('penalty', 'publication_deadline') %}
{%- set group_checks = source_dept_defect_checks() + subject_defect_checks()
    + [("subject_type = '法人及非法人组织' AND legal_rep_name IS NULL", "MISSING:legal_rep_name")] %}

with source as (
    {{ cleaned_source(source('extracts', 'penalty')) | indent(4) }}
),

cleaned as (
    select
        {{ lineage_columns() }},
        {{ staging_columns('penalty', derived={
            'penalty_categories': penalty_categories,
            'fine_amount': fine_amount,
            'confiscated_amount': confiscated_amount,
            'penalty_valid_until': penalty_valid_until,
            'record_status': "coalesce(\"记录状态\", '正常') as record_status",
        }) }},
        {{ defect_list(date_checks) }} as date_defects
    from source
),

flagged as (
    select
        *,
        {{- identity_columns('penalty') }},
        cast(submitted_at as date) as submitted_date,
        {{ content_hash(['source_dept_name', 'subject_name', 'subject_type', 'subject_uscc', 'legacy_org_code',
            'legacy_tax_no', 'legacy_registration_no', 'legal_rep_name', 'legal_rep_id_key', 'person_id_key',
            'violation_type', 'violation_facts', 'legal_basis', 'penalty_categories_text', 'penalty_content',
            'fine_amount_text', 'confiscated_amount_text', 'suspended_license', 'decision_date',
            'penalty_valid_until_text', 'publication_deadline', 'authority_name', 'authority_code',
            'severity_delivered', 'record_status', 'remarks']) }} as content_hash,
        date_defects || {{ defect_list(group_checks + required_checks('penalty', written=group_checks)
            + [
                ("penalty_categories_text IS NULL", "MISSING:penalty_categories"),
                ("NOT " ~ all_in_code_list('penalty_categories', 'penalty_category'), "INVALID:penalty_categories"),
                ("list_contains(penalty_categories, '罚款') AND fine_amount_text IS NULL", "MISSING:fine_amount"),
                ("fine_amount_text IS NOT NULL AND (fine_amount_10k_yuan IS NULL OR fine_amount_10k_yuan < 0)", "INVALID:fine_amount"),
                ("confiscated_amount_text IS NOT NULL AND (confiscated_amount_10k_yuan IS NULL OR confiscated_amount_10k_yuan < 0)", "INVALID:confiscated_amount"),
                ("authority_code IS NOT NULL AND NOT " ~ is_valid_uscc('authority_code'), "INVALID:authority_code"),
                ("severity_delivered IS NOT NULL AND NOT " ~ in_code_list('severity_delivered', 'severity'), "INVALID:severity"),
                ("NOT " ~ in_code_list('record_status', 'penalty_record_status'), "INVALID:record_status"),
                ("decision_date > cast(submitted_at as date)", "DATE_ORDER:decision_after_submission"),
            ]) }} as defects
    from cleaned
)

select * exclude (date_defects) from flagged
