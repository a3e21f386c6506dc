{#- The cells the reconciliation rules fail the build on: every unit-year except imported published reports
    (ref_unit_years.data_origin = 'imported'). A published report that does not add up is a fact about the
    publication, not a broken build: its printed figures are kept as printed (audit_printed_cells shows each
    beside what its leaves give); hand-entered and generated data keep failing the build as before.
    Adds `rounded_cells`: the unit-year's figures are rounded sums of leaves entered in 元 (its own, or, for a
    部门决算, a member's), so its checks allow 尾数误差 (entered_tolerance); 万元 leaves are checked exactly. -#}
{%- macro entered_cells(model) -%}
select c.*, uy.rounded_cells
-- a subquery: after an incremental run the tested model is itself a scoped subquery with an alias
from (select * from {{ model }}) as c
inner join (
    select
        u.unit_code,
        u.fiscal_year,
        u.amount_unit = '元' or coalesce(m.yuan_members, false) as rounded_cells
    from {{ ref('stg_unit_years') }} as u
    left join (
        select dm.department_code, dm.fiscal_year, bool_or(mu.amount_unit = '元') as yuan_members
        from {{ ref('int_department_members') }} as dm
        inner join {{ ref('stg_unit_years') }} as mu
            on mu.unit_code = dm.unit_code
            and mu.fiscal_year = dm.fiscal_year
        group by all
    ) as m
        on m.department_code = u.unit_code
        and m.fiscal_year = u.fiscal_year
    where u.data_origin <> 'imported'
) as uy
    on uy.unit_code = c.unit_code
    and uy.fiscal_year = c.fiscal_year
{%- endmacro %}


{#- How far an entered check may be off: exact (var reconciliation_tolerance, 0 by default) for figures summed
    from 万元 leaves; the rounding band of its `figures` printed figures where they are rounded sums of 元 leaves
    (`rounded`, a boolean expression: entered_cells.rounded_cells). A term that rounds to 0.00 is not among the
    cells (audit_report_cells drops zeros) and so not counted in the band. -#}
{%- macro entered_tolerance(rounded, figures) -%}
    case when {{ rounded }} then {{ rounding_band(figures) }} else {{ var('reconciliation_tolerance', 0) }} end
{%- endmacro %}
