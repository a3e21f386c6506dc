-- 财政拨款“三公”经费 leaf facts: one row per unit, year, phase (预算数 / 决算数) and item,
-- with the item's group and the economic 款 that carries it.

with

sangong as (
    select * from {{ ref('stg_sangong') }}
    where {{ in_build_scope() }}
),

sangong_items as (
    select * from {{ ref('stg_sangong_items') }}
),

final as (
    select
        ---------- unit-year and phase
        g.unit_code,
        g.fiscal_year,
        g.phase,

        ---------- item, its group and economic subject
        g.item_code,
        i.item_group,
        i.econ_code,

{{ leaf_amount_columns('g.amount') }}

    from sangong as g
    {{ join_amount_unit('g') }}
    left join sangong_items as i
        on i.item_code = g.item_code
)

select * from final
