with

source as (
    select * from {{ ref('ref_expenditure_types') }}
),

renamed as (
    select
        ---------- ids
        trim(expenditure_type) as expenditure_type,

        ---------- text
        trim(expenditure_type_name) as expenditure_type_name,
        nullif(trim(description_zh), '') as description_zh,

        ---------- ordering
        sort_order

    from source
)

select * from renamed
