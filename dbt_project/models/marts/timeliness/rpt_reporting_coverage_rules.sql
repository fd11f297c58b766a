-- 月度监测通报 rules, one row: the vars of dbt_project.yml rpt_reporting_coverage_monthly was built
-- with, for what states them beside the figures (the bulletin, BI), and its months as of the as-of date.
select
    cast({{ var('realtime_sharing_working_days') }} as integer) as realtime_sharing_working_days,
    cast({{ var('realtime_sharing_target') }} as double) as realtime_sharing_target,
    {%- for measure, target in var('bulletin_targets').items() %}
    cast({{ target }} as double) as {{ measure }}_target,
    {%- endfor %}
    cast({{ var('uscc_error_rate_limit') }} as double) as uscc_error_rate_limit,
    cast({{ var('rectification_late_share') }} as double) as rectification_late_share,
    cast({{ var('obligation_lookback_months') }} as integer) as obligation_lookback_months,
    {{ as_of_date() }} as as_of_date,
    -- the last month that ends on or before the as-of date: the bulletin's default month
    cast(date_trunc('month', {{ as_of_date() }} + 1) - interval 1 month as date) as last_complete_month
