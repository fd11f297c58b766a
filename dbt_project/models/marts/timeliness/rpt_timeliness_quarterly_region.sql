-- 季度评估 by region: every record of the region's departments pooled (not an average of
-- department scores), scored, ranked and graded like the departments.
with records as (
    select * from {{ ref('fct_disclosure_timeliness') }}
    where period_quarter is not null
),

regions as (
    select * from {{ ref('regions') }}
),

counted as (
    select
        period_quarter,
        region_code,
        {{ disclosure_counts() }},
        count(distinct source_dept_code) as departments
    from records
    group by period_quarter, region_code
),

evaluated as (
    {{ evaluate_quarter('counted') | indent(4) }}
),

final as (
    select
        evaluated.period_quarter,
        evaluated.region_code,
        regions.region_name,
        evaluated.records,
        evaluated.timeliness_rate,
        evaluated.compliance_rate,
        evaluated.completeness_rate,
        evaluated.score,
        evaluated.rank,
        evaluated.grade,
        evaluated.needs_rectification,
        evaluated.on_time_records,
        evaluated.departments
    from evaluated
    left join regions using (region_code)
)

select * from final
