{#- Keying a record's subject to the registry (rules.md, legacy codes): a valid USCC is the key;
    else a legacy code that matches exactly one registry entity (int_entities__legacy_codes);
    natural persons are never keyed. keyed_by says which code keyed it. -#}
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

{#- The look-ups keyed_entity_columns reads: 组织机构代码, the 9-digit code inside a 15-digit
    税务登记号, and 注册号. -#}
{% macro keyed_entity_joins(alias='records') -%}
    left join {{ ref('int_entities__legacy_codes') }} as by_org_code
        on by_org_code.legacy_code = {{ alias }}.legacy_org_code
    left join {{ ref('int_entities__legacy_codes') }} as by_tax_no
        on length({{ alias }}.legacy_tax_no) = 15 and by_tax_no.legacy_code = right({{ alias }}.legacy_tax_no, 9)
    left join {{ ref('int_entities__legacy_codes') }} as by_registration_no
        on by_registration_no.legacy_code = {{ alias }}.legacy_registration_no
{%- endmacro %}

{#- Keying by the USCC alone, for the kinds that carry no legacy codes (名单, 信用承诺, 信用修复): a
    valid USCC is the key, never of a natural person. Pass subject_type=none for a kind without
    one (信用修复). Unlike keyed_entity_columns, a subject of no stated type is not keyed. -#}
{% macro uscc_entity_code(subject_type='subject_type', subject_uscc='subject_uscc') -%}
    case when {% if subject_type %}{{ subject_type }} <> '自然人' and {% endif %}{{ is_valid_uscc(subject_uscc) }} then {{ subject_uscc }} end
{%- endmacro %}

{#- For a model incremental by record that reads the registry (fct_disclosure_timeliness, 码名不符):
    a condition on `column` (a USCC) that holds for the entities with a registration in a registry
    file staged since the model's last build; true for all when a file it was built from is gone
    or was re-delivered with other bytes, or it has no record (built_from_files.sql). The model
    records its files with record_built_from(staged_files(ref('stg_extracts__registry_entities'))). -#}
{% macro registry_changes_reach(column) -%}
    {%- set staged = ref('stg_extracts__registry_entities') -%}
    {%- set files = files_since_last_build(staged_files(staged)) if is_incremental() else none -%}
    {%- if files is none or files.gone -%}
    true
    {%- elif not files.new -%}
    false
    {%- else -%}
    {{ column }} in (select entity_uscc from {{ staged }} where list_position({{ varchar_list(files.new) }}, file_path) is not null)
    {%- endif -%}
{%- endmacro %}

{#- The same, as a condition on the rows of a model built from `measured` (record_kind, record_key,
    subject_uscc): the records of those entities. -#}
{% macro records_reached_by_registry_changes(measured) -%}
    (record_kind, record_key) in (select record_kind, record_key from {{ measured }} where {{ registry_changes_reach('subject_uscc') }})
{%- endmacro %}
