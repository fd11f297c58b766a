-- The records repaired as of the as-of date: for every penalty or designation, its earliest agreed
-- (同意) repair decided on or before the as-of date. Refused repairs and later decisions do not count.
with effective as (
    select
        related_record_kind,
        unnest(matched_record_keys) as record_key,
        repair_decision_date,
        record_key as repair_record_key
    from {{ ref('int_repairs__matched') }}
    where is_effective
)

select
    related_record_kind,
    record_key,
    min(repair_decision_date) as repaired_date,
    arg_min(repair_record_key, repair_decision_date) as repair_record_key
from effective
group by related_record_kind, record_key
