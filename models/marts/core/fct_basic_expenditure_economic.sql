-- 基本支出 by 经济分类 leaf facts: one row per unit, year, phase, funding source and economic 款,
-- with the 类 and the 经费类型 (人员经费 / 公用经费).

with

basic_economic as (
    select * from {{ ref('stg_basic_expenditure_economic') }}
    where {{ in_build_scope() }}
),

economic_subjects as (
    select * from {{ ref('stg_economic_subjects') }}
),

subject_classes as (
    {{ subject_ancestor('economic', '类') }}
),

final as (
    select
        ---------- unit-year and phase
        b.unit_code,
        b.fiscal_year,
        b.phase,

        ---------- funding source
        b.fund_code,

        ---------- economic subject, its 类 and cost type
        b.econ_code,
        c.ancestor_code as econ_class_code,
        es.cost_type,

{{ leaf_amount_columns('b.amount') }}

    from basic_economic as b
    {{ join_amount_unit('b') }}
    left join subject_classes as c
        on c.subject_code = b.econ_code
    left join economic_subjects as es
        on es.econ_code = b.econ_code
)

select * from final
