with

source as (
    -- what a narrative figure is, and the printed cell it must equal (seed ref_narrative_measures)
    select * from {{ ref('ref_narrative_measures') }}
),

renamed as (
    select
        ---------- ids
        trim(measure) as measure,
        priority,

        ---------- how the importer binds a figure to it (label and section as printed; regular expressions)
        label_pattern,
        nullif(trim(section_pattern), '') as section_pattern,

        ---------- the printed cell it must equal (row_key 'subject': the row the claim names)
        trim(table_code) as table_code,
        nullif(trim(side), '') as side,
        trim(row_key) as row_key,
        trim(column_name) as column_name,
        -- = the figure is the cell's; <= it cannot exceed it
        coalesce(nullif(trim(relation), ''), '=') as relation,
        trim(description_zh) as description_zh

    from source
)

select * from renamed
