{#- Returns the groups (`group_by`) whose sum of `column_name` is not exactly `total` (a NULL sum counts as different). -#}
{% test sums_to(model, column_name, group_by, total) %}
    {%- set groups = group_by | join(', ') %}
select {{ groups }}, sum({{ column_name }}) as actual_total, {{ total }} as expected_total
from {{ model }}
group by {{ groups }}
having sum({{ column_name }}) is distinct from {{ total }}
{% endtest %}
