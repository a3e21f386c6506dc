with

source as (
    select * from {{ ref('amt_reported_totals') }}
),

renamed as (
    select
        ---------- keys
        trim(unit_code) as unit_code,
        fiscal_year,
        trim(measure_code) as measure_code,

        ---------- provenance
        trim(source_note) as source_note,

        ---------- amounts (万元)
        {{ money('amount') }} as amount

    from source
)

select * from renamed
