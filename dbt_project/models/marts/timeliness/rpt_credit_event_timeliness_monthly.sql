-- 月度监测 of list designations and commitment breaches: per month of submission, kind and
-- source department.
with events as (
    select * from {{ ref('fct_credit_event_timeliness') }}
    where period_month is not null
),

departments as (
    select * from {{ ref('dim_department') }}
),

counted as (
    select
        period_month,
        record_kind,
        source_dept_code,
        count(*) as records,
        count(*) filter (where is_on_time) as on_time_records
    from events
    group by period_month, record_kind, source_dept_code
),

final as (
    select
        counted.period_month,
        counted.record_kind,
        counted.source_dept_code,
        departments.source_dept_name,
        departments.region_code,
        counted.records,
        counted.on_time_records,
        {{ rate('counted.on_time_records', 'counted.records') }} as timeliness_rate
    from counted
    left join departments using (source_dept_code)
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('record_kind', 'record_kind') }} as record_kind_label
from final
