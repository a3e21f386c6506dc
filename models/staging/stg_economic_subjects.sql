with

source as (
    select * from {{ ref('ref_economic_subjects') }}
),

renamed as (
    select
        ---------- ids
        trim(econ_code) as econ_code,
        nullif(trim(parent_code), '') as parent_code,

        ---------- text
        trim(econ_name) as econ_name,

        ---------- hierarchy and cost type
        trim(econ_level) as econ_level,
        case trim(econ_level) when '类' then 1 when '款' then 2 end as level_no,
        trim(cost_type) as cost_type

    from source
)

select * from renamed
