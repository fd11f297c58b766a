{#- rules.md personal information: names of natural persons are shown masked in marts
    (张三丰 → 张**): the first character, then one '*' for each other character. -#}
{% macro mask_person_name(expr) -%}
    CASE WHEN {{ expr }} IS NOT NULL THEN left({{ expr }}, 1) || repeat('*', greatest(length({{ expr }}) - 1, 1)) END
{%- endmacro %}

{#- A subject's name where it may be shown: organisations and 个体工商户 (or any subject keyed to a
    USCC); NULL for natural persons, whose names only appear masked (person_name_masked). -#}
{% macro organisation_name(name, subject_type, entity_code) -%}
    CASE WHEN {{ entity_code }} IS NOT NULL OR {{ is_published_subject_type(subject_type) }} THEN {{ name }} END
{%- endmacro %}

{#- rules.md "Public disclosure": may a record of this subject type (行政相对人类别 / 主体类别) be
    published? Only the types of the var published_subject_types: a natural person never, nor a type
    outside the code list (个人, empty), however it is spelt. -#}
{% macro is_published_subject_type(subject_type) -%}
    coalesce({{ subject_type }} IN ({% for t in var('published_subject_types') %}'{{ t }}'{% if not loop.last %}, {% endif %}{% endfor %}), false)
{%- endmacro %}

{#- Text for the public schema: any person's identity number in it, plain or masked as the
    warehouse keeps it, written as '*' only (rules.md: never an identity number, never a masked
    person field on the credit website). The rule is creditwh/landing/pii.py's, registered in
    dbt's connection by the creditwh.landing.dbt_functions plugin (profiles.yml); the macro
    creditwh_public_text sends only the values of a number's shape to it. -#}
{% macro public_text(expr) -%}
    creditwh_public_text({{ expr }})
{%- endmacro %}
