{#- The printed cells of some report rows, without amounts: each row of `rows` (a relation or CTE with the
    columns of int_report_rows it needs: template_version, table_code, side, and any others, which are passed
    through) times each column its template prints on that row's side. audit_report_cells keeps only non-zero
    cells; this is how the rules name a cell that is printed as zero (labels of failures, the vacuous-term
    check). -#}
{% macro printed_cells(rows) -%}
    select
        r.*,
        tc.column_name
    from {{ rows }} as r
    inner join {{ ref('stg_template_columns') }} as tc
        on tc.template_version = r.template_version
        and tc.table_code = r.table_code
        and {{ column_prints_on_row('tc', 'r') }}
{%- endmacro %}


{#- The report rows (int_report_rows) of the unit-years that have a row in `failing` (unit_code,
    fiscal_year): label look-ups for the few failures, never a scan of every unit-year's cells. -#}
{% macro report_rows_of(failing) -%}
    select r.template_version, r.unit_code, r.fiscal_year, r.table_code, r.side, r.line_no, r.item_name,
        r.row_key, r.row_group, r.subject_dimension, r.subject_code, r.subject_level
    from {{ ref('int_report_rows') }} as r
    where exists (
        select 1 from {{ failing }} as f where f.unit_code = r.unit_code and f.fiscal_year = r.fiscal_year
    )
{%- endmacro %}
