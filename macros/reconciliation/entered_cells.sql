{#- The cells the reconciliation rules fail the build on: every unit-year except imported published reports
    (ref_unit_years.data_origin = 'imported'). A published report that does not add up is a fact about the
    publication, not a broken build: its printed figures are kept as printed (audit_printed_cells shows each
    beside what its leaves give); hand-entered and generated data keep failing the build as before. -#}
{%- macro entered_cells(model) -%}
select c.*
-- a subquery: after an incremental run the tested model is itself a scoped subquery with an alias
from (select * from {{ model }}) as c
anti join (
    select unit_code, fiscal_year from {{ ref('stg_unit_years') }} where data_origin = 'imported'
) as imported
    on imported.unit_code = c.unit_code
    and imported.fiscal_year = c.fiscal_year
{%- endmacro %}
