-- Which fact signatures each printable amount cell (row × column) of a template adds up, per template version
-- in use: the signatures both the row and the column take (on a two-sided table, only the column's own side).
-- Each cell has a stable integer id (a hash of its position), so int_report_cells sums facts by
-- (unit, year, cell) and not by five text columns.

with

row_signatures as (
    select * from {{ ref('int_template_row_signatures') }}
),

column_signatures as (
    select * from {{ ref('int_template_column_signatures') }}
),

cell_signatures as (
    select
        rs.template_version,
        rs.table_code,
        rs.row_order,
        rs.subject_code,
        cs.column_name,
        rs.signature_id
    from row_signatures as rs
    inner join column_signatures as cs
        on cs.template_version = rs.template_version
        and cs.table_code = rs.table_code
        and cs.signature_id = rs.signature_id
        and {{ column_prints_on_row('cs', 'rs') }}
),

identified as (
    select
        ---------- ids
        {{ juesuan_hash('template_version, table_code, row_order, subject_code, column_name') }} as cell_id,
        signature_id,

        ---------- the printed cell
        template_version,
        table_code,
        row_order,
        subject_code,
        column_name

    from cell_signatures
)

select * from identified
