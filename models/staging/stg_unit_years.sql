with

source as (
    select * from {{ ref('ref_unit_years') }}
),

renamed as (
    select
        ---------- ids
        trim(unit_code) as unit_code,
        fiscal_year,
        trim(template_version) as template_version,

        ---------- provenance
        trim(report_kind) as report_kind,
        nullif(trim(source_document), '') as source_document,
        trim(data_origin) as data_origin

    from source
)

select * from renamed
