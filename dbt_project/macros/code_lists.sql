{#- The codes of one code list of seeds/code_lists.csv, as a list: an uncorrelated scalar subquery,
    computed once (IN (SELECT …) would plan as a join per row set, which a view cannot prune). -#}
{% macro code_list_values(code_list) -%}
    (SELECT list(code) FROM {{ ref('code_lists') }} WHERE code_list = '{{ code_list }}')
{%- endmacro %}

{#- Does the code list take 其他-… as its 其他 (seeds/code_list_rules.csv)? A scalar, as above. -#}
{% macro admits_other_suffix(code_list) -%}
    coalesce((SELECT bool_or(admits_other_suffix) FROM {{ ref('code_list_rules') }} WHERE code_list = '{{ code_list }}'), false)
{%- endmacro %}

{#- Is a cleaned value in a code list? -#}
{% macro in_code_list(expr, code_list) -%}
    (list_contains(coalesce({{ code_list_values(code_list) }}, []), {{ expr }})
     OR (starts_with({{ expr }}, '其他') AND {{ admits_other_suffix(code_list) }}))
{%- endmacro %}

{#- A list of defect codes from (condition, code) pairs; NULL conditions count as no defect. -#}
{% macro defect_list(checks) -%}
    list_filter([
        {%- for condition, code in checks %}
        CASE WHEN coalesce({{ condition }}, false) THEN '{{ code }}' END{% if not loop.last %},{% endif %}
        {%- endfor %}
    ], lambda d: d IS NOT NULL)
{%- endmacro %}

{#- Are all elements of a list in a code list? (Subqueries cannot sit inside a lambda: the 其他-…
    rule is applied outside it.) -#}
{% macro all_in_code_list(list_expr, code_list) -%}
    list_has_all(
        {{ code_list_values(code_list) }},
        CASE WHEN {{ admits_other_suffix(code_list) }}
             THEN list_transform({{ list_expr }}, lambda c: CASE WHEN starts_with(c, '其他') THEN '其他' ELSE c END)
             ELSE {{ list_expr }} END)
{%- endmacro %}
