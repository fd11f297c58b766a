{#- extracts.md dates: 2025-03-05, 2025/3/5, 2025.03.05, 20250305, 2025年3月5日, each with an
    optional time 14:22 or 14:22:10 (China time, no zone; Excel date cells arrive as ISO text).
    Anything else, or an impossible date, is NULL: a defect of the row, never an error. -#}
{% macro parse_cn_timestamp(expr) -%}
    {#- Most cells are ISO already (2025-03-05, 2025-03-05 14:22, 2025-03-05 14:22:10): strptime reads
        those directly, as the general pattern would, without its capturing regex (several times the cost) -#}
    CASE WHEN regexp_full_match({{ expr }}, '[0-9]{4}-[0-9]{2}-[0-9]{2}(?: [0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?')
         THEN CASE length({{ expr }})
                  WHEN 10 THEN try_strptime({{ expr }}, '%Y-%m-%d')
                  WHEN 16 THEN try_strptime({{ expr }}, '%Y-%m-%d %H:%M')
                  ELSE try_strptime({{ expr }}, '%Y-%m-%d %H:%M:%S') END
         ELSE {{ parse_cn_timestamp_any_form(expr) }} END
{%- endmacro %}

{#- Every form above, by one pattern. -#}
{% macro parse_cn_timestamp_any_form(expr) -%}
    list_transform(
        [regexp_extract({{ expr }},
            '^([0-9]{4})(?:[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?|([0-9]{2})([0-9]{2}))(?:[ T]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?$',
            ['y', 'm', 'd', 'm8', 'd8', 'hh', 'mi', 'ss'])],
        lambda p: try_strptime(
            p.y || '-' || coalesce(nullif(p.m, ''), p.m8) || '-' || coalesce(nullif(p.d, ''), p.d8)
                || ' ' || coalesce(nullif(p.hh, ''), '0') || ':' || coalesce(nullif(p.mi, ''), '0')
                || ':' || coalesce(nullif(p.ss, ''), '0'),
            '%Y-%m-%d %H:%M:%S')
    )[1]
{%- endmacro %}

{% macro parse_cn_date(expr) -%}
    CAST({{ parse_cn_timestamp(expr) }} AS DATE)
{%- endmacro %}

{#- A validity end: open-ended markers (长期, 9999-12-31) mean no end date. -#}
{% macro is_open_ended(expr) -%}
    coalesce({{ expr }} IN ({% for m in var('open_ended_markers') %}'{{ m }}'{% if not loop.last %}, {% endif %}{% endfor %}), false)
{%- endmacro %}

{#- A date column is a defect when something was delivered but it does not parse. -#}
{% macro is_unparseable_date(expr) -%}
    ({{ expr }} IS NOT NULL AND {{ parse_cn_timestamp(expr) }} IS NULL)
{%- endmacro %}

{#- rules.md: a date before 1949-10-01 is a typo, a defect of its row (as-of independent: staged). -#}
{% macro earliest_valid_date() -%}
    DATE '{{ var('earliest_valid_date') }}'
{%- endmacro %}

{#- The (condition, code) pair of a parsed date column that is too early to be true. -#}
{% macro too_early_date_check(column) -%}
    {{ return((column ~ " < " ~ earliest_valid_date(), "INVALID:" ~ column)) }}
{%- endmacro %}

{#- A record's date that the rules may count with: NULL when it is a defect (before 1949-10-01 or
    after the as-of date), so that no working day and no calendar year is asked of it. -#}
{% macro date_in_force(expr) -%}
    CASE WHEN {{ expr }} BETWEEN {{ earliest_valid_date() }} AND {{ as_of_date() }} THEN {{ expr }} END
{%- endmacro %}

{#- The evaluation quarter of a date, as marts.md writes it: 2025Q4. -#}
{% macro period_quarter(date_column) -%}
    CASE WHEN {{ date_column }} IS NOT NULL THEN year({{ date_column }}) || 'Q' || quarter({{ date_column }}) END
{%- endmacro %}

{#- rules.md month arithmetic: date + n months, clamped to the month end
    (2024-01-31 + 1 month = 2024-02-29; 2025-11-30 + 3 months = 2026-02-28). -#}
{% macro add_months(date_expr, months_expr) -%}
    CAST({{ date_expr }} + to_months({{ months_expr }}) AS DATE)
{%- endmacro %}

{#- rules.md credit tier, "in the N months up to as-of": the window (as-of − N months, as-of] — after
    the day N months before the as-of date (month end clamped: 2024-02-29 − 12 months = 2023-02-28),
    up to and including the as-of date. As of 2026-03-31, 12 months: 2025-04-01 … 2026-03-31. -#}
{% macro in_months_up_to(date_expr, months_expr, as_of_expr) -%}
    ({{ date_expr }} > {{ add_months(as_of_expr, '-(' ~ months_expr ~ ')') }} AND {{ date_expr }} <= {{ as_of_expr }})
{%- endmacro %}
