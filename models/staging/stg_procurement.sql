with

source as (
    select * from {{ ref('amt_procurement') }}
),

categories as (
    select * from {{ ref('ref_procurement_categories') }}
),

renamed as (
    select
        ---------- keys
        trim(source.unit_code) as unit_code,
        source.fiscal_year,

        ---------- category
        trim(source.category_code) as category_code,
        trim(categories.category_name) as category_name,
        categories.sort_order,

        ---------- amounts (万元)
        {{ money('source.amount') }} as amount

    from source
    left join categories on trim(categories.category_code) = trim(source.category_code)
)

select * from renamed
