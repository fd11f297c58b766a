{#- The Chinese label of a code column, from seeds/code_labels.csv (the one place labels live):
    code_label('publication_status', 'p.publication_status') → case … when 'publishing' then '公示中' … end.
    A CASE compiled from the seed when the model runs, not a join: free at 10 M rows. A code the seed
    does not label gives NULL, which the label's not-null-when-coded check reports. -#}
{% macro code_label(code_list, column) -%}
    {#- the ref records the dependency, so the seed is built before any model labelling with it -#}
    {%- set _ = ref('code_labels') -%}
    {%- set labels = code_labels_of(code_list) -%}
    {%- if labels -%}
        case {{ column }}
        {%- for code, label in labels %} when '{{ code | replace("'", "''") }}' then '{{ label | replace("'", "''") }}'{% endfor %} end
    {%- else -%}
        cast(null as varchar)
    {%- endif -%}
{%- endmacro %}


{#- (code, label) pairs of one code list, read from the built seed table. None at parse time, before
    the seed exists, and in a unit test (no graph; its labels are NULL: unit tests check the rules). -#}
{% macro code_labels_of(code_list) -%}
    {%- set seed = (graph.get('nodes') or {}).get('seed.' ~ project_name ~ '.code_labels') if execute else none -%}
    {%- if seed is none -%}{{ return(none) }}{%- endif -%}
    {%- set relation = adapter.get_relation(database=seed.database, schema=seed.schema, identifier=seed.alias) -%}
    {%- if relation is none -%}{{ return(none) }}{%- endif -%}
    {%- set rows = run_query("select code, label from " ~ relation ~ " where code_list = '" ~ code_list ~ "' order by code") -%}
    {{ return(rows.rows | list) }}
{%- endmacro %}
