with

source as (
    select * from {{ ref('ref_performance_indicators') }}
),

renamed as (
    select
        ---------- keys
        trim(project_code) as project_code,
        fiscal_year,
        indicator_no,

        ---------- indicator
        trim(level1) as level1,
        trim(level2) as level2,
        trim(indicator_name) as indicator_name,

        ---------- 年初目标值 / 实际完成值 as printed
        trim(target_value) as target_value,
        trim(actual_value) as actual_value

    from source
)

select * from renamed
