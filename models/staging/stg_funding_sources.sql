with

source as (
    select * from {{ ref('ref_funding_sources') }}
),

renamed as (
    select
        ---------- ids
        trim(fund_code) as fund_code,
        trim(fund_group) as fund_group,

        ---------- text
        trim(fund_name) as fund_name,
        trim(fund_group_name) as fund_group_name,

        ---------- ordering
        sort_order

    from source
)

select * from renamed
