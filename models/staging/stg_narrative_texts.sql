with

source as (
    select * from {{ ref('ref_narrative_texts') }}
),

renamed as (
    select
        ---------- keys
        trim(unit_code) as unit_code,
        fiscal_year,
        trim(section_code) as section_code,

        ---------- text
        trim(text_zh) as text_zh

    from source
)

select * from renamed
