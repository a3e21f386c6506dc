-- 收入来源, one row per revenue line of 公开01, with the funding source and fund group it brings in.

with

revenue_sources as (
    select * from {{ ref('stg_revenue_sources') }}
),

funding_sources as (
    select * from {{ ref('stg_funding_sources') }}
),

final as (
    select
        ---------- ids
        r.source_code,
        r.source_name,

        ---------- funding source and its group
        r.fund_code,
        f.fund_name,
        f.fund_group,
        f.fund_group_name,

        ---------- ordering
        r.sort_order

    from revenue_sources as r
    left join funding_sources as f
        on f.fund_code = r.fund_code
)

select * from final
