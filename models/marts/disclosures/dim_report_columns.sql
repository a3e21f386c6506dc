-- The printed amount columns of each table per layout: 栏次, header (levels separated by a space, e.g.
-- "决算数 小计"), side, and the mart column that holds it; column_order is the printed order.

with

template_columns as (
    select * from {{ ref('stg_template_columns') }}
),

final as (
    select
        ---------- ids
        template_version,
        table_code,
        column_name,

        ---------- printed header
        column_no,
        header_zh,
        side,

        ---------- printed order
        cast(row_number() over (
            partition by template_version, table_code
            order by coalesce(try_cast(column_no as integer), 999), side desc nulls first, column_name
        ) as bigint) as column_order

    from template_columns
)

select * from final
