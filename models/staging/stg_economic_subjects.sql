{% set ctes -%}
with

shipped as (
    select *, 'seeds/reference/ref_economic_subjects.csv' as source_document, 0 as precedence
    from {{ ref('ref_economic_subjects') }}
),

imported as (
    -- economic 款 an imported report prints that the shipped chart lacks, with their printed names (bulk path)
    select *, 1 as precedence from {{ source('bulk', 'ref_economic_subjects') }}
)
{%- endset -%}
{{ ctes }},


source as (
    -- one row per code: the shipped chart wins; among imports, the first document by name
    select * from ({{ union_all_by_name(['select * from shipped', 'select * from imported'], ctes) }})
    qualify row_number() over (partition by trim(econ_code) order by precedence, source_document) = 1
),

renamed as (
    select
        ---------- ids
        trim(econ_code) as econ_code,
        nullif(trim(parent_code), '') as parent_code,

        ---------- text
        trim(econ_name) as econ_name,
        source_document as chart_source,
        -- why the code is in the chart: the documents the shipped row names, or the importing report
        coalesce(nullif(trim(source), ''), source_document) as code_source,

        ---------- hierarchy and cost type
        trim(econ_level) as econ_level,
        case trim(econ_level) when '类' then 1 when '款' then 2 end as level_no,
        trim(cost_type) as cost_type

    from source
)

select * from renamed
