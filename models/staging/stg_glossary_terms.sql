with

source as (
    select * from {{ ref('ref_glossary_terms') }}
),

renamed as (
    select
        ---------- ids
        trim(template_version) as template_version,
        entry_order,

        ---------- the entry
        trim(number_style) as number_style,
        trim(entry_kind) as entry_kind,
        nullif(trim(term_zh), '') as term_zh,
        nullif(trim(definition_zh), '') as definition_zh

    from source
)

select * from renamed
