with

source as (
    -- the seed, and the bulk load path's file of the same name (zero rows unless var bulk_dir is set)
    {{ union_all_by_name(["select * from " ~ ref('ref_unit_years'), "select * from " ~ source('bulk', 'ref_unit_years')]) }}
),

renamed as (
    select
        ---------- ids
        trim(unit_code) as unit_code,
        fiscal_year,
        nullif(trim(template_version), '') as template_version,

        ---------- provenance
        trim(report_kind) as report_kind,
        nullif(trim(source_document), '') as source_document,
        trim(data_origin) as data_origin,

        ---------- how much is known: full (the nine tables) or summary (totals only)
        coalesce(nullif(trim(detail_level), ''), 'full') as detail_level,

        ---------- the unit the leaf facts are entered in: 万元 (blank; as printed) or 元 (as the finance system
        ---------- keeps them: summed in 元, each printed cell rounded to 万元 on its own)
        coalesce(nullif(trim(amount_unit), ''), '万元') as amount_unit

    from source
)

select * from renamed
