with

source as (
    -- the seed, and the bulk load path's file of the same name (zero rows unless var bulk_dir is set)
    {{ union_all_by_name(["select * from " ~ ref('amt_revenue'), "select * from " ~ source('bulk', 'amt_revenue')]) }}
),

renamed as (
    select
        ---------- keys
        trim(unit_code) as unit_code,
        fiscal_year,
        'FINAL' as phase,

        ---------- dimensions
        trim(subject_code) as subject_code,
        trim(source_code) as source_code,

        ---------- amounts (万元)
        {{ money('amount') }} as amount

    from source
)

select * from renamed
