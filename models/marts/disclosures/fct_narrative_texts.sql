-- Texts of the 情况说明 that a person wrote, keyed by unit, year and section, for generated reports.

with

texts as (
    select * from {{ ref('stg_narrative_texts') }}
),

final as (
    select
        ---------- keys
        unit_code,
        fiscal_year,
        section_code,

        ---------- text
        text_zh

    from texts
)

select * from final
