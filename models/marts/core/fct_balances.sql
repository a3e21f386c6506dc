-- 结转结余 leaf facts: one row per unit, year, phase, balance kind, funding source and (where known)
-- 支出功能分类 subject. Printed zeros are kept.

with

balances as (
    select * from {{ ref('stg_balances') }}
    where {{ in_build_scope() }}
),

funding_sources as (
    select * from {{ ref('stg_funding_sources') }}
),

final as (
    select
        ---------- unit-year and phase
        b.unit_code,
        b.fiscal_year,
        b.phase,

        ---------- balance kind
        b.balance_kind,

        ---------- funding source and fund group
        b.fund_code,
        f.fund_group,

        ---------- function subject, where the report breaks the balance down
        b.subject_code,

{{ leaf_amount_columns('b.amount') }}

    from balances as b
    {{ join_amount_unit('b') }}
    left join funding_sources as f
        on f.fund_code = b.fund_code
)

select * from final
