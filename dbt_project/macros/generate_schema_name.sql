{#- Layers are schemas by their own names (raw, staging, intermediate, marts, audit),
    not dbt's default "<target>_<custom>". -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
