-- Expenditure facts (决算 and 年初预算) of every unit and department rolled up the 支出功能分类 hierarchy:
-- one row per unit, year, phase, fund and subject at every level (类, 款, 项) that has facts below it.
-- The trend and budget-execution marts both read this instead of repeating the roll-up.

with

facts as (
    select * from {{ ref('int_report_facts') }}
    where measure = 'expenditure'
        and {{ in_build_scope() }}
),

ancestors as (
    select * from {{ ref('int_subject_ancestors') }}
    where subject_dimension = 'function'
),

rolled_up as (
    select
        ---------- unit-year, phase, fund
        f.unit_code,
        f.fiscal_year,
        f.phase,
        f.fund_code,

        ---------- subject at any level
        a.ancestor_code as subject_code,

        ---------- amounts (万元, exact: six decimals; the marts round what they show) and how many facts
        ---------- stand behind them
        cast(sum(f.amount) as decimal(18, 6)) as amount,
        count(*) as fact_count

    from facts as f
    inner join ancestors as a on a.descendant_code = f.subject_code
    group by all
)

select * from rolled_up
