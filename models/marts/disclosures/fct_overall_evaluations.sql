-- 单位整体支出绩效自评 per unit-year: units covered and funds (情况说明 十三 (二) 单位整体支出自评结果).

with

evaluations as (
    select * from {{ ref('stg_overall_evaluations') }}
),

final as (
    select
        ---------- keys
        unit_code,
        fiscal_year,

        ---------- the self-evaluation
        units_evaluated,
        amount

    from evaluations
)

select * from final
