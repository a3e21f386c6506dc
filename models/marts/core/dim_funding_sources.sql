-- 资金来源, one row per funding source, with its group (财政拨款 / 非财政拨款).

with

funding_sources as (
    select * from {{ ref('stg_funding_sources') }}
),

final as (
    select
        ---------- ids
        fund_code,
        fund_name,

        ---------- group
        fund_group,
        fund_group_name,

        ---------- ordering
        sort_order

    from funding_sources
)

select * from final
