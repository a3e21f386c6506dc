-- Every non-empty cell of every printed table: per unit-year, the facts whose signature both the row and
-- the column take (on a two-sided table, only the column's own side), summed. Facts are summed by cell id
-- (int_template_cell_signatures), then the cell's position is attached.

with

unit_years as (
    select * from {{ ref('stg_unit_years') }}
    where detail_level = 'full'
        and {{ in_build_scope() }}
),

facts as (
    select * from {{ ref('int_report_facts') }}
    where {{ in_build_scope() }}
),

cell_signatures as (
    select * from {{ ref('int_template_cell_signatures') }}
),

template_cells as (
    select distinct cell_id, template_version, table_code, row_order, subject_code, column_name
    from cell_signatures
),

summed as (
    select
        f.unit_code,
        f.fiscal_year,
        cs.cell_id,
        cast(sum(f.amount) as decimal(18, 2)) as amount
    from facts as f
    inner join unit_years as uy
        on uy.unit_code = f.unit_code
        and uy.fiscal_year = f.fiscal_year
    inner join cell_signatures as cs
        on cs.template_version = uy.template_version
        and cs.signature_id = f.signature_id
    group by f.unit_code, f.fiscal_year, cs.cell_id
),

cells as (
    select
        ---------- ids
        s.unit_code,
        s.fiscal_year,
        c.template_version,
        c.table_code,
        c.row_order,
        c.subject_code,
        c.column_name,
        s.cell_id,

        ---------- amounts (万元)
        s.amount

    from summed as s
    inner join template_cells as c
        on c.cell_id = s.cell_id
)

select * from cells
