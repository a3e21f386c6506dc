-- 支出 leaf facts: one row per unit, year, phase, 支出功能分类 项, funding source and 支出性质, with the 类.

with

expenditure as (
    select * from {{ ref('stg_expenditure') }}
    where {{ in_build_scope() }}
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
        e.unit_code,
        e.fiscal_year,
        e.phase,

        ---------- function subject and its 类
        e.subject_code,
        c.ancestor_code as class_code,

        ---------- funding source and fund group
        e.fund_code,
        f.fund_group,

        ---------- expenditure type (基本支出, 项目支出, …)
        e.expenditure_type,

{{ leaf_amount_columns('e.amount') }}

    from expenditure as e
    {{ join_amount_unit('e') }}
    left join subject_classes as c
        on c.subject_code = e.subject_code
    left join funding_sources as f
        on f.fund_code = e.fund_code
)

select * from final
