{#- extracts.md cell cleaning: NFKC for the forms extracts carry (full-width ASCII
    U+FF01..U+FF5E and the ideographic space U+3000 become half-width), trim blanks, and
    the empty markers (var empty_markers) become NULL. translate() keeps it vectorised. -#}
{% macro clean_text(expr) -%}
    {%- set markers = var('empty_markers') | map('upper') | list -%}
    (CASE WHEN upper(trim(translate({{ expr }}, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ '), ' ' || chr(9) || chr(10) || chr(13) || chr(160)))
              IN ({% for m in markers %}'{{ m }}'{% if not loop.last %}, {% endif %}{% endfor %}) THEN NULL
          ELSE trim(translate({{ expr }}, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ '), ' ' || chr(9) || chr(10) || chr(13) || chr(160)) END)
{%- endmacro %}

{#- Codes (USCC, legacy codes, document numbers): cleaned, blanks removed, upper case. -#}
{% macro clean_code(expr) -%}
    upper(replace({{ clean_text(expr) }}, ' ', ''))
{%- endmacro %}
