with

source as (
    -- published reports imported by ./juesuan import: every cell of their tables as printed (bulk path)
    select * from {{ source('bulk', 'imp_printed_cells') }}
),

renamed as (
    select
        ---------- keys
        trim(unit_code) as unit_code,
        fiscal_year,
        trim(table_code) as table_code,
        nullif(trim(side), '') as side,
        trim(row_key) as row_key,
        nullif(trim(subject_code), '') as subject_code,
        trim(column_name) as column_name,
        template_row_order,

        ---------- the row and column as printed
        trim(table_no) as table_no,
        row_order,
        trim(row_label) as row_label,
        line_no,
        nullif(trim(subject_dimension), '') as subject_dimension,
        column_no,
        trim(column_header) as column_header,

        ---------- the cell: number / blank / dash / unreadable, the figure (万元) and the text as read
        trim(cell_state) as cell_state,
        {{ money('amount') }} as printed_amount,
        raw_text,

        ---------- where it stood
        trim(source_document) as source_document,
        page,
        line

    from source
)

select * from renamed
