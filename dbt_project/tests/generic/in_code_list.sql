{#- The column's values are codes of one list of seeds/code_lists.csv (NULL passes: not_null says
    otherwise): a rule seed or model names the code list instead of copying its codes. -#}
{% test in_code_list(model, column_name, code_list) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
  and not {{ in_code_list(column_name, code_list) }}
{% endtest %}
