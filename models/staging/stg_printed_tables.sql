with

source as (
    -- published reports imported by ./juesuan import: one row per table as printed (bulk path)
    select * from {{ source('bulk', 'imp_printed_tables') }}
),

renamed as (
    select
        ---------- keys
        trim(unit_code) as unit_code,
        fiscal_year,
        trim(table_code) as table_code,

        ---------- the table as printed
        trim(layout) as template_version,
        trim(table_no) as table_no,
        nullif(trim(printed_table_no), '') as printed_table_no,
        trim(printed_title) as printed_title,
        heading_year,
        -- the unit the heading names (单位：…), and the unit the cover names
        nullif(trim(heading_unit), '') as heading_unit,
        nullif(trim(cover_unit), '') as cover_unit,
        nullif(trim(empty_statement), '') as empty_statement,
        figures,

        ---------- where it stood
        trim(source_document) as source_document,
        first_page,
        last_page

    from source
)

select * from renamed
