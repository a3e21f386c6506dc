with

source as (
    select * from {{ ref('amt_budget') }}
),

renamed as (
    select
        ---------- keys
        trim(unit_code) as unit_code,
        fiscal_year,
        'BUDGET' as phase,

        ---------- dimensions (年初预算 is known at the level the unit publishes it: 类, 款 or 项)
        trim(subject_code) as subject_code,
        trim(fund_code) as fund_code,
        nullif(trim(expenditure_type), '') as expenditure_type,

        ---------- amounts (万元)
        {{ money('amount') }} as amount

    from source
)

select * from renamed
