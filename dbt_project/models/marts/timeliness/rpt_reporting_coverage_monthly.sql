-- 应归尽归 and the monthly bulletin (月度监测通报), rules.md "Delivery coverage": per complete month,
-- record kind and source department that had records or owed them — 零报送, the rates against their
-- targets, 实时共享率, 重错码率, rejected deliveries and the 点名通报 reasons.
{%- set targets = var('bulletin_targets') %}

with records as (
    select * from {{ ref('fct_disclosure_timeliness') }}
    where period_month is not null
),

obligations as (
    select * from {{ ref('reporting_obligations') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

extract_files as (
    select * from {{ ref('extract_files') }}
    where kind in ('license', 'penalty') and charged_dept_code <> 'unattributed'
),

-- every complete month from the first month any record falls in up to the last month that ends on
-- or before the as-of date (as of 2026-02-27: 2026-01; as of 2026-02-28: 2026-02)
months as (
    select cast(unnest(generate_series(
        (select min(period_month) from records),
        cast(date_trunc('month', {{ as_of_date() }} + 1) as date) - 1,
        interval 1 month)) as date) as period_month
),

-- the departments and kinds that delivered, or that the seed says owe
department_kinds as (
    select distinct source_dept_code, record_kind from records
    union
    select dept_code, record_kind from obligations
),

counted as (
    select
        period_month,
        record_kind,
        source_dept_code,
        {{ disclosure_counts() }},
        count(*) filter (where working_days_elapsed <= {{ var('realtime_sharing_working_days') }}) as realtime_records,
        count(*) filter (where has_name_mismatch) as name_mismatches,
        count(*) filter (where coalesce(subject_type, '') <> '自然人') as non_person_records,
        count(*) filter (where lacks_submission_date) as records_without_submission_date
    from records
    group by period_month, record_kind, source_dept_code
),

rejected_deliveries as (
    select
        charged_month as period_month,
        kind as record_kind,
        charged_dept_code as source_dept_code,
        count(*) filter (where status = 'rejected') as rejected_files,
        cast(coalesce(sum(rows_rejected) filter (where status = 'loaded'), 0) as bigint) as rejected_rows
    from extract_files
    where charged_month is not null
    group by all
),

grid as (
    select
        months.period_month,
        department_kinds.record_kind,
        department_kinds.source_dept_code,
        coalesce(counted.records, 0) as records
    from months
    cross join department_kinds
    left join counted using (period_month, record_kind, source_dept_code)
),

-- 应报: the seed's months for a department and kind it lists; otherwise a record of the kind in any
-- of the obligation_lookback_months months before (the grid has every month, so rows are months)
owed as (
    select
        grid.*,
        case
            when exists (
                select 1 from obligations
                where obligations.dept_code = grid.source_dept_code and obligations.record_kind = grid.record_kind
            ) then exists (
                select 1 from obligations
                where obligations.dept_code = grid.source_dept_code and obligations.record_kind = grid.record_kind
                    and grid.period_month >= obligations.from_month
                    and (obligations.to_month is null or grid.period_month <= obligations.to_month)
            )
            else coalesce(sum(records) over (
                partition by source_dept_code, record_kind order by period_month
                rows between {{ var('obligation_lookback_months') }} preceding and 1 preceding
            ), 0) > 0
        end as is_owed
    from grid
),

measured as (
    select
        owed.period_month,
        owed.record_kind,
        owed.source_dept_code,
        owed.is_owed,
        owed.records,
        owed.is_owed and owed.records = 0 as is_zero_delivery,
        coalesce(counted.on_time_records, 0) as on_time_records,
        {{ rate('counted.on_time_records', 'counted.records') }} as timeliness_rate,
        coalesce(counted.realtime_records, 0) as realtime_records,
        {{ rate('counted.realtime_records', 'counted.records') }} as realtime_sharing_rate,
        coalesce(counted.compliant_records, 0) as compliant_records,
        {{ rate('counted.compliant_records', 'counted.records') }} as compliance_rate,
        coalesce(counted.complete_records, 0) as complete_records,
        {{ rate('counted.complete_records', 'counted.records') }} as completeness_rate,
        coalesce(counted.uscc_errors, 0) as uscc_errors,
        coalesce(counted.name_mismatches, 0) as name_mismatches,
        {{ rate('counted.uscc_errors + counted.name_mismatches', 'counted.non_person_records') }} as uscc_error_rate,
        coalesce(counted.records_without_submission_date, 0) as records_without_submission_date,
        coalesce(rejected_deliveries.rejected_files, 0) as rejected_files,
        coalesce(rejected_deliveries.rejected_rows, 0) as rejected_rows
    from owed
    left join counted using (period_month, record_kind, source_dept_code)
    left join rejected_deliveries using (period_month, record_kind, source_dept_code)
    where owed.records > 0 or owed.is_owed
),

-- 点名通报: every reason that applies, in the order and words of rules.md
named as (
    select
        *,
        array_to_string(list_filter([
            case when is_zero_delivery then '零报送' end,
            case when {{ needs_rectification('records', 'on_time_records') }} then '迟报过半' end,
            case when timeliness_rate < {{ targets['timeliness'] }} then '及时率未达标' end,
            case when compliance_rate < {{ targets['compliance'] }} then '合规率未达标' end,
            case when completeness_rate < {{ targets['completeness'] }} then '完整率未达标' end,
            case when uscc_error_rate > {{ var('uscc_error_rate_limit') }} then '重错码率超限' end
        ], lambda reason: reason is not null), ',') as named_reasons
    from measured
),

final as (
    select
        named.period_month,
        named.record_kind,
        named.source_dept_code,
        coalesce(departments.source_dept_name, obligation_names.dept_name) as source_dept_name,
        coalesce(departments.region_code, {{ region_of('named.source_dept_code') }}) as region_code,
        named.is_owed,
        named.records,
        named.is_zero_delivery,
        named.on_time_records,
        named.timeliness_rate,
        named.realtime_records,
        named.realtime_sharing_rate,
        named.compliant_records,
        named.compliance_rate,
        named.complete_records,
        named.completeness_rate,
        named.uscc_errors,
        named.name_mismatches,
        named.uscc_error_rate,
        named.records_without_submission_date,
        named.rejected_files,
        named.rejected_rows,
        named.named_reasons,
        named.named_reasons <> '' as is_named
    from named
    left join departments using (source_dept_code)
    left join (select dept_code as source_dept_code, max(dept_name) as dept_name from obligations group by 1)
        as obligation_names using (source_dept_code)
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('record_kind', 'record_kind') }} as record_kind_label
from final
