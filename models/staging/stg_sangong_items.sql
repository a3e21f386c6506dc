with

source as (
    select * from {{ ref('ref_sangong_items') }}
),

renamed as (
    select
        ---------- ids
        trim(item_code) as item_code,
        trim(item_group) as item_group,
        trim(econ_code) as econ_code,

        ---------- text
        trim(item_name) as item_name,

        ---------- ordering
        sort_order

    from source
)

select * from renamed
