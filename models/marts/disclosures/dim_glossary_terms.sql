-- The 名词解释 of each layout, entry by entry in printed order, for report generators.

with

terms as (
    select * from {{ ref('stg_glossary_terms') }}
),

final as (
    select
        ---------- ids
        template_version,
        entry_order,

        ---------- the entry
        number_style,
        entry_kind,
        term_zh,
        definition_zh

    from terms
)

select * from final
