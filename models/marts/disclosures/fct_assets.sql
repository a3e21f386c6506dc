-- 国有资产占用情况 (情况说明 十二): counts per item as of the reported date.

with

assets as (
    select * from {{ ref('stg_assets') }}
),

final as (
    select
        ---------- unit-year and date
        unit_code,
        fiscal_year,
        as_of_date,

        ---------- item
        item_code,
        item_name,
        measure_unit,
        sort_order,

        ---------- count
        quantity

    from assets
)

select * from final
