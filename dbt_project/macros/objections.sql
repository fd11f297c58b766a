{#- rules.md "Objections (异议处理)": what an objection does to the record it names, read from
    int_objections__by_record by the record's kind, document number and authority (许可机关, 处罚机关
    or 认定部门). Join it, then read under_objection() / is_withdrawn(). -#}
{% macro join_objections(target_kind, doc_no, authority_code, alias='objections') -%}
    left join {{ ref('int_objections__by_record') }} as {{ alias }}
        on {{ alias }}.target_kind = '{{ target_kind }}'
        and {{ alias }}.target_doc_no = {{ doc_no }}
        and {{ alias }}.target_authority_code = {{ authority_code }}
{%- endmacro %}

{#- An open objection about the record as of the as-of date: the record stays, marked. -#}
{% macro under_objection(alias='objections') -%}
    coalesce({{ alias }}.is_under_objection, false)
{%- endmacro %}

{#- An objection about the record resolved 删除 on or before the as-of date: the record is withdrawn. -#}
{% macro is_withdrawn(alias='objections') -%}
    coalesce({{ alias }}.is_withdrawn, false)
{%- endmacro %}

{#- For a model incremental by record that reads the objections (fct_license_publication): a
    condition on a record's `doc_no` and `authority_code` that holds when an objection staged since
    the model's last build may name it. Every delivery of such an objection counts, for an earlier
    one may have named another record; and of any kind, for staging does not know kinds yet. True
    for all on a full build, or when an objection file the model was built from is gone or was
    re-delivered with other bytes (built_from_files.sql). The model records its files with
    record_built_from(staged_files(ref('stg_extracts__objections'))), in a full build too: no
    record means it was built from none, and every staged objection is new to it. -#}
{% macro objection_changes_reach(doc_no, authority_code) -%}
    {%- set staged = ref('stg_extracts__objections') -%}
    {%- set files = files_since_last_build(staged_files(staged)) if is_incremental() else none -%}
    {%- if not is_incremental() or (files is not none and files.gone) -%}
    true
    {%- elif files is not none and not files.new -%}
    false
    {%- else -%}
    ({{ doc_no }}, {{ authority_code }}) in (
        select target_doc_no, target_authority_code from {{ staged }}
        {%- if files is not none %}
        where record_key in (
            select record_key from {{ staged }} where list_position({{ varchar_list(files.new) }}, file_path) is not null)
        {%- endif %})
    {%- endif -%}
{%- endmacro %}

{#- The same, as the records (record_kind `kind`, record_key) of this model's rows it reaches. -#}
{% macro records_reached_by_objection_changes(kind) -%}
    select '{{ kind }}' as record_kind, record_key from {{ this }} where {{ objection_changes_reach('doc_no', 'authority_code') }}
{%- endmacro %}
