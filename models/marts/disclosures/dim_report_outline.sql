-- The whole printed document of each layout, item by item in order (cover, 目录, 第一部分 …, 一、…, （一）…),
-- and what fills each item. Report generators walk it; a new layout's document is rows of the seed.

with

outline as (
    select * from {{ ref('stg_report_outline') }}
),

final as (
    select
        ---------- ids
        template_version,
        item_order,

        ---------- printed heading
        level,
        number_zh,
        title_zh,
        toc_title_zh,

        ---------- what fills it
        content_kind,
        content_key,
        chart_no,
        placeholder_zh

    from outline
)

select * from final
