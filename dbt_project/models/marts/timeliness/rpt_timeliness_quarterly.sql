-- 季度评估: licences and penalties pooled, per quarter of submission and source department,
-- scored, ranked and graded (rules.md; weights and thresholds are vars).
with records as (
    select * from {{ ref('fct_disclosure_timeliness') }}
    where period_quarter is not null
),

departments as (
    select * from {{ ref('dim_department') }}
),

counted as (
    select
        period_quarter,
        source_dept_code,
        {{ disclosure_counts() }}
    from records
    group by period_quarter, source_dept_code
),

evaluated as (
    {{ evaluate_quarter('counted') | indent(4) }}
),

final as (
    select
        evaluated.period_quarter,
        evaluated.source_dept_code,
        departments.source_dept_name,
        departments.region_code,
        evaluated.records,
        evaluated.on_time_records,
        evaluated.timeliness_rate,
        evaluated.compliance_rate,
        evaluated.completeness_rate,
        evaluated.score,
        evaluated.rank,
        evaluated.grade,
        evaluated.needs_rectification,
        evaluated.compliant_records,
        evaluated.complete_records,
        evaluated.uscc_errors
    from evaluated
    left join departments using (source_dept_code)
)

select * from final
