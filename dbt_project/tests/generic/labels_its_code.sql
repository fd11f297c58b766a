{#- A label column (macro code_label) has a label for every code in its code column: a code that
    seeds/code_labels.csv does not label would show a BI user an empty cell. -#}
{% test labels_its_code(model, column_name, code_column) %}
select {{ code_column }}, {{ column_name }}
from {{ model }}
where {{ code_column }} is not null
  and {{ column_name }} is null
{% endtest %}
