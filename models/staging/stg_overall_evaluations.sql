with

source as (
    select * from {{ ref('amt_overall_evaluations') }}
),

renamed as (
    select
        ---------- keys
        trim(unit_code) as unit_code,
        fiscal_year,

        ---------- the self-evaluation
        units_evaluated,
        {{ money('amount') }} as amount

    from source
)

select * from renamed
