-- Each printable amount cell of a template once, by its cell_id: where it is printed (table, row, subject,
-- column). int_report_cells stores only (unit, year, cell_id, amount); its readers find the cell's position here.

with

cell_signatures as (
    select * from {{ ref('int_template_cell_signatures') }}
),

cells as (
    select distinct
        ---------- ids
        cell_id,

        ---------- the printed cell
        template_version,
        table_code,
        row_order,
        subject_code,
        column_name

    from cell_signatures
)

select * from cells
