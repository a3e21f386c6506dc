with

source as (
    -- the seed, and the bulk load path's file of the same name (zero rows unless var bulk_dir is set)
    {{ union_all_by_name(["select * from " ~ ref('amt_sangong'), "select * from " ~ source('bulk', 'amt_sangong')]) }}
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
