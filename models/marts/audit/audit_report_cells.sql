-- Every non-zero amount cell of the nine published marts, unpivoted back to one long table and labelled with
-- the template row it came from. The reconciliation rules read this, so they check what users see (the
-- marts), not the intermediate cells the marts were built from. Cells printed as 0.00 are left out: to every
-- rule a missing cell is 0, and three quarters of all printed cells are zeros (at scale they dominated the
-- rules' time). Where a failure must name a zero cell, the rules look it up with printed_cells().
{%- set marts = ['gongkai_01', 'gongkai_02', 'gongkai_03', 'gongkai_04', 'gongkai_05',
                 'gongkai_06', 'gongkai_07', 'gongkai_08', 'gongkai_09'] %}

with

{% for mart in marts -%}
{{ mart }} as (
    select * from {{ ref(mart) }}
    where {{ in_build_scope() }}
),

{% endfor -%}

report_rows as (
    select * from {{ ref('int_report_rows') }}
    where {{ in_build_scope() }}
),

template_columns as (
    select * from {{ ref('stg_template_columns') }}
),

-- each mart row is labelled from its report row first (one join per mart, on that table's rows only), then
-- unpivoted: the join sees rows, not cells (a row carries several amount columns)
unpivoted as (
{%- for mart in marts %}
    {%- set two_sided = mart in ('gongkai_01', 'gongkai_04') %}
    select
        '{{ mart[-2:] }}' as table_code,
        fiscal_year, unit_code, line_no, side, template_version, item_name, row_key, row_group,
        subject_dimension, subject_code, subject_level,
        column_name,
        cast(amount as decimal(18, 2)) as amount
    from (
        unpivot (
            select
                m.*,
                {{ '' if two_sided else 'cast(null as varchar) as side,' }}
                r.template_version, r.item_name, r.row_key, r.row_group, r.subject_dimension, r.subject_code,
                r.subject_level
            from (
                select columns(lambda c: c not in ('subject_code', 'item_name', 'cost_type')) from {{ mart }}
            ) as m
            inner join report_rows as r
                on r.table_code = '{{ mart[-2:] }}'
                and r.unit_code = m.unit_code
                and r.fiscal_year = m.fiscal_year
                and r.line_no = m.line_no
                and {{ 'r.side is not distinct from m.side' if two_sided else 'r.side is null' }}
        )
        on columns(lambda c: c not in ('fiscal_year', 'unit_code', 'side', 'line_no', 'template_version',
            'item_name', 'row_key', 'row_group', 'subject_dimension', 'subject_code', 'subject_level'))
        into name column_name value amount
    )
    {{- '\n    union all' if not loop.last }}
{%- endfor %}
),

labelled as (
    select
        ---------- where the cell is printed
        u.fiscal_year,
        u.unit_code,
        u.template_version,
        u.table_code,
        u.side,
        u.line_no,
        u.item_name,

        ---------- what the row shows
        u.row_key,
        u.row_group,
        u.subject_dimension,
        u.subject_code,
        u.subject_level,

        ---------- the cell
        u.column_name,
        u.amount

    from unpivoted as u
    -- only printed cells: a two-sided table prints each column on one side
    inner join template_columns as tc
        on tc.template_version = u.template_version
        and tc.table_code = u.table_code
        and tc.column_name = u.column_name
        and (tc.side is null or tc.side is not distinct from u.side)
    where u.amount <> 0
)

select * from labelled
