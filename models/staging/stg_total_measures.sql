with

source as (
    select * from {{ ref('ref_total_measures') }}
),

renamed as (
    select
        ---------- ids
        trim(measure_code) as measure_code,

        ---------- text
        trim(measure_name_zh) as measure_name_zh,
        trim(measure_name_en) as measure_name_en,

        ---------- the printed cell that shows it
        trim(table_code) as table_code,
        trim(row_key) as row_key,
        trim(column_name) as column_name,

        ---------- ordering
        sort_order

    from source
)

select * from renamed
