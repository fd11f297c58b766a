-- 行政许可 of each keyed entity, for its credit report (公共信用信息报告): the current version of every
-- licence whose subject was keyed to an entity. No natural person: their records are never keyed.
-- under_objection: an objection about it is open as of the as-of date (rules.md 异议处理).
with licenses as (
    select * from {{ ref('int_licenses__current') }}
    where entity_code is not null
),

final as (
    select
        record_key,
        entity_code,
        doc_no,
        doc_name,
        license_category,
        license_content,
        decision_date,
        valid_from,
        valid_until,
        is_open_ended,
        authority_name,
        license_status,
        {{ under_objection() }} as under_objection
    from licenses
    {{ join_objections('license', 'licenses.doc_no', 'licenses.authority_code') }}
)

select * from final
