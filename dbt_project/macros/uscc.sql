{#- 统一社会信用代码 (GB 32100-2015), rules.md: 18 characters of the alphabet below, authority
    1-9/A/N/Y, positions 3-8 a division code, 9-17 a GB 11714 organisation code that passes its
    own check, 18 the check character. python-stdnum's cn.uscc rejects authorities A/N/Y and
    skips the embedded check, so the rule is written out here, vectorised in SQL. -#}
{% macro is_valid_uscc(code) -%}
    {%- set alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY' -%}
    {%- set weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] -%}
    coalesce(CASE WHEN regexp_full_match({{ code }}, '[1-9ANY][0-9A-HJ-NP-RTUW-Y][0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}') THEN
        substr({{ code }}, 18, 1) = substr('{{ alphabet }}', ((31 - ((
            {%- for w in weights %}{{ w }} * (strpos('{{ alphabet }}', substr({{ code }}, {{ loop.index }}, 1)) - 1){% if not loop.last %} + {% endif %}{% endfor -%}
        ) % 31)) % 31) + 1, 1)
        AND {{ is_valid_org_code('substr(' ~ code ~ ', 9, 9)') }}
    END, false)
{%- endmacro %}

{#- 组织机构代码 (GB 11714): 8 body characters (0-9, A-Z = 10-35) and a check character. -#}
{% macro is_valid_org_code(code) -%}
    {%- set weights = [3, 7, 9, 10, 5, 8, 4, 2] -%}
    coalesce(CASE WHEN regexp_full_match({{ code }}, '[0-9A-Z]{8}[0-9X]') THEN
        substr({{ code }}, 9, 1) = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', '0'][(11 - ((
            {%- for w in weights %}{{ w }} * (strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', substr({{ code }}, {{ loop.index }}, 1)) - 1){% if not loop.last %} + {% endif %}{% endfor -%}
        ) % 11)) + 1]
    END, false)
{%- endmacro %}

{#- The administrative division of a department: characters 3-8 of its USCC. -#}
{% macro region_of(uscc) -%}
    CASE WHEN length({{ uscc }}) = 18 THEN substr({{ uscc }}, 3, 6) END
{%- endmacro %}
