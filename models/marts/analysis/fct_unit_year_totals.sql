-- The headline totals of every unit-year (units and departments), read from the printed cells that show
-- them (seed ref_total_measures names the table, row key and column), plus the totals that are known only
-- from a later year's narrative (detail_level = 'summary', e.g. 2023 from the 2024 情况说明).

with

unit_years as (
    select * from {{ ref('stg_unit_years') }}
    where {{ in_build_scope() }}
),

measures as (
    select * from {{ ref('stg_total_measures') }}
),

template_rows as (
    select * from {{ ref('stg_template_rows') }}
),

cells as (
    select * from {{ ref('int_report_cells') }}
    where {{ in_build_scope() }}
),

template_cells as (
    select * from {{ ref('int_template_cells') }}
),

reported as (
    select * from {{ ref('stg_reported_totals') }}
    where {{ in_build_scope() }}
),

from_tables as (
    select
        uy.unit_code,
        uy.fiscal_year,
        m.measure_code,
        'full' as detail_level,
        cast(coalesce(sum(c.amount), 0) as decimal(18, 2)) as amount
    from unit_years as uy
    cross join measures as m
    left join template_rows as r
        on r.template_version = uy.template_version
        and r.table_code = m.table_code
        and r.row_key = m.row_key
    left join template_cells as tc
        on tc.template_version = r.template_version
        and tc.table_code = r.table_code
        and tc.row_order = r.row_order
        and tc.column_name = m.column_name
    left join cells as c
        on c.unit_code = uy.unit_code
        and c.fiscal_year = uy.fiscal_year
        and c.cell_id = tc.cell_id
    where uy.detail_level = 'full'
    group by all
),

from_narratives as (
    select
        reported.unit_code,
        reported.fiscal_year,
        reported.measure_code,
        'summary' as detail_level,
        reported.amount
    from reported
    inner join unit_years as uy
        on uy.unit_code = reported.unit_code
        and uy.fiscal_year = reported.fiscal_year
        and uy.detail_level = 'summary'
),

final as (
    select
        ---------- unit-year
        unit_code,
        fiscal_year,

        ---------- what the figure is, and how much detail stands behind it
        measure_code,
        detail_level,

        ---------- amounts (万元)
        amount

    from from_tables
    union all
    select unit_code, fiscal_year, measure_code, detail_level, amount from from_narratives
)

select * from final
