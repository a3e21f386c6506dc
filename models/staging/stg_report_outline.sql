with

source as (
    select * from {{ ref('ref_report_outline') }}
),

renamed as (
    select
        ---------- ids
        trim(template_version) as template_version,
        item_order,

        ---------- printed heading
        trim(level) as level,
        nullif(trim(number_zh), '') as number_zh,
        trim(title_zh) as title_zh,
        coalesce(nullif(trim(toc_title_zh), ''), trim(title_zh)) as toc_title_zh,

        ---------- what fills it
        trim(content_kind) as content_kind,
        nullif(trim(content_key), '') as content_key,
        chart_no,
        nullif(trim(placeholder_zh), '') as placeholder_zh

    from source
)

select * from renamed
