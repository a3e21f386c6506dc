with

source as (
    select * from {{ ref('ref_template_columns') }}
),

renamed as (
    select
        ---------- ids
        trim(template_version) as template_version,
        trim(table_code) as table_code,
        trim(column_name) as column_name,

        ---------- printed header
        nullif(trim(column_no), '') as column_no,
        trim(header_zh) as header_zh,
        nullif(trim(header_variants_zh), '') as header_variants_zh,

        ---------- placement
        nullif(trim(side), '') as side

    from source
)

select * from renamed
