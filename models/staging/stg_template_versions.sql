with

source as (
    select * from {{ ref('ref_template_versions') }}
),

renamed as (
    select
        ---------- ids
        trim(template_version) as template_version,

        ---------- text
        trim(template_name) as template_name,
        trim(publisher_scope) as publisher_scope,
        nullif(trim(description_zh), '') as description_zh,

        ---------- validity
        first_year

    from source
)

select * from renamed
