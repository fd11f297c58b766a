-- 数据来源单位: every department that delivers extracts, under the name it used last.
with deliveries as (
    {%- for model in ['int_licenses__current', 'int_penalties__current', 'int_credit_list_designations__current',
                      'int_commitments__current', 'int_repairs__current', 'int_registry_entities__current'] %}
    select source_dept_code, source_dept_name, submitted_at from {{ ref(model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

regions as (
    select * from {{ ref('regions') }}
),

departments as (
    select
        source_dept_code,
        first(source_dept_name order by submitted_at desc nulls last, source_dept_name)
            filter (where source_dept_name is not null) as source_dept_name,
        {{ region_of('source_dept_code') }} as region_code
    from deliveries
    group by source_dept_code
),

final as (
    select
        departments.source_dept_code,
        departments.source_dept_name,
        departments.region_code,
        regions.region_name,
        {{ is_valid_uscc('departments.source_dept_code') }} as is_valid_code
    from departments
    left join regions using (region_code)
)

select * from final
