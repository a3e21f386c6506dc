with

source as (
    select * from {{ ref('ref_reconciliation_terms') }}
),

renamed as (
    select
        ---------- ids
        trim(template_version) as template_version,
        trim(equation_id) as equation_id,
        trim(side) as side,
        sign,

        ---------- the cells the term adds up (null = any)
        trim(table_code) as table_code,
        nullif(trim(row_key), '') as row_key,
        nullif(trim(subject_code), '') as subject_code,
        subject_level,
        nullif(trim(row_group), '') as row_group,
        nullif(trim(column_name), '') as column_name

    from source
)

select * from renamed
