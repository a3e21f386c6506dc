-- 结构占比: the breakdowns the 情况说明 describes, per unit or department and year, each with shares in
-- percent that sum to exactly 100.0 (largest remainder):
--   income_by_source   收入 by source (财政拨款收入 100%)
--   expenditure_by_nature  支出 by 支出性质 (基本支出 68.6%, 项目支出 31.4%)
--   gpb_by_class       一般公共预算财政拨款支出 by 类 (84.3 / 4.4 / 3.4 / 7.9)
--   gpb_basic_by_cost_type 一般公共预算财政拨款基本支出 by 人员经费 / 公用经费

with

-- read once per breakdown: not materialized (see int_report_facts)
facts as {{ not_materialized() }} (
    select * from {{ ref('int_report_facts') }}
    where phase = 'FINAL'
        and {{ in_build_scope() }}
),

ancestors as (
    select * from {{ ref('int_subject_ancestors') }}
    where subject_dimension = 'function' and ancestor_level_no = 1
),

function_subjects as (
    select * from {{ ref('stg_function_subjects') }}
),

revenue_sources as (
    select * from {{ ref('stg_revenue_sources') }}
),

expenditure_types as (
    select * from {{ ref('stg_expenditure_types') }}
),

breakdowns as (
    select f.unit_code, f.fiscal_year, 'income_by_source' as breakdown,
        f.source_code as item_code, s.source_name as item_name, sum(f.amount) as amount
    from facts as f
    inner join revenue_sources as s on s.source_code = f.source_code
    where f.measure = 'revenue'
    group by all

    union all

    select f.unit_code, f.fiscal_year, 'expenditure_by_nature',
        f.expenditure_type, t.expenditure_type_name, sum(f.amount)
    from facts as f
    inner join expenditure_types as t on t.expenditure_type = f.expenditure_type
    where f.measure = 'expenditure'
    group by all

    union all

    select f.unit_code, f.fiscal_year, 'gpb_by_class',
        a.ancestor_code, s.subject_name, sum(f.amount)
    from facts as f
    inner join ancestors as a on a.descendant_code = f.subject_code
    inner join function_subjects as s on s.subject_code = a.ancestor_code
    where f.measure = 'expenditure' and f.fund_code = 'GPB'
    group by all

    union all

    select f.unit_code, f.fiscal_year, 'gpb_basic_by_cost_type',
        f.cost_type, f.cost_type, sum(f.amount)
    from facts as f
    where f.measure = 'basic_economic' and f.fund_code = 'GPB'
    group by all
),

-- the figures as printed (rounded to 0.01 万元), then those that print as non-zero
non_zero as (
    select * from (
        select unit_code, fiscal_year, breakdown, item_code, item_name, cast(amount as decimal(18, 2)) as amount
        from breakdowns
    )
    where amount <> 0
),

shares as (
    {{ largest_remainder_shares('non_zero', ['unit_code', 'fiscal_year', 'breakdown'], 'amount', 'item_code') }}
),

final as (
    select
        ---------- unit, year, breakdown
        unit_code,
        fiscal_year,
        breakdown,

        ---------- item
        item_code,
        item_name,

        ---------- amount (万元) and share (percent, one decimal, sums to 100.0)
        amount,
        share_pct

    from shares
)

select * from final
