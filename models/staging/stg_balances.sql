with

source as (
    -- the seed, and the bulk load path's file of the same name (imported reports' 结转结余)
    {{ union_all_by_name(["select * from " ~ ref('amt_balances'), "select * from " ~ source('bulk', 'amt_balances')]) }}
),

renamed as (
    select
        ---------- keys
        trim(unit_code) as unit_code,
        fiscal_year,
        'FINAL' as phase,

        ---------- dimensions
        trim(balance_kind) as balance_kind,
        trim(fund_code) as fund_code,
        nullif(trim(subject_code), '') as subject_code,

        ---------- amounts (万元)
        {{ money('amount') }} as amount

    from source
)

select * from renamed
