-- 政府采购支出 by category per unit-year (情况说明 十一); the total is the sum of the categories.

with

procurement as (
    select * from {{ ref('stg_procurement') }}
),

final as (
    select
        ---------- unit-year
        unit_code,
        fiscal_year,

        ---------- category
        category_code,
        category_name,
        sort_order,

        ---------- amounts (万元)
        amount,
        cast(sum(amount) over (partition by unit_code, fiscal_year) as decimal(18, 2)) as total_amount

    from procurement
)

select * from final
