-- The printed record of imported reports, placed in the template: each printed cell with the cell_id of the
-- mart cell it is (int_template_cells: the same table, layout row, subject and column), NULL where the layout
-- has no such cell. The gongkai marts print these figures for imported unit-years; audit_printed_cells sets
-- them beside what the leaves give.
with

printed as (
    select * from {{ ref('stg_printed_cells') }}
),

unit_years as (
    select unit_code, fiscal_year, template_version from {{ ref('stg_unit_years') }}
),

template_cells as (
    select * from {{ ref('int_template_cells') }}
),

placed as (
    select
        ---------- the printed cell
        p.*,
        uy.template_version,

        ---------- the mart cell it is
        tc.cell_id,
        p.cell_state in ('number', 'dash') as shows_printed_figure

    from printed as p
    inner join unit_years as uy
        on uy.unit_code = p.unit_code
        and uy.fiscal_year = p.fiscal_year
    left join template_cells as tc
        on tc.template_version = uy.template_version
        and tc.table_code = p.table_code
        and tc.row_order = p.template_row_order
        and tc.subject_code is not distinct from p.subject_code
        and tc.column_name = p.column_name
)

select * from placed
