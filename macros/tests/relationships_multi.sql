{#- Composite-key relationships: every row's (columns) exists as (fields) in `to`; `fields` defaults to the
    same names. A row with any of its key columns NULL is not checked (as dbt's `relationships`). Returns the
    orphan rows. -#}
{% test relationships_multi(model, columns, to, fields=none) %}
    {%- set fields = fields or columns %}
    {%- if columns | length != fields | length %}
        {{ exceptions.raise_compiler_error("relationships_multi: columns and fields differ in length") }}
    {%- endif %}
with child as (
    select * from {{ model }}
)
select child.*
from child
where
    {%- for c in columns %}
    child.{{ c }} is not null and
    {%- endfor %}
    not exists (
        select 1
        from {{ to }} as parent
        where
            {%- for c in columns %}
            {% if not loop.first %}and {% endif %}parent.{{ fields[loop.index0] }} = child.{{ c }}
            {%- endfor %}
    )
{% endtest %}
