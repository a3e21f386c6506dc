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

        ---------- how much is known
        detail_level

    from unit_years
)

select * from final
