-- The same 7-working-day rule for credit-list designations (from 列入日期) and commitment
-- breaches (from 违诺认定日期): one row per designation / breached commitment identity.
with measured as (
    select * from {{ ref('int_submissions__working_days') }}
    where record_kind in ('credit_list', 'commitment_breach')
),

final as (
    select
        record_kind,
        record_key,
        source_dept_code,
        source_dept_name,
        region_code,
        doc_no,
        record_type,
        subject_type,
        entity_code,
        clock_start_date as event_date,
        submitted_date,
        cast(working_days_elapsed as integer) as working_days_elapsed,
        is_on_time,
        period_month,
        period_quarter
    from measured
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('record_kind', 'record_kind') }} as record_kind_label
from final
