with

source as (
    select * from {{ ref('ref_template_rows') }}
),

renamed as (
    select
        ---------- ids
        trim(template_version) as template_version,
        trim(table_code) as table_code,
        row_order,

        ---------- placement
        nullif(trim(side), '') as side,
        line_no,
        trim(row_key) as row_key,
        trim(row_kind) as row_kind,
        nullif(trim(row_group), '') as row_group,

        ---------- what the row shows
        nullif(trim(subject_dimension), '') as subject_dimension,
        nullif(trim(subject_code), '') as subject_code,
        coalesce(trim(item_name), '') as item_name

    from source
)

select * from renamed
