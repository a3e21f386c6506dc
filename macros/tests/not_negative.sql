{#- Returns the rows whose `column_name` is below zero (NULL is not checked: pair with not_null where required). -#}
{% test not_negative(model, column_name) %}
select *
from {{ model }}
where {{ column_name }} < 0
{% endtest %}
