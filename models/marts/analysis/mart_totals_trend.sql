-- Headline totals per unit or department and year, with the prior year's amount, the change and the
-- growth rate (percent, one decimal), as the 情况说明 states them ("增加130.03万元，增长9.1%").

with

totals as (
    select * from {{ ref('fct_unit_year_totals') }}
    where {{ in_build_scope(grain='unit') }}
),

units as (
    select * from {{ ref('dim_units') }}
),

measures as (
    select * from {{ ref('stg_total_measures') }}
),

with_prior as (
    select
        totals.*,
        lag(totals.amount) over (
            partition by totals.unit_code, totals.measure_code order by totals.fiscal_year
        ) as prior_year_amount,
        lag(totals.fiscal_year) over (
            partition by totals.unit_code, totals.measure_code order by totals.fiscal_year
        ) as prior_fiscal_year
    from totals
),

final as (
    select
        ---------- unit and year
        w.unit_code,
        u.unit_name,
        u.unit_kind,
        w.fiscal_year,

        ---------- measure
        w.measure_code,
        m.measure_name_zh,
        w.detail_level,

        ---------- amounts (万元) and change against the year before
        w.amount,
        case when w.prior_fiscal_year = w.fiscal_year - 1 then w.prior_year_amount end as prior_year_amount,
        case when w.prior_fiscal_year = w.fiscal_year - 1
            then cast(w.amount - w.prior_year_amount as decimal(18, 2)) end as change_amount,
        case when w.prior_fiscal_year = w.fiscal_year - 1
            then {{ percent('w.amount - w.prior_year_amount', 'w.prior_year_amount') }}
        end as growth_rate_pct

    from with_prior as w
    left join units as u on u.unit_code = w.unit_code
    left join measures as m on m.measure_code = w.measure_code
)

select * from final
