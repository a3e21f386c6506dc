with

source as (
    -- the seed, and the bulk load path's file of the same name (zero rows unless var bulk_dir is set)
    {{ union_all_by_name(["select * from " ~ ref('ref_unit_memberships'), "select * from " ~ source('bulk', 'ref_unit_memberships')]) }}
),

renamed as (
    select
        ---------- ids
        trim(unit_code) as unit_code,
        trim(department_code) as department_code,

        ---------- validity (years, inclusive; an open end means "still a member")
        from_year,
        to_year

    from source
)

select * from renamed
