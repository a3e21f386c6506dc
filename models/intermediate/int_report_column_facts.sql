-- Which leaf facts each printed amount column adds up, per unit-year.
-- A column that names no phase shows 决算 (FINAL) facts; 公开09's 预算数 columns ask for BUDGET.

with

unit_years as (
    select * from {{ ref('stg_unit_years') }}
    where detail_level = 'full'
),

template_columns as (
    select * from {{ ref('stg_template_columns') }}
),

column_filters as (
    select * from {{ ref('stg_template_filters') }}
    where applies_to = 'column'
),

facts as (
    select * from {{ ref('int_report_facts') }}
),

matched as (
    select distinct
        uy.unit_code,
        uy.fiscal_year,
        uy.template_version,
        c.table_code,
        c.column_name,
        c.side,
        f.fact_id,
        f.amount
    from unit_years as uy
    inner join template_columns as c
        on c.template_version = uy.template_version
    inner join facts as f
        on f.unit_code = uy.unit_code
        and f.fiscal_year = uy.fiscal_year
    left join column_filters as cf
        on cf.template_version = c.template_version
        and cf.table_code = c.table_code
        and cf.target = c.column_name
    where {{ filter_matches('cf', 'f') }}
        and coalesce(cf.phase, 'FINAL') = f.phase
)

select * from matched
