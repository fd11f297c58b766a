{#- Is a cleaned value in a code list of seeds/code_lists.csv? 其他 admits 其他-… too. The list is
    an uncorrelated scalar subquery (computed once), not IN (SELECT …), which plans as a join per row set. -#}
{% macro in_code_list(expr, code_list) -%}
    (list_contains(coalesce((SELECT list(code) FROM {{ ref('code_lists') }} WHERE code_list = '{{ code_list }}'), []), {{ expr }})
     {%- if code_list in ('license_category', 'penalty_category') %} OR starts_with({{ expr }}, '其他'){% endif %})
{%- endmacro %}

{#- A list of defect codes from (condition, code) pairs; NULL conditions count as no defect. -#}
{% macro defect_list(checks) -%}
    list_filter([
        {%- for condition, code in checks %}
        CASE WHEN coalesce({{ condition }}, false) THEN '{{ code }}' END{% if not loop.last %},{% endif %}
        {%- endfor %}
    ], lambda d: d IS NOT NULL)
{%- endmacro %}

{#- Are all elements of a list in a code list? (Subqueries cannot sit inside a lambda.) -#}
{% macro all_in_code_list(list_expr, code_list) -%}
    list_has_all(
        (SELECT list(code) FROM {{ ref('code_lists') }} WHERE code_list = '{{ code_list }}'),
        list_transform({{ list_expr }}, lambda c: CASE WHEN starts_with(c, '其他') THEN '其他' ELSE c END))
{%- endmacro %}
