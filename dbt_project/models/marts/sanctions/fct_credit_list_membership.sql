-- 信用名单 membership as of the as-of date: one row per designation in force by then (列入日期 on or
-- before as-of). rules.md, first rule that matches: repaired (agreed repair 移出严重失信主体名单
-- decided by as-of) → removed (移出日期 <= as-of) → expired (有效期至 < as-of) → active.
-- A natural person on a list is shown by key and masks only. A designation withdrawn by an objection
-- (删除) is not in force: it is not here (int_credit_list_designations__in_force); one under an open
-- objection stays, marked under_objection (rules.md 异议处理).
with designations as (
    select * from {{ ref('int_credit_list_designations__in_force') }}
),

final as (
    select
        record_key,
        list_type,
        entity_code,
        subject_type,
        {{ organisation_name('subject_name', 'subject_type', 'entity_code') }} as subject_name,
        case when subject_type = '自然人' then person_id_key end as person_key,
        case when subject_type = '自然人' then {{ mask_person_name('subject_name') }} end as person_name_masked,
        case when subject_type = '自然人' then person_id_masked end as person_id_masked,
        designating_dept_code,
        designating_dept_name,
        designation_doc_no,
        designation_reason,
        designated_date,
        valid_until,
        removed_date,
        repaired_date,
        repair_record_key,
        case
            when repaired_date is not null then 'repaired'
            when removed_date <= {{ as_of_date() }} then 'removed'
            when valid_until < {{ as_of_date() }} then 'expired'
            else 'active'
        end as status,
        under_objection,
        {{ as_of_date() }} as as_of_date
    from designations
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('list_status', 'status') }} as status_label
from final
