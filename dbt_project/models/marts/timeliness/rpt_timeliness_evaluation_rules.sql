-- 季度评估 rules, one row: the vars of dbt_project.yml the evaluation marts were built with, for
-- what states them beside the figures (scorecards, BI). One weight column per rate, in the vars' order.
select
    cast({{ var('disclosure_deadline_working_days') }} as integer) as deadline_working_days,
    {%- for measure, weight in var('timeliness_score_weights').items() %}
    cast({{ weight }} as double) as {{ measure }}_weight,
    {%- endfor %}
    cast({{ var('rectification_late_share') }} as double) as rectification_late_share
