-- 结转结余 kinds, one row per carry-over or surplus line of 公开01/04.

with

balance_kinds as (
    select * from {{ ref('stg_balance_kinds') }}
),

final as (
    select
        ---------- ids
        balance_kind,
        balance_kind_name,

        ---------- placement
        balance_side,
        sort_order

    from balance_kinds
)

select * from final
