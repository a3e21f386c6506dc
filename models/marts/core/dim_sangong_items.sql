-- 财政拨款“三公”经费 items, one row per item, with its group and the economic 款 that carries it.

with

sangong_items as (
    select * from {{ ref('stg_sangong_items') }}
),

economic_subjects as (
    select * from {{ ref('stg_economic_subjects') }}
),

final as (
    select
        ---------- ids
        i.item_code,
        i.item_name,

        ---------- group
        i.item_group,

        ---------- economic subject
        i.econ_code,
        e.econ_name,

        ---------- ordering
        i.sort_order

    from sangong_items as i
    left join economic_subjects as e
        on e.econ_code = i.econ_code
)

select * from final
