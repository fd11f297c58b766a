{#- rules.md personal information: names of natural persons are shown masked in marts
    (张三丰 → 张**): the first character, then one '*' for each other character. -#}
{% macro mask_person_name(expr) -%}
    CASE WHEN {{ expr }} IS NOT NULL THEN left({{ expr }}, 1) || repeat('*', greatest(length({{ expr }}) - 1, 1)) END
{%- endmacro %}

{#- A subject's name where it may be shown: organisations and 个体工商户 (or any subject keyed to a
    USCC); NULL for natural persons, whose names only appear masked (person_name_masked). -#}
{% macro organisation_name(name, subject_type, entity_code) -%}
    CASE WHEN {{ entity_code }} IS NOT NULL OR {{ subject_type }} IN ('法人及非法人组织', '个体工商户') THEN {{ name }} END
{%- endmacro %}
