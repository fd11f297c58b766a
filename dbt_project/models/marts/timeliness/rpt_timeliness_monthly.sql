-- 月度监测: per month of submission, record kind and source department.
with records as (
    select * from {{ ref('fct_disclosure_timeliness') }}
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
        {{ disclosure_counts() }}
    from records
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
        {{ rate('counted.on_time_records', 'counted.records') }} as timeliness_rate,
        counted.compliant_records,
        {{ rate('counted.compliant_records', 'counted.records') }} as compliance_rate,
        counted.complete_records,
        {{ rate('counted.complete_records', 'counted.records') }} as completeness_rate,
        counted.uscc_errors
    from counted
    left join departments using (source_dept_code)
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('record_kind', 'record_kind') }} as record_kind_label
from final
