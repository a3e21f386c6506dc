with

source as (
    select * from {{ ref('ref_template_filters') }}
),

renamed as (
    select
        ---------- ids
        trim(template_version) as template_version,
        trim(table_code) as table_code,
        trim(applies_to) as applies_to,
        trim(target) as target,
        filter_no,

        ---------- conditions on the leaf facts (null = any value)
        nullif(trim(measure), '') as measure,
        nullif(trim(fund), '') as fund,
        nullif(trim(source_code), '') as source_code,
        nullif(trim(expenditure_type), '') as expenditure_type,
        nullif(trim(balance_kind), '') as balance_kind,
        nullif(trim(cost_type), '') as cost_type,
        nullif(trim(sangong_item), '') as sangong_item,
        nullif(trim(phase), '') as phase

    from source
)

select * from renamed
