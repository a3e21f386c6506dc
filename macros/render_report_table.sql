{#- The one mechanism behind all nine printed tables (gongkai_01 … gongkai_09).

    Rows come from int_report_rows (template rows, subject lists expanded), cells from int_report_cells
    (positioned by int_template_cells). An imported report is printed as published: where its print has a
    figure, the mart shows that figure (int_printed_report_cells), elsewhere what its leaves give, and the
    row's `derived_columns` names the columns shown from the leaves with a non-zero amount (NULL otherwise,
    and always NULL for entered data).
    The mart's columns are its YAML contract: key columns are taken from the row, and every column whose
    `meta` carries `header_zh` is an amount column pivoted from the cells of that name. A blank printed
    cell is 0.00. Column order follows the YAML. -#}
{% macro render_report_table(table_code) -%}
    {%- set row_columns = {
        'fiscal_year': 'cast(r.fiscal_year as integer)',
        'unit_code': 'r.unit_code',
        'side': 'r.side',
        'line_no': 'cast(r.line_no as integer)',
        'subject_code': 'r.subject_code',
        'item_name': 'r.item_name',
        'cost_type': 'r.row_group',
        'derived_columns': 'd.derived_columns',
    } -%}
    {%- set ns = namespace(select=[], amounts=[]) -%}
    {%- for name, col in model.columns.items() -%}
        {%- if name in row_columns -%}
            {%- do ns.select.append(row_columns[name] ~ ' as ' ~ name) -%}
        {%- elif col.meta is defined and col.meta.get('header_zh') -%}
            {%- do ns.amounts.append(name) -%}
            {%- do ns.select.append("cast(coalesce(c." ~ name ~ ", 0) as decimal(18, 2)) as " ~ name) -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                "render_report_table('" ~ table_code ~ "'): column '" ~ name ~ "' of " ~ model.name
                ~ " is neither a row column " ~ (row_columns.keys() | list) ~ " nor an amount column (meta.header_zh)") }}
        {%- endif -%}
    {%- endfor -%}
    {%- if ns.amounts | length == 0 and execute -%}
        {{ exceptions.raise_compiler_error(model.name ~ ": no amount columns (meta.header_zh) in its YAML") }}
    {%- endif %}

with

report_rows as (
    select * from {{ ref('int_report_rows') }}
    where table_code = '{{ table_code }}'
        and {{ in_build_scope() }}
),

derived_cells as (
    select * from {{ ref('int_report_cells') }}
    where {{ in_build_scope() }}
),

printed_figures as (
    -- imported reports: the cells whose print has a figure (a handful of unit-years; nothing for entered data)
    select unit_code, fiscal_year, cell_id, printed_amount as amount
    from {{ ref('int_printed_report_cells') }}
    where table_code = '{{ table_code }}' and shows_printed_figure and cell_id is not null
        and {{ in_build_scope() }}
),

imported as (
    select distinct unit_code, fiscal_year from {{ ref('int_printed_report_cells') }}
    where {{ in_build_scope() }}
),

cells as (
    select d.* from derived_cells as d
    anti join printed_figures as p
        on p.unit_code = d.unit_code and p.fiscal_year = d.fiscal_year and p.cell_id = d.cell_id
    union all
    select unit_code, fiscal_year, cell_id, amount from printed_figures
),

template_cells as (
    select * from {{ ref('int_template_cells') }}
    where table_code = '{{ table_code }}'
),

-- an imported report's columns shown from its leaves: a non-zero leaf sum where the print has no figure
derived_from_leaves as (
    select
        d.unit_code, d.fiscal_year, tc.row_order, tc.subject_code,
        {{ ordered_string_agg('tc.column_name', ', ', 'tc.column_name') }} as derived_columns
    from derived_cells as d
    inner join imported as i
        on i.unit_code = d.unit_code and i.fiscal_year = d.fiscal_year
    inner join template_cells as tc
        on tc.cell_id = d.cell_id
    anti join printed_figures as p
        on p.unit_code = d.unit_code and p.fiscal_year = d.fiscal_year and p.cell_id = d.cell_id
    where d.amount <> 0
    group by all
),

-- pivoted per printed row before the join: at most one cell row per report row, so no group by over
-- the (wide) row columns
report_cells as (
    select
        c.unit_code, c.fiscal_year, tc.row_order, tc.subject_code,
        {%- for name in ns.amounts %}
        sum(case when tc.column_name = '{{ name }}' then c.amount end) as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from cells as c
    inner join template_cells as tc
        on tc.cell_id = c.cell_id
    group by all
),

pivoted as (
    select
        {{ ns.select | join(',\n        ') }}
    from report_rows as r
    left join report_cells as c
        on c.unit_code = r.unit_code
        and c.fiscal_year = r.fiscal_year
        and c.row_order = r.row_order
        and c.subject_code is not distinct from r.subject_code
    left join derived_from_leaves as d
        on d.unit_code = r.unit_code
        and d.fiscal_year = r.fiscal_year
        and d.row_order = r.row_order
        and d.subject_code is not distinct from r.subject_code
)

-- no order by: row order is not kept in storage (preserve_insertion_order: false, incremental appends);
-- readers order by fiscal_year, unit_code, side desc, line_no
select * from pivoted
{%- endmacro %}
