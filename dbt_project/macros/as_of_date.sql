{#- The reference date of every "as of" figure (rules.md): CREDIT_AS_OF, passed as a var. -#}
{% macro as_of_date() -%}
    {%- set as_of = var('as_of') -%}
    {%- if as_of is none and execute -%}
        {{ exceptions.raise_compiler_error("var 'as_of' is not set: run through creditwh, or pass --vars '{as_of: YYYY-MM-DD}'") }}
    {%- endif -%}
    DATE '{{ as_of }}'
{%- endmacro %}
