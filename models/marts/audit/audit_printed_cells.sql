-- 印刷数与明细数: every cell of an imported published report as printed, beside what its leaf facts add up to
-- in the same cell (int_report_cells; the marts print the printed figures themselves). The printed record is
-- kept as published; the comparison is for the audit of printed figures (a subtotal that is not the sum of its
-- rows, 尾数误差 of 0.01–0.02 where each printed cell was rounded on its own).
with

printed as (
    -- the printed cells with the mart cell each is (cell_id; NULL where the layout has none)
    select * from {{ ref('int_printed_report_cells') }}
),

imported_unit_years as (
    select distinct unit_code, fiscal_year from printed
),

leaf_cells as (
    -- what the leaves add up to in each cell: int_report_cells (the marts print the printed figures instead)
    select c.unit_code, c.fiscal_year, c.cell_id, c.amount as derived_amount
    from {{ ref('int_report_cells') }} as c
    inner join imported_unit_years using (unit_code, fiscal_year)
),

compared as (
    select
        ---------- the cell
        p.unit_code,
        p.fiscal_year,
        p.table_code,
        p.table_no,
        p.side,
        p.row_order,
        p.row_key,
        p.row_label,
        p.line_no,
        p.subject_code,
        p.column_name,
        p.column_header,

        ---------- printed vs derived (万元)
        p.cell_state,
        p.printed_amount,
        coalesce(d.derived_amount, 0)::decimal(18, 2) as derived_amount,
        case when p.cell_state = 'number'
            then (p.printed_amount - coalesce(d.derived_amount, 0))::decimal(18, 2) end as difference,

        ---------- where it stood
        p.raw_text,
        p.source_document,
        p.page,
        p.line

    from printed as p
    left join leaf_cells as d
        on d.unit_code = p.unit_code
        and d.fiscal_year = p.fiscal_year
        and d.cell_id = p.cell_id
)

select * from compared
