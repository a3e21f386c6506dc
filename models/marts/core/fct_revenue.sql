-- 收入 leaf facts: one row per unit, year, phase, 支出功能分类 项 and revenue source, with the 类 and the fund.

with

revenue as (
    select * from {{ ref('stg_revenue') }}
    where {{ in_build_scope() }}
),

revenue_sources as (
    select * from {{ ref('stg_revenue_sources') }}
),

funding_sources as (
    select * from {{ ref('stg_funding_sources') }}
),

subject_classes as (
    {{ subject_ancestor('function', '类') }}
),

final as (
    select
        ---------- unit-year and phase
        r.unit_code,
        r.fiscal_year,
        r.phase,

        ---------- function subject and its 类
        r.subject_code,
        c.ancestor_code as class_code,

        ---------- revenue source, its funding source and fund group
        r.source_code,
        s.fund_code,
        f.fund_group,

{{ leaf_amount_columns('r.amount') }}

    from revenue as r
    {{ join_amount_unit('r') }}
    left join subject_classes as c
        on c.subject_code = r.subject_code
    left join revenue_sources as s
        on s.source_code = r.source_code
    left join funding_sources as f
        on f.fund_code = s.fund_code
)

select * from final
