{#- Column groups several extract kinds share, renamed and cleaned the same way. -#}

{% macro lineage_columns() -%}
    _file_path AS file_path,
    _line_number AS line_number,
    _row_number AS row_number,
    _extra AS extra_columns,
    _raw_text AS raw_text
{%- endmacro %}

{#- The landed row as CSV text (contract column order; identity numbers only masked), for the
    feedback list of rejected rows. Views compute it only where it is selected. -#}
{% macro raw_row_text() -%}
    array_to_string(list_transform(
        [*COLUMNS(lambda c: NOT starts_with(c, '_') AND NOT ends_with(c, '_key') AND NOT ends_with(c, '_is_ric'))],
        lambda v: CASE WHEN regexp_matches(v, '[,"\n\r]') THEN '"' || replace(v, '"', '""') || '"' ELSE coalesce(v, '') END
    ), ',')
{%- endmacro %}

{#- 数据来源单位 / 数据来源单位统一社会信用代码 / 报送时间 -#}
{% macro source_dept_columns() -%}
    "数据来源单位" AS source_dept_name,
    {{ clean_code('"数据来源单位统一社会信用代码"') }} AS source_dept_code,
    {{ region_of(clean_code('"数据来源单位统一社会信用代码"')) }} AS region_code,
    {{ parse_cn_timestamp('"报送时间"') }} AS submitted_at,
    {{ is_unparseable_date('"报送时间"') }} AS is_submitted_at_unparseable
{%- endmacro %}

{#- An identity number column landed as <col>_key / _masked / _is_ric (never plaintext). -#}
{% macro person_id_columns(column, prefix) -%}
    "{{ column }}_key" AS {{ prefix }}_key,
    "{{ column }}_masked" AS {{ prefix }}_masked,
    "{{ column }}_is_ric" AS {{ prefix }}_is_ric
{%- endmacro %}

{#- A person's identity number typed into a code column (统一社会信用代码 of a 个体工商户 given as its
    operator's 身份证号): landing stored the cell masked and the number keyed in <column>_key, as
    证件号码 are, so the person can still be matched; NULL when the cell is not a person's number. -#}
{% macro code_person_key(column) -%}
    "{{ column }}_key"
{%- endmacro %}

{#- 行政相对人 columns of 双公示 records (license, penalty). -#}
{% macro subject_columns() -%}
    "行政相对人名称" AS subject_name,
    "行政相对人类别" AS subject_type,
    {{ clean_code('"统一社会信用代码"') }} AS subject_uscc,
    {{ code_person_key('统一社会信用代码') }} AS subject_uscc_person_key,
    {{ clean_code('"工商注册号"') }} AS legacy_registration_no,
    {{ clean_code('"组织机构代码"') }} AS legacy_org_code,
    {{ clean_code('"税务登记号"') }} AS legacy_tax_no,
    {{ clean_code('"事业单位证书号"') }} AS legacy_institution_no,
    {{ clean_code('"社会组织登记证号"') }} AS legacy_social_org_no,
    "法定代表人" AS legal_rep_name,
    "法定代表人证件类型" AS legal_rep_id_type,
    {{ person_id_columns('法定代表人证件号码', 'legal_rep_id') }},
    "证件类型" AS person_id_type,
    {{ person_id_columns('证件号码', 'person_id') }}
{%- endmacro %}

{#- Is an identity number of a type that must be a GB 11643 resident identity number
    (seeds/resident_id_types.csv)? A number without a type is checked too. -#}
{% macro is_ric_type(id_type) -%}
    ({{ id_type }} IS NULL OR list_contains(coalesce((SELECT list(id_type) FROM {{ ref('resident_id_types') }}), []), {{ id_type }}))
{%- endmacro %}

{#- Defects of the subject of a record (R* rules of extracts.md, identifiers of rules.md).
    MISSING:* make a record incomplete; every other code makes it non-compliant. -#}
{% macro subject_defect_checks(type_list='subject_type') -%}
    {{ return([
        ("subject_type IS NULL", "MISSING:subject_type"),
        ("subject_type IS NOT NULL AND NOT " ~ in_code_list('subject_type', 'subject_type'), "INVALID:subject_type"),
        ("subject_type <> '自然人' AND subject_uscc IS NULL", "MISSING:subject_uscc"),
        ("subject_uscc IS NOT NULL AND NOT " ~ is_valid_uscc('subject_uscc'), "INVALID:subject_uscc"),
        ("subject_type = '自然人' AND person_id_type IS NULL", "MISSING:person_id_type"),
        ("subject_type = '自然人' AND person_id_key IS NULL", "MISSING:person_id"),
        ("subject_type = '自然人' AND person_id_key IS NOT NULL AND " ~ is_ric_type('person_id_type') ~ " AND NOT person_id_is_ric", "INVALID:person_id"),
    ]) }}
{%- endmacro %}

{% macro source_dept_defect_checks() -%}
    {{ return([
        ("source_dept_name IS NULL", "MISSING:source_dept_name"),
        ("source_dept_code IS NULL", "MISSING:source_dept_code"),
        ("source_dept_code IS NOT NULL AND NOT " ~ is_valid_uscc('source_dept_code'), "INVALID:source_dept_code"),
        ("submitted_at IS NULL AND NOT is_submitted_at_unparseable", "MISSING:submitted_at"),
        ("is_submitted_at_unparseable", "UNPARSEABLE_DATE:submitted_at"),
        ("submitted_at < " ~ earliest_valid_date(), "INVALID:submitted_date"),
    ]) }}
{%- endmacro %}

{#- Date checks for one date column: missing when required, unparseable when delivered, too early
    (before 1949-10-01) when parsed. `name` is the parsed column, an alias of the same select. -#}
{% macro date_defect_checks(raw_column, name, required=true) -%}
    {%- set checks = [("" ~ is_unparseable_date(raw_column), "UNPARSEABLE_DATE:" ~ name), too_early_date_check(name)] -%}
    {%- if required -%}
        {%- do checks.append((raw_column ~ " IS NULL", "MISSING:" ~ name)) -%}
    {%- endif -%}
    {{ return(checks) }}
{%- endmacro %}

{#- A required text column: MISSING:<name> when empty. -#}
{% macro required_checks(names) -%}
    {%- set checks = [] -%}
    {%- for n in names -%}{%- do checks.append((n ~ " IS NULL", "MISSING:" ~ n)) -%}{%- endfor -%}
    {{ return(checks) }}
{%- endmacro %}

{#- A fingerprint of a record's content, to tell a repeat (same content) from a correction.
    报送时间 and lineage are left out: resending the same facts later is still a repeat. -#}
{% macro content_hash(columns) -%}
    md5(concat_ws(chr(31), {% for c in columns %}coalesce(CAST({{ c }} AS VARCHAR), chr(0)){% if not loop.last %}, {% endif %}{% endfor %}))
{%- endmacro %}
