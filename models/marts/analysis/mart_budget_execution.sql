-- 预算执行: 一般公共预算财政拨款 决算 against 年初预算, per unit or department, year and subject at each level
-- where a budget is known (a budget published per 类 gives rates per 类), plus the total (subject_code NULL).
-- execution_rate_pct = 决算 / 年初预算 × 100, one decimal (95.3% = 1553.97 / 1629.93). The total row's rate
-- needs the budget of every 类 the unit spent in: where a report states 年初预算 for some 类 only, the total's
-- budget is partial (budget_coverage) and no rate is made from it (a partial budget against the whole 决算
-- gave 615.3% where the print says 98%).

with

expenditure as (
    select * from {{ ref('int_expenditure_by_subject') }}
    where fund_code = 'GPB'
        and {{ in_build_scope() }}
),

subjects as (
    select * from {{ ref('dim_function_subjects') }}
),

rolled_up as (
    select
        unit_code,
        fiscal_year,
        subject_code,
        coalesce(sum(amount) filter (where phase = 'BUDGET'), 0) as budget_amount,
        coalesce(sum(amount) filter (where phase = 'FINAL'), 0) as final_amount,
        coalesce(sum(fact_count) filter (where phase = 'BUDGET'), 0) as budget_facts
    from expenditure
    group by all
),

facts as (
    -- the totals row (subject NULL): each fact once, i.e. the 类 level of the roll-up
    select e.unit_code, e.fiscal_year, e.phase, e.amount
    from expenditure as e
    inner join subjects as s on s.subject_code = e.subject_code and s.subject_level = '类'
),

budgeted_subjects as (
    select unit_code, fiscal_year, subject_code, budget_amount, final_amount, 'complete' as budget_coverage
    from rolled_up
    where budget_facts > 0
),

-- which 类 have a final and which a budget
class_coverage as (
    select
        unit_code,
        fiscal_year,
        count(*) filter (where budget_facts = 0 and final_amount <> 0) as classes_without_budget
    from rolled_up
    inner join subjects as s using (subject_code)
    where s.subject_level = '类'
    group by all
),

totals as (
    select
        f.unit_code,
        f.fiscal_year,
        cast(null as string) as subject_code,
        coalesce(sum(f.amount) filter (where f.phase = 'BUDGET'), 0) as budget_amount,
        coalesce(sum(f.amount) filter (where f.phase = 'FINAL'), 0) as final_amount,
        case when any_value(coalesce(c.classes_without_budget, 0)) = 0 then 'complete' else 'partial' end
            as budget_coverage
    from facts as f
    left join class_coverage as c using (unit_code, fiscal_year)
    group by all
    having count(*) filter (where f.phase = 'BUDGET') > 0
),

unioned as (
    select * from budgeted_subjects
    union all
    select * from totals
),

final as (
    select
        ---------- unit, year, subject (NULL = 合计)
        u.unit_code,
        u.fiscal_year,
        u.subject_code,
        coalesce(s.subject_name, '合计') as subject_name,
        s.subject_level,

        ---------- amounts (万元)
        cast(u.budget_amount as decimal(18, 2)) as budget_amount,
        cast(u.final_amount as decimal(18, 2)) as final_amount,

        ---------- execution: no rate from a partial budget
        u.budget_coverage,
        -- the rate of the printed figures (each rounded to 0.01 万元, as for a unit-year entered in 元)
        case when u.budget_coverage = 'complete'
            then {{ percent('cast(u.final_amount as decimal(18, 2))', 'cast(u.budget_amount as decimal(18, 2))') }}
        end as execution_rate_pct

    from unioned as u
    left join subjects as s on s.subject_code = u.subject_code
)

select * from final
