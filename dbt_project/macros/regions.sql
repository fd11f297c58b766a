{#- rules.md region hierarchy (GB/T 2260): a region code's city is its first four digits + 00, its
    province its first two + 0000 (370102 历下区 → 370100 济南市 → 370000 山东省). -#}

{% macro city_of_region(region_code) -%}
    left({{ region_code }}, 4) || '00'
{%- endmacro %}

{% macro province_of_region(region_code) -%}
    left({{ region_code }}, 2) || '0000'
{%- endmacro %}

{#- province (省), city (市) or district (区县, county-level cities included). -#}
{% macro region_level(region_code) -%}
    CASE
        WHEN {{ region_code }} = {{ province_of_region(region_code) }} THEN 'province'
        WHEN {{ region_code }} = {{ city_of_region(region_code) }} THEN 'city'
        ELSE 'district'
    END
{%- endmacro %}
