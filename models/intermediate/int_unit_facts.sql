-- Every seeded fact of every unit in one long shape, tagged with every attribute a template filter can
-- ask for: the 决算 leaf facts, and the 年初预算 (phase BUDGET) at the level it is published.
-- Nothing here is a subtotal. Departments are added by int_report_facts. Amounts are 万元 exactly, with six
-- decimals: a unit-year entered in 元 (stg_unit_years.amount_unit) keeps its 分; only printed figures are rounded.

with

revenue as (
    select * from {{ ref('stg_revenue') }}
    where {{ in_build_scope() }}
),

expenditure as (
    select * from {{ ref('stg_expenditure') }}
    where {{ in_build_scope() }}
),

basic_economic as (
    select * from {{ ref('stg_basic_expenditure_economic') }}
    where {{ in_build_scope() }}
),

sangong as (
    select * from {{ ref('stg_sangong') }}
    where {{ in_build_scope() }}
),

balances as (
    select * from {{ ref('stg_balances') }}
    where {{ in_build_scope() }}
),

budget as (
    select * from {{ ref('stg_budget') }}
    where {{ in_build_scope() }}
),

revenue_sources as (
    select * from {{ ref('stg_revenue_sources') }}
),

funding_sources as (
    select * from {{ ref('stg_funding_sources') }}
),

economic_subjects as (
    select * from {{ ref('stg_economic_subjects') }}
),

sangong_items as (
    select * from {{ ref('stg_sangong_items') }}
),

unit_years as (
    select * from {{ ref('stg_unit_years') }}
    where {{ in_build_scope() }}
),

unioned as (
    select
        r.unit_code, r.fiscal_year, r.phase,
        'revenue' as measure,
        'function' as subject_dimension, r.subject_code,
        s.fund_code, r.source_code,
        null::string as expenditure_type, null::string as balance_kind,
        null::string as cost_type, null::string as sangong_item, null::string as sangong_group,
        r.amount
    from revenue as r
    left join revenue_sources as s on s.source_code = r.source_code

    union all

    select
        e.unit_code, e.fiscal_year, e.phase,
        'expenditure',
        'function', e.subject_code,
        e.fund_code, null,
        e.expenditure_type, null,
        null, null, null,
        e.amount
    from expenditure as e

    union all

    select
        b.unit_code, b.fiscal_year, b.phase,
        'basic_economic',
        'economic', b.econ_code,
        b.fund_code, null,
        'BASIC', null,
        es.cost_type, null, null,
        b.amount
    from basic_economic as b
    left join economic_subjects as es on es.econ_code = b.econ_code

    union all

    -- “三公”经费 are 财政拨款 by definition: the fund is the FISCAL group, not one source.
    select
        g.unit_code, g.fiscal_year, g.phase,
        'sangong',
        null, null,
        null, null,
        null, null,
        null, g.item_code, i.item_group,
        g.amount
    from sangong as g
    left join sangong_items as i on i.item_code = g.item_code

    union all

    select
        c.unit_code, c.fiscal_year, c.phase,
        'balance',
        case when c.subject_code is not null then 'function' end, c.subject_code,
        c.fund_code, null,
        null, c.balance_kind,
        null, null, null,
        c.amount
    from balances as c

    union all

    select
        b.unit_code, b.fiscal_year, b.phase,
        'expenditure',
        'function', b.subject_code,
        b.fund_code, null,
        b.expenditure_type, null,
        null, null, null,
        b.amount
    from budget as b
),

tagged as (
    select
        ---------- ids
        unioned.unit_code,
        unioned.fiscal_year,

        ---------- what the fact is
        unioned.phase,
        unioned.measure,
        unioned.subject_dimension,
        unioned.subject_code,

        ---------- attributes template filters select on
        unioned.fund_code,
        case when unioned.measure = 'sangong' then 'FISCAL' else f.fund_group end as fund_group,
        unioned.source_code,
        unioned.expenditure_type,
        unioned.balance_kind,
        unioned.cost_type,
        unioned.sangong_item,
        unioned.sangong_group,

        ---------- amounts (万元, exact: DECIMAL(18,6))
        {{ exact_wan_yuan('unioned.amount', 'uy.amount_unit') }} as amount

    from unioned
    left join funding_sources as f on f.fund_code = unioned.fund_code
    left join unit_years as uy
        on uy.unit_code = unioned.unit_code
        and uy.fiscal_year = unioned.fiscal_year
)

select * from tagged
