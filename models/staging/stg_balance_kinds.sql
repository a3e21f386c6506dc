with

source as (
    select * from {{ ref('ref_balance_kinds') }}
),

renamed as (
    select
        ---------- ids
        trim(balance_kind) as balance_kind,

        ---------- text
        trim(balance_kind_name) as balance_kind_name,

        ---------- placement
        trim(balance_side) as balance_side,
        sort_order

    from source
)

select * from renamed
