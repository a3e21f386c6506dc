{#- Facts are booked on the lowest level of a classification only (支出功能分类 项, 经济分类 款): returns the
    rows whose `column_name` is not a subject of `to` at `leaf_level` (read from `level_field`), unknown
    codes included. Subtotals are the models' job, never the facts'. -#}
{% test is_leaf_subject(model, column_name, to, field, level_field, leaf_level) %}
with child as (
    select * from {{ model }}
)
select child.*, parent.{{ level_field }} as found_level
from child
left join {{ to }} as parent
    on parent.{{ field }} = child.{{ column_name }}
where child.{{ column_name }} is not null
    and parent.{{ level_field }} is distinct from '{{ leaf_level }}'
{% endtest %}
