{% set ctes -%}
with

shipped as (
    select *, 'seeds/reference/ref_function_subjects.csv' as source_document, 0 as precedence
    from {{ ref('ref_function_subjects') }}
),

imported as (
    -- codes an imported report prints that the shipped chart lacks, with their printed names (bulk path)
    select *, 1 as precedence from {{ source('bulk', 'ref_function_subjects') }}
)
{%- endset -%}
{{ ctes }},


source as (
    -- one row per code: the shipped chart wins; among imports, the first document by name
    select * from ({{ union_all_by_name(['select * from shipped', 'select * from imported'], ctes) }})
    qualify row_number() over (partition by trim(subject_code) order by precedence, source_document) = 1
),

renamed as (
    select
        ---------- ids
        trim(subject_code) as subject_code,
        nullif(trim(parent_code), '') as parent_code,

        ---------- text
        trim(subject_name) as subject_name,
        nullif(trim(description_zh), '') as description_zh,
        source_document as chart_source,
        -- why the code is in the chart: the documents the shipped row names, or the importing report
        coalesce(nullif(trim(source), ''), source_document) as code_source,

        ---------- hierarchy
        trim(subject_level) as subject_level,
        case trim(subject_level) when '类' then 1 when '款' then 2 when '项' then 3 end as level_no

    from source
)

select * from renamed
