-- Every non-empty cell of every printed table: per unit-year, the facts whose signature both the row and
-- the column take (on a two-sided table, only the column's own side), summed.

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

row_signatures as (
    select * from {{ ref('int_template_row_signatures') }}
),

column_signatures as (
    select * from {{ ref('int_template_column_signatures') }}
),

cells as (
    select
        ---------- ids
        f.unit_code,
        f.fiscal_year,
        uy.template_version,
        rs.table_code,
        rs.row_order,
        rs.subject_code,
        cs.column_name,

        ---------- amounts (万元)
        cast(sum(f.amount) as decimal(18, 2)) as amount

    from facts as f
    inner join unit_years as uy
        on uy.unit_code = f.unit_code
        and uy.fiscal_year = f.fiscal_year
    inner join row_signatures as rs
        on rs.template_version = uy.template_version
        and rs.signature_id = f.signature_id
    inner join column_signatures as cs
        on cs.template_version = uy.template_version
        and cs.table_code = rs.table_code
        and cs.signature_id = f.signature_id
        and (cs.side is null or cs.side = rs.side)
    group by all
)

select * from cells
