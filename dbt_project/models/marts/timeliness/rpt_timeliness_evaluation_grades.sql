-- 季度评估等级: the grade thresholds (dbt_project.yml vars), one row each, in the order the
-- evaluation tries them: a score gets the first grade whose min_score it reaches.
{%- for threshold in var('evaluation_grade_thresholds') %}
select
    {{ loop.index }} as grade_order,
    '{{ threshold['grade'] }}' as grade,
    cast({{ threshold['min_score'] }} as double) as min_score
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
