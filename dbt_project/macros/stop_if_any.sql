{#- A WHERE condition that stops the query with an error when `failures` (a CTE with one text
    column `failure`, one row per problem) has any row: used where a guess would be wrong,
    e.g. a date outside the holiday calendar. `message` and `hint` are SQL string literals. -#}
{% macro stop_if_any(failures, message, hint="''") -%}
    coalesce((
        select error({{ message }} || string_agg(failure, '; ' order by failure) || {{ hint }})
        from {{ failures }}
        having count(*) > 0
    ), true)
{%- endmacro %}
