-- The printed tables of each layout (template version): printed number, title, note, the sentence a
-- report prints when a table is empty, and the page layout (orientation, how subject codes are printed).
-- For report generators and BI.

with

report_tables as (
    select * from {{ ref('stg_report_tables') }}
),

final as (
    select
        ---------- ids
        template_version,
        table_code,

        ---------- printed text
        printed_table_no,
        print_order,
        title,
        note_zh,
        empty_statement_zh,

        ---------- layout
        has_line_numbers,
        orientation,
        code_header_zh,
        code_levels_zh,
        code_columns,
        fit,
        column_groups

    from report_tables
)

select * from final
