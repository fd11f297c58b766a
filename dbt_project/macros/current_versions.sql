{#- extracts.md repeats and corrections: one row per record identity (record_key). The
    current version is the one with the latest 报送时间 (then the later file, then the later
    row); timeliness is measured on the identity's earliest 报送时间. -#}
{% macro current_versions(relation) -%}
-- the relation is read three times, not through a CTE: DuckDB materialises a CTE used more than
-- once, in memory that cannot spill, and 10 M wide rows ran out of its memory bound
with identity_stats as (
    select
        record_key,
        min(submitted_at) as first_submitted_at,
        count(*) as delivery_count,
        count(distinct content_hash) as content_version_count
    from {{ relation }}
    group by record_key
),

-- ranked on the ordering columns alone, then joined back to the whole rows
latest_rows as (
    select file_path, row_number
    from (select record_key, submitted_at, file_path, row_number from {{ relation }})
    qualify row_number() over (
        partition by record_key
        order by submitted_at desc nulls last, file_path desc, row_number desc
    ) = 1
)

select
    deliveries.*,
    identity_stats.first_submitted_at,
    cast(identity_stats.first_submitted_at as date) as first_submitted_date,
    identity_stats.delivery_count,
    identity_stats.content_version_count - 1 as correction_count
from {{ relation }} as deliveries
semi join latest_rows using (file_path, row_number)
join identity_stats using (record_key)
{%- endmacro %}

{#- Keying a subject to the registry (rules.md, legacy codes): a valid USCC is the key; else a
    legacy code that matches exactly one registry entity; natural persons are never keyed. -#}
{% macro keyed_entity_columns(alias='records') -%}
    case
        when {{ alias }}.subject_type = '自然人' then null
        when {{ is_valid_uscc(alias ~ '.subject_uscc') }} then {{ alias }}.subject_uscc
        else coalesce(by_org_code.entity_code, by_tax_no.entity_code, by_registration_no.entity_code)
    end as entity_code,
    case
        when {{ alias }}.subject_type = '自然人' then null
        when {{ is_valid_uscc(alias ~ '.subject_uscc') }} then 'uscc'
        when by_org_code.entity_code is not null then 'legacy_org_code'
        when by_tax_no.entity_code is not null then 'legacy_tax_no'
        when by_registration_no.entity_code is not null then 'legacy_registration_no'
    end as keyed_by
{%- endmacro %}

{% macro keyed_entity_joins(alias='records') -%}
    left join {{ ref('int_entities__legacy_codes') }} as by_org_code
        on by_org_code.legacy_code = {{ alias }}.legacy_org_code
    left join {{ ref('int_entities__legacy_codes') }} as by_tax_no
        on length({{ alias }}.legacy_tax_no) = 15 and by_tax_no.legacy_code = right({{ alias }}.legacy_tax_no, 9)
    left join {{ ref('int_entities__legacy_codes') }} as by_registration_no
        on by_registration_no.legacy_code = {{ alias }}.legacy_registration_no
{%- endmacro %}
