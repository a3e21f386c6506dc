{#- No two rows share the same values in `combination` (dbt_utils cannot be installed here). -#}
{% test unique_combination_of_columns(model, combination) %}
    {%- set cols = combination | join(', ') %}
select {{ cols }}, count(*) as duplicate_rows
from {{ model }}
group by {{ cols }}
having count(*) > 1
{% endtest %}
