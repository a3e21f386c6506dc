-- Every non-empty cell of every printed table: per unit-year, the facts whose signature both the row and
-- the column take (on a two-sided table, only the column's own side), summed by cell id
-- (int_template_cell_signatures). Only (unit, year, cell_id, amount) is stored: at 300k unit-years this is
-- 51M rows, and writing the cell's five position columns with each took 11 s of the model's 47 s. Readers
-- join int_template_cells for the position.

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

summed as (
    select
        f.unit_code,
        f.fiscal_year,
        cs.cell_id,
        -- the printed figure: the exact sum rounded to 0.01 万元, half away from zero (a cast rounds)
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
        unit_code,
        fiscal_year,
        cell_id,

        ---------- amounts (万元)
        amount

    from summed
)

select * from cells
