-- 决算 expenditure per unit or department, year and 支出功能分类 subject at every level (类, 款, 项), all
-- funds and 一般公共预算财政拨款, with the prior year's amount, the change and the growth rate.

with

expenditure as (
    select * from {{ ref('int_expenditure_by_subject') }}
    where phase = 'FINAL'
        and {{ in_build_scope(grain='unit') }}
),

subjects as (
    select * from {{ ref('dim_function_subjects') }}
),

by_subject as (
    select
        unit_code,
        fiscal_year,
        subject_code,
        cast(sum(amount) as decimal(18, 2)) as amount,
        cast(coalesce(sum(amount) filter (where fund_code = 'GPB'), 0) as decimal(18, 2)) as gpb_amount
    from expenditure
    group by all
),

with_prior as (
    select
        cur.*,
        prior.amount as prior_year_amount
    from by_subject as cur
    left join by_subject as prior
        on prior.unit_code = cur.unit_code
        and prior.subject_code = cur.subject_code
        and prior.fiscal_year = cur.fiscal_year - 1
),

final as (
    select
        ---------- unit, year, subject
        w.unit_code,
        w.fiscal_year,
        w.subject_code,
        s.subject_name,
        s.subject_level,
        s.class_code,

        ---------- amounts (万元)
        w.amount,
        w.gpb_amount,

        ---------- against the year before (NULL where the subject had no 决算 that year)
        w.prior_year_amount,
        cast(w.amount - w.prior_year_amount as decimal(18, 2)) as change_amount,
        {{ percent('w.amount - w.prior_year_amount', 'w.prior_year_amount') }} as growth_rate_pct

    from with_prior as w
    left join subjects as s on s.subject_code = w.subject_code
)

select * from final
