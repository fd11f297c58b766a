{#- extracts.md cell cleaning: NFKC for the forms extracts carry (full-width ASCII
    U+FF01..U+FF5E and the ideographic space U+3000 become half-width), trim blanks, and
    the empty markers (var empty_markers) become NULL. translate() is slow (a map per row), so
    it runs only on the rare value that holds a full-width character. -#}
{% macro normalise_text(expr) -%}
    trim(CASE WHEN regexp_matches({{ expr }}, '[\x{FF01}-\x{FF5E}\x{3000}]')
              THEN translate({{ expr }}, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ ')
              ELSE {{ expr }} END,
         ' ' || chr(9) || chr(10) || chr(13) || chr(160))
{%- endmacro %}

{% macro empty_marker_to_null(expr) -%}
    {%- set markers = var('empty_markers') | map('upper') | list -%}
    {#- list_position, not IN or list_contains: DuckDB plans an IN list of five or more as a
        join per column, which a view cannot prune -#}
    (CASE WHEN list_position([{% for m in markers %}'{{ m }}'{% if not loop.last %}, {% endif %}{% endfor %}], upper({{ expr }})) IS NOT NULL THEN NULL
          ELSE {{ expr }} END)
{%- endmacro %}

{#- A landed raw table with every delivered cell cleaned once, under its own (Chinese) name, and
    the row as delivered in _raw_text. Lineage (_*) and the keyed identity-number columns
    (*_key, *_masked, *_is_ric) pass through. Staging models read this, never the raw cells. -#}
{% macro cleaned_source(relation) -%}
    {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list if execute else [] -%}
    {%- set cells = [] -%}
    {%- for c in columns if not c.startswith('_') and not c.endswith(('_key', '_masked', '_is_ric')) -%}
        {%- do cells.append(c) -%}
    {%- endfor -%}
    select
        * exclude ({% for c in cells %}"{{ c }}"{{ ", " if not loop.last }}{% endfor %}),
        {%- for c in cells %}
        {{ empty_marker_to_null('"' ~ c ~ '"') }} as "{{ c }}",
        {%- endfor %}
        _raw_text
    from (
        select
            * exclude ({% for c in cells %}"{{ c }}"{{ ", " if not loop.last }}{% endfor %}),
            {%- for c in cells %}
            {{ normalise_text('"' ~ c ~ '"') }} as "{{ c }}",
            {%- endfor %}
            {{ raw_row_text() }} as _raw_text
        from {{ relation }}
    )
{%- endmacro %}

{#- Codes (USCC, legacy codes, document numbers): a cleaned cell, blanks removed, upper case. -#}
{% macro clean_code(expr) -%}
    upper(replace({{ expr }}, ' ', ''))
{%- endmacro %}

{#- rules.md 码名不符: a name as compared with the registry's — NFKC (normalise_text: full-width forms
    half-width), then without any blank or parenthesis of either width: 淄博（张店）某某 公司 and
    淄博(张店)某某公司 are one name. -#}
{% macro comparable_name(expr) -%}
    regexp_replace({{ normalise_text(expr) }}, '[\s\x{3000}()（）]', '', 'g')
{%- endmacro %}
