with

source as (
    select * from {{ ref('ref_function_subjects') }}
),

renamed as (
    select
        ---------- ids
        trim(subject_code) as subject_code,
        nullif(trim(parent_code), '') as parent_code,

        ---------- text
        trim(subject_name) as subject_name,
        nullif(trim(description_zh), '') as description_zh,

        ---------- hierarchy
        trim(subject_level) as subject_level,
        case trim(subject_level) when '类' then 1 when '款' then 2 when '项' then 3 end as level_no

    from source
)

select * from renamed
