{#- rules.md quarterly evaluation (季度评估). The weights, grade thresholds and the late share
    that calls for rectification are vars in dbt_project.yml; these macros only apply them. -#}

{#- score = 100 × (w1 × timeliness + w2 × compliance + w3 × completeness), rounded to 6
    decimals so that equal scores compare equal (ties share a rank) despite float noise. -#}
{% macro evaluation_score(timeliness_rate, compliance_rate, completeness_rate) -%}
    {%- set weights = var('timeliness_score_weights') -%}
    round(100 * (
        {{ weights['timeliness'] }} * {{ timeliness_rate }}
        + {{ weights['compliance'] }} * {{ compliance_rate }}
        + {{ weights['completeness'] }} * {{ completeness_rate }}
    ), 6)
{%- endmacro %}

{% macro evaluation_grade(score) -%}
    CASE
    {%- for threshold in var('evaluation_grade_thresholds') %}
        WHEN {{ score }} >= {{ threshold['min_score'] }} THEN '{{ threshold['grade'] }}'
    {%- endfor %}
    END
{%- endmacro %}

{#- Competition ranking by score, best first: 1, 2, 2, 4. -#}
{% macro evaluation_rank(score, partition_by) -%}
    rank() OVER (PARTITION BY {{ partition_by }} ORDER BY {{ score }} DESC)
{%- endmacro %}

{#- 需整改: more than the configured share (half) of the unit's records were late. -#}
{% macro needs_rectification(records, on_time_records) -%}
    ({{ records }} - {{ on_time_records }}) > {{ var('rectification_late_share') }} * {{ records }}
{%- endmacro %}

{#- A count over a total as a rate in [0, 1]. -#}
{% macro rate(numerator, denominator) -%}
    CAST({{ numerator }} AS DOUBLE) / NULLIF({{ denominator }}, 0)
{%- endmacro %}

{#- The counts every timeliness report carries, over rows of fct_disclosure_timeliness. -#}
{% macro disclosure_counts() -%}
    count(*) AS records,
    count(*) FILTER (WHERE is_on_time) AS on_time_records,
    count(*) FILTER (WHERE is_compliant) AS compliant_records,
    count(*) FILTER (WHERE is_complete) AS complete_records,
    count(*) FILTER (WHERE has_uscc_error) AS uscc_errors
{%- endmacro %}

{#- 及时率, 合规率, 完整率 from those counts; pooled, never an average of rates. -#}
{% macro disclosure_rates() -%}
    {{ rate('on_time_records', 'records') }} AS timeliness_rate,
    {{ rate('compliant_records', 'records') }} AS compliance_rate,
    {{ rate('complete_records', 'records') }} AS completeness_rate
{%- endmacro %}

{#- Rates, score, rank, grade and rectification flag over a relation of disclosure_counts()
    per period_quarter and evaluated unit (department or region); ranked within partition_by
    (regions: within their quarter and scope, like with like). -#}
{% macro evaluate_quarter(counts, partition_by='period_quarter') -%}
    select
        *,
        {{ evaluation_rank('score', partition_by) }} AS rank,
        {{ evaluation_grade('score') }} AS grade,
        {{ needs_rectification('records', 'on_time_records') }} AS needs_rectification
    from (
        select *, {{ evaluation_score('timeliness_rate', 'compliance_rate', 'completeness_rate') }} AS score
        from (select *, {{ disclosure_rates() }} from {{ counts }})
    )
{%- endmacro %}
