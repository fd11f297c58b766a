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

{#- For a model incremental by record that reads the objections (fct_license_publication,
    fct_penalty_publication): a condition on its rows' doc_no and authority_code that holds when an
    objection staged since the model's last build may name the record (staged_changes_reach). -#}
{% macro objection_changes_reach() -%}
    {{- staged_changes_reach(ref('stg_extracts__objections'), ['doc_no', 'authority_code'],
                             ['target_doc_no', 'target_authority_code']) -}}
{%- endmacro %}
