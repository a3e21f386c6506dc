-- The printed cells of imported reports in the shape the reconciliation terms select from (table, side, row
-- key, row group, subject and its level, column), so that the registry's rules run on the figures as printed,
-- not on what the leaves add up to. Each cell keeps its state (number / blank / dash / unreadable), where it
-- stood and a label an auditor can find on the page. A blank or a dash is 0 to every sum but is not a printed
-- term (it carries no rounding); an unreadable cell has no amount and makes every check it is in
-- insufficient_data.
with

printed as (
    select * from {{ ref('int_printed_report_cells') }}
),

template_rows as (
    select * from {{ ref('stg_template_rows') }}
),

printed_tables as (
    select * from {{ ref('stg_printed_tables') }}
),

-- each subject of both classifications with its level (its pair with itself in int_subject_ancestors)
subject_levels as (
    select subject_dimension, descendant_code as subject_code, ancestor_level_no as level_no
    from {{ ref('int_subject_ancestors') }}
    where descendant_code = ancestor_code
),

placed as (
    select
        ---------- the cell, as the terms select it
        p.template_version,
        p.unit_code,
        p.fiscal_year,
        p.table_code,
        p.side,
        -- the printed row's position in its table: rules that hold row by row (合计栏 = Σ 组成栏) group on it
        p.row_order as line_no,
        p.row_key,
        tr.row_group,
        p.subject_dimension,
        p.subject_code,
        sl.level_no as subject_level,
        p.column_name,

        ---------- the cell as printed
        coalesce(pt.printed_table_no, p.table_no) as table_no,
        p.line_no as printed_line_no,
        p.row_label as item_name,
        p.column_header,
        p.cell_state,
        case p.cell_state
            when 'number' then p.printed_amount
            when 'unreadable' then null
            else cast(0 as decimal(18, 2))
        end as amount,
        p.raw_text,

        ---------- where it stood
        p.source_document,
        p.page,
        p.line

    from printed as p
    left join template_rows as tr
        on tr.template_version = p.template_version
        and tr.table_code = p.table_code
        and tr.row_order = p.template_row_order
    left join printed_tables as pt
        on pt.unit_code = p.unit_code
        and pt.fiscal_year = p.fiscal_year
        and pt.table_code = p.table_code
    left join subject_levels as sl
        on sl.subject_dimension = p.subject_dimension
        and sl.subject_code = p.subject_code
),

labelled as (
    select
        *,
        -- 表3 第10页 208 社会保障和就业支出 [基本支出]
        table_no || ' 第' || page || '页 '
            || case when subject_code is not null and left(item_name, length(subject_code)) <> subject_code
                then subject_code || ' ' else '' end
            || case when item_name <> '' then item_name || ' ' else '' end || '[' || column_header || ']' as cell_name
    from placed
),

valued as (
    select
        *,
        -- 表3 第10页 208 社会保障和就业支出 [基本支出] 69.32
        cell_name || ' ' || case cell_state
                when 'number' then cast(amount as string)
                when 'unreadable' then '未能识读'
                when 'dash' then '-'
                else '空白'
            end as cell_label
    from labelled
)

select * from valued
