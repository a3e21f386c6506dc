-- Every non-empty cell of every printed table: a row's facts that its column also takes, summed.

with

row_facts as (
    select * from {{ ref('int_report_row_facts') }}
),

column_facts as (
    select * from {{ ref('int_report_column_facts') }}
),

template_rows as (
    select * from {{ ref('stg_template_rows') }}
),

cells as (
    select
        ---------- ids
        rf.unit_code,
        rf.fiscal_year,
        rf.template_version,
        rf.table_code,
        rf.row_order,
        rf.subject_code,
        cf.column_name,

        ---------- amounts (万元)
        cast(sum(cf.amount) as decimal(18, 2)) as amount

    from row_facts as rf
    inner join template_rows as tr
        on tr.template_version = rf.template_version
        and tr.table_code = rf.table_code
        and tr.row_order = rf.row_order
    inner join column_facts as cf
        on cf.unit_code = rf.unit_code
        and cf.fiscal_year = rf.fiscal_year
        and cf.table_code = rf.table_code
        and cf.fact_id = rf.fact_id
        and (cf.side is null or cf.side = tr.side)
    group by all
)

select * from cells
