{#- Rules kept as data with effective dates (seeds): a row applies from effective_from until the
    next effective_from of the same key (the latest row is open-ended). Changing a regulation is
    adding rows. rule_versions() adds effective_to; in_force() picks the row for a date. -#}
{% macro rule_versions(seed, key_columns) -%}
    select
        *,
        lead(effective_from) over (partition by {{ key_columns | join(', ') }} order by effective_from) as effective_to
    from {{ ref(seed) }}
{%- endmacro %}

{% macro in_force(alias, date_expr) -%}
    ({{ date_expr }} >= {{ alias }}.effective_from
     and ({{ alias }}.effective_to is null or {{ date_expr }} < {{ alias }}.effective_to))
{%- endmacro %}
