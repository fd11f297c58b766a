{#- For a model incremental by record that reads the credit repairs (fct_penalty_publication): a
    condition on its rows' doc_no and authority_code that holds when a repair staged since the
    model's last build may name the record by 关联文书号 + 关联机关统一社会信用代码
    (staged_changes_reach; int_repairs__matched matches them so). -#}
{% macro repair_changes_reach() -%}
    {{- staged_changes_reach(ref('stg_extracts__repairs'), ['doc_no', 'authority_code'],
                             ['related_doc_no', 'related_authority_code']) -}}
{%- endmacro %}
