{#- How a landed row becomes a staging row: lineage, the contract's columns renamed and cleaned, the
    record's identity, and the checks several extract kinds share. -#}

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

{#- The extract contract (var extract_contract in dbt_project.yml): one kind's columns in delivery
    order, the shared groups (common, subject) spread in place. -#}
{% macro contract_columns(kind) -%}
    {%- set columns = [] -%}
    {%- for item in var('extract_contract')['kinds'][kind]['columns'] -%}
        {%- if item is mapping -%}{%- do columns.append(item) -%}{%- else -%}{%- do columns.extend(item) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#- The contract's column of a kind that is staged as `staging`. -#}
{% macro contract_column(kind, staging) -%}
    {%- for c in contract_columns(kind) if c['staging'] == staging -%}{{ return(c) }}{%- endfor -%}
    {{ exceptions.raise_compiler_error("extract_contract: " ~ kind ~ " has no column staged as " ~ staging) }}
{%- endmacro %}

{#- A contract column's value in a staged row: an identity number by its key. -#}
{% macro staged_value(column) -%}
    {{ return(column['staging'] ~ ('_key' if column.get('pii') else '')) }}
{%- endmacro %}

{#- The select items of one contract column, cleaned as its type says; none for type derived. -#}
{% macro staged_column_items(column) -%}
    {%- set cell = '"' ~ column['name'] ~ '"' -%}
    {%- set name = column['staging'] -%}
    {%- set type = column.get('type', 'text') -%}
    {%- set items = [] -%}
    {%- if column.get('pii') -%}
        {#- an identity number landed as <col>_key / _masked / _is_ric (never plaintext) -#}
        {%- for part in ('key', 'masked', 'is_ric') -%}
            {%- do items.append('"' ~ column['name'] ~ '_' ~ part ~ '" AS ' ~ name ~ '_' ~ part) -%}
        {%- endfor -%}
    {%- elif type == 'text' -%}{%- do items.append(cell ~ ' AS ' ~ name) -%}
    {%- elif type == 'code' -%}{%- do items.append(clean_code(cell) ~ ' AS ' ~ name) -%}
    {%- elif type == 'date' -%}{%- do items.append(parse_cn_date(cell) ~ ' AS ' ~ name) -%}
    {%- elif type == 'timestamp' -%}
        {%- do items.append(parse_cn_timestamp(cell) ~ ' AS ' ~ name) -%}
        {%- do items.append(is_unparseable_date(cell) ~ ' AS is_' ~ name ~ '_unparseable') -%}
    {%- elif type != 'derived' -%}
        {{ exceptions.raise_compiler_error("extract_contract: unknown type " ~ type ~ " of " ~ column['name']) }}
    {%- endif -%}
    {%- if column.get('person_key') -%}
        {#- a person's identity number typed into a code column (统一社会信用代码 of a 个体工商户 given as
            its operator's 身份证号): landing keyed it in <column>_key, so the person can still be matched -#}
        {%- do items.append('"' ~ column['name'] ~ '_key" AS ' ~ name ~ '_person_key') -%}
    {%- endif -%}
    {{ return(items) }}
{%- endmacro %}

{#- A kind's staged columns, in the contract's order. `derived` maps a staging name to the SQL of the
    columns computed from it (a column of type derived has no other); they follow its own. Every kind
    has the delivering department's region: characters 3-8 of its USCC. -#}
{% macro staging_columns(kind, derived={}) -%}
    {%- set computed = {'source_dept_code': region_of('source_dept_code') ~ ' AS region_code'} -%}
    {%- do computed.update(derived) -%}
    {%- set items = [] -%}
    {%- for column in contract_columns(kind) -%}
        {%- do items.extend(staged_column_items(column)) -%}
        {%- if column['staging'] in computed -%}
            {%- do items.append(computed[column['staging']] | trim) -%}
        {%- elif column.get('type') == 'derived' -%}
            {{ exceptions.raise_compiler_error(kind ~ ": the derived column " ~ column['staging'] ~ " has no SQL") }}
        {%- endif -%}
    {%- endfor -%}
    {{ items | join(',\n        ') }}
{%- endmacro %}

{#- The names of a kind's identity parts, as extracts.md writes them. -#}
{% macro identity_names(kind) -%}
    {%- set names = [] -%}
    {%- for part in var('extract_contract')['kinds'][kind]['identity'] -%}
        {%- do names.append(part['name'] if part is mapping else part) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#- A record's identity (the contract's `identity`): has_identity when none of its parts is empty,
    record_key its parts joined by '|' (none without an identity). A part that is not a column (the
    subject of a commitment) is the first non-empty of its columns, computed first. -#}
{% macro identity_columns(kind) -%}
    {%- set columns = contract_columns(kind) -%}
    {%- set parts = [] -%}
    {%- for part in var('extract_contract')['kinds'][kind]['identity'] -%}
        {%- if part is mapping -%}
            {%- set first_of = [] -%}
            {%- for name in part['first_of'] -%}
                {%- for c in columns if c['name'] == name %}{% do first_of.append(staged_value(c)) %}{% endfor -%}
            {%- endfor %}
        coalesce({{ first_of | join(', ') }}) as {{ part['staging'] }},
            {%- do parts.append((part['staging'], 'text')) -%}
        {%- else -%}
            {%- for c in columns if c['name'] == part %}{% do parts.append((staged_value(c), c.get('type', 'text'))) %}{% endfor -%}
        {%- endif -%}
    {%- endfor %}
        {% for value, _ in parts %}{{ value }} is not null{{ ' and ' if not loop.last }}{% endfor %} as has_identity,
        case when has_identity then concat_ws('|', {% for value, type in parts -%}
            {{ "strftime(" ~ value ~ ", '%Y-%m-%d')" if type == 'date' else value }}{{ ', ' if not loop.last }}
        {%- endfor %}) end as record_key
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

{#- Date checks for one date column of the contract, by its staging name: unparseable when
    delivered, too early (before 1949-10-01) when parsed, missing when the contract marks it R. -#}
{% macro date_defect_checks(kind, name) -%}
    {%- set column = contract_column(kind, name) -%}
    {%- set cell = '"' ~ column['name'] ~ '"' -%}
    {%- set checks = [("" ~ is_unparseable_date(cell), "UNPARSEABLE_DATE:" ~ name), too_early_date_check(name)] -%}
    {%- if column.get('required') -%}
        {%- do checks.append((cell ~ " IS NULL", "MISSING:" ~ name)) -%}
    {%- endif -%}
    {{ return(checks) }}
{%- endmacro %}

{#- MISSING:<staging> for every text or code column the contract marks R, in its order, save those
    whose MISSING check `written` has already (the department's and the subject's type are checked
    with their group; dates, timestamps and derived columns by their own checks). -#}
{% macro required_checks(kind, written=[]) -%}
    {%- set written_codes = written | map(attribute=1) | list -%}
    {%- set checks = [] -%}
    {%- for c in contract_columns(kind) if c.get('required') and c.get('type', 'text') in ('text', 'code') -%}
        {%- if "MISSING:" ~ c['staging'] not in written_codes -%}
            {%- do checks.append((c['staging'] ~ " IS NULL", "MISSING:" ~ c['staging'])) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(checks) }}
{%- endmacro %}

{#- A fingerprint of a record's content, to tell a repeat (same content) from a correction.
    报送时间 and lineage are left out: resending the same facts later is still a repeat. -#}
{% macro content_hash(columns) -%}
    md5(concat_ws(chr(31), {% for c in columns %}coalesce(CAST({{ c }} AS VARCHAR), chr(0)){% if not loop.last %}, {% endif %}{% endfor %}))
{%- endmacro %}
