{#- Composite-key relationships: every row's (columns) exists as (fields) in `to`; `fields` defaults to the
    same names. A row with any of its key columns NULL is not checked (as dbt's `relationships`). The parent is
    probed once per distinct key, not once per row (the children here are tables of printed rows and cells,
    the keys a few per unit-year). Returns the orphan rows. -#}
{% test relationships_multi(model, columns, to, fields=none) %}
    {%- set fields = fields or columns %}
    {%- if columns | length != fields | length %}
        {{ exceptions.raise_compiler_error("relationships_multi: columns and fields differ in length") }}
    {%- endif %}
with child as (
    select * from {{ model }}
),

child_keys as (
    select distinct {{ columns | join(', ') }}
    from child
    where
        {%- for c in columns %}
        {{ c }} is not null{{ ' and' if not loop.last }}
        {%- endfor %}
),

orphan_keys as (
    select k.*
    from child_keys as k
    where not exists (
        select 1
        from {{ to }} as parent
        where
            {%- for c in columns %}
            {% if not loop.first %}and {% endif %}parent.{{ fields[loop.index0] }} = k.{{ c }}
            {%- endfor %}
    )
)

select child.*
from child
inner join orphan_keys as o
    on
    {%- for c in columns %}
    {% if not loop.first %}and {% endif %}o.{{ c }} = child.{{ c }}
    {%- endfor %}
{% endtest %}
