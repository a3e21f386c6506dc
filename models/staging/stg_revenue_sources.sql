with

source as (
    select * from {{ ref('ref_revenue_sources') }}
),

renamed as (
    select
        ---------- ids
        trim(source_code) as source_code,
        trim(fund_code) as fund_code,

        ---------- text
        trim(source_name) as source_name,

        ---------- ordering
        sort_order

    from source
)

select * from renamed
