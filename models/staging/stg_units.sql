with

source as (
    -- the seed, and the bulk load path's file of the same name (zero rows unless var bulk_dir is set)
    {{ union_all_by_name(["select * from " ~ ref('ref_units'), "select * from " ~ source('bulk', 'ref_units')]) }}
),

renamed as (
    select
        ---------- ids
        trim(unit_code) as unit_code,
        nullif(trim(parent_unit_code), '') as parent_unit_code,

        ---------- text
        trim(unit_name) as unit_name,

        ---------- classification
        trim(unit_kind) as unit_kind,
        nullif(trim(unit_class), '') as unit_class,
        nullif(trim(admin_level), '') as admin_level,
        nullif(trim(region), '') as region

    from source
)

select * from renamed
