-- 信用名单 history: one row per designation in force by the as-of date, with the days it is (or was)
-- on its list: valid_from = 列入日期 through valid_to (inclusive; NULL = no end known). It ends the
-- day before an agreed repair (known by as-of) or the 移出日期, or on 有效期至 — so for every day
-- D up to the as-of date, "valid_from <= D <= valid_to" is exactly "status active as of D".
with membership as (
    select * from {{ ref('fct_credit_list_membership') }}
),

intervals as (
    select
        *,
        least(valid_until, removed_date - 1, repaired_date - 1) as valid_to
    from membership
),

final as (
    select
        record_key,
        list_type,
        entity_code,
        subject_type,
        subject_name,
        person_key,
        person_name_masked,
        person_id_masked,
        designating_dept_code,
        designation_doc_no,
        designated_date as valid_from,
        valid_to,
        case
            when valid_to is null then null
            when valid_to = repaired_date - 1 then 'repaired'
            when valid_to = removed_date - 1 then 'removed'
            else 'expired'
        end as end_reason,
        as_of_date
    from intervals
)

-- the Chinese label beside the code (seeds/code_labels.csv)
select
    *,
    {{ code_label('list_status', 'end_reason') }} as end_reason_label
from final
