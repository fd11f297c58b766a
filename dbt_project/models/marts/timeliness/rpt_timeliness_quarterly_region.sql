-- 季度评估 by region, at every level of the hierarchy (rules.md): every record of the region's
-- departments pooled (not an average of department scores), scored and graded like the
-- departments, and ranked among the regions of the same scope. A record counts in its province,
-- its city (全市: the city's own departments and its districts and counties), and either its
-- city's 市本级 row or its district's row.
with records as (
    select
        *,
        {{ region_level('region_code') }} as dept_region_level
    from {{ ref('fct_disclosure_timeliness') }}
    where period_quarter is not null and region_code is not null
),

regions as (
    select * from {{ ref('regions') }}
),

scoped as (
    select *, {{ province_of_region('region_code') }} as scope_region_code, 'province' as region_scope
    from records
    union all
    select *, {{ city_of_region('region_code') }}, 'city'
    from records where dept_region_level <> 'province'
    union all
    select *, region_code, 'city_own'
    from records where dept_region_level = 'city'
    union all
    select *, region_code, 'district'
    from records where dept_region_level = 'district'
),

counted as (
    select
        period_quarter,
        scope_region_code as region_code,
        region_scope,
        {{ disclosure_counts() }},
        count(distinct source_dept_code) as departments
    from scoped
    group by period_quarter, scope_region_code, region_scope
),

evaluated as (
    {{ evaluate_quarter('counted', partition_by='period_quarter, region_scope') | indent(4) }}
),

final as (
    select
        evaluated.period_quarter,
        evaluated.region_code,
        regions.region_name,
        evaluated.region_scope,
        evaluated.records,
        evaluated.timeliness_rate,
        evaluated.compliance_rate,
        evaluated.completeness_rate,
        evaluated.score,
        evaluated.rank,
        evaluated.grade,
        evaluated.needs_rectification,
        evaluated.on_time_records,
        evaluated.compliant_records,
        evaluated.complete_records,
        evaluated.departments
    from evaluated
    left join regions using (region_code)
)

select * from final
