-- Which fact signatures each printed amount column adds up, per template version in use.
-- A column that names no phase shows 决算 (FINAL) facts; 公开09's 预算数 columns ask for BUDGET.

with

template_versions as (
    select distinct template_version from {{ ref('stg_unit_years') }} where detail_level = 'full'
),

template_columns as (
    select c.*
    from {{ ref('stg_template_columns') }} as c
    inner join template_versions using (template_version)
),

column_filters as (
    select * from {{ ref('stg_template_filters') }}
    where applies_to = 'column'
),

signatures as (
    select * from {{ ref('int_fact_signatures') }}
),

matched as (
    select distinct
        c.template_version,
        c.table_code,
        c.column_name,
        c.side,
        f.signature_id
    from template_columns as c
    cross join signatures as f
    left join column_filters as cf
        on cf.template_version = c.template_version
        and cf.table_code = c.table_code
        and cf.target = c.column_name
    where {{ filter_matches('cf', 'f') }}
        and coalesce(cf.phase, 'FINAL') = f.phase
)

select * from matched
