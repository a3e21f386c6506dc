with

source as (
    select * from {{ ref('amt_sangong') }}
),

renamed as (
    select
        ---------- keys
        trim(unit_code) as unit_code,
        fiscal_year,
        trim(phase) as phase,

        ---------- dimensions
        trim(item_code) as item_code,

        ---------- amounts (万元)
        {{ money('amount') }} as amount

    from source
)

select * from renamed
