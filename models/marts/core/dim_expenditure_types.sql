-- 支出性质, one row per expenditure type (the columns of 公开03).

with

expenditure_types as (
    select * from {{ ref('stg_expenditure_types') }}
),

final as (
    select
        ---------- ids
        expenditure_type,
        expenditure_type_name,

        ---------- text
        description_zh,

        ---------- ordering
        sort_order

    from expenditure_types
)

select * from final
