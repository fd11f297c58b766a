{#- The reference date of every "as of" figure (rules.md): CREDIT_AS_OF, from the environment creditwh
    gives dbt, or the var `as_of` (a unit test's override, or --vars '{as_of: ...}' by hand), which wins.
    Not a var from creditwh: dbt parses the whole project again whenever --vars change, ~3 s of a daily
    run whose as-of date is a new day. The environment is read only when executing, so dbt's saved parse
    does not depend on it either. -#}
{% macro as_of_date() -%}
    {%- set as_of = var('as_of') -%}
    {%- if as_of is none and execute -%}
        {%- set as_of = env_var('CREDIT_AS_OF', '') or none -%}
    {%- endif -%}
    {%- if as_of is none and execute -%}
        {{ exceptions.raise_compiler_error("the as-of date is not set: run through creditwh, or set CREDIT_AS_OF, or pass --vars '{as_of: YYYY-MM-DD}'") }}
    {%- endif -%}
    DATE '{{ as_of }}'
{%- endmacro %}
