with

source as (
    select * from {{ ref('ref_report_tables') }}
),

renamed as (
    select
        ---------- ids
        trim(template_version) as template_version,
        trim(table_code) as table_code,

        ---------- printed text
        trim(printed_table_no) as printed_table_no,
        -- the table's place in the printed document: its printed number (公开01表 -> 1, 表7 -> 7)
        cast(regexp_extract(printed_table_no, '(\d+)', 1) as integer) as print_order,
        trim(title) as title,
        nullif(trim(note_zh), '') as note_zh,
        nullif(trim(empty_statement_zh), '') as empty_statement_zh,

        ---------- layout
        coalesce(has_line_numbers, false) as has_line_numbers,
        trim(orientation) as orientation,
        nullif(trim(code_header_zh), '') as code_header_zh,
        nullif(trim(code_levels_zh), '') as code_levels_zh,
        trim(code_columns) as code_columns,
        trim(fit) as fit,
        nullif(trim(column_groups), '') as column_groups

    from source
)

select * from renamed
