with

source as (
    select * from {{ ref('amt_assets') }}
),

items as (
    select * from {{ ref('ref_asset_items') }}
),

renamed as (
    select
        ---------- keys
        trim(source.unit_code) as unit_code,
        source.fiscal_year,
        source.as_of_date,

        ---------- item
        trim(source.item_code) as item_code,
        trim(items.item_name) as item_name,
        trim(items.measure_unit) as measure_unit,
        items.sort_order,

        ---------- count
        source.quantity

    from source
    left join items on trim(items.item_code) = trim(source.item_code)
)

select * from renamed
