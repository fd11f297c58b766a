-- 季度评估月度趋势: every department evaluated in a quarter (rpt_timeliness_quarterly), each
-- month of that quarter, licences and penalties pooled. A month without submissions is a row of
-- 0 records and no rates, not a missing row.
with records as (
    select * from {{ ref('fct_disclosure_timeliness') }}
    where period_quarter is not null
),

evaluated as (
    select * from {{ ref('rpt_timeliness_quarterly') }}
),

quarter_months as (
    select distinct
        records.period_quarter,
        cast(date_trunc('quarter', records.period_month) + to_months(offsets.month_offset) as date) as period_month
    from records
    cross join (values (0), (1), (2)) as offsets (month_offset)
),

counted as (
    select
        period_quarter,
        source_dept_code,
        period_month,
        {{ disclosure_counts() }}
    from records
    group by period_quarter, source_dept_code, period_month
),

filled as (
    select
        evaluated.period_quarter,
        evaluated.source_dept_code,
        evaluated.source_dept_name,
        evaluated.region_code,
        quarter_months.period_month,
        {%- for count in ['records', 'on_time_records', 'compliant_records', 'complete_records', 'uscc_errors'] %}
        coalesce(counted.{{ count }}, 0) as {{ count }}{{ ',' if not loop.last }}
        {%- endfor %}
    from evaluated
    inner join quarter_months using (period_quarter)
    left join counted using (period_quarter, source_dept_code, period_month)
),

final as (
    select
        *,
        {{ disclosure_rates() }}
    from filled
)

select * from final
