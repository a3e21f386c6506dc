-- 单位年度, one row per unit and fiscal year it published: template version and provenance.

with

unit_years as (
    select * from {{ ref('stg_unit_years') }}
),

final as (
    select
        ---------- ids
        unit_code,
        fiscal_year,

        ---------- layout
        template_version,

        ---------- provenance
        report_kind,
        source_document,
        data_origin,

        ---------- how much is known, and the unit its leaf facts were entered in (万元, or 元: totals summed
        ---------- in 元 and each printed cell rounded to 万元 on its own)
        detail_level,
        amount_unit

    from unit_years
)

select * from final
