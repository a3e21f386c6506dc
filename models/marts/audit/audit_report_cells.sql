-- Every non-zero amount cell of the nine published marts, unpivoted back to one long table and labelled with
-- the printed row it sits on. The reconciliation rules read this, so they check what users see (the marts),
-- not the intermediate cells the marts were built from. Cells printed as 0.00 are left out: to every rule a
-- missing cell is 0, and three quarters of all printed cells are zeros (at scale they dominated the rules'
-- time). Where a failure must name a zero cell, the rules look it up with printed_cells().
{%- set marts = ['gongkai_01', 'gongkai_02', 'gongkai_03', 'gongkai_04', 'gongkai_05',
                 'gongkai_06', 'gongkai_07', 'gongkai_08', 'gongkai_09'] %}

with

{% for mart in marts -%}
{{ mart }} as (
    select * from {{ ref(mart) }}
    where {{ in_build_scope() }}
),

{% endfor -%}

unit_years as (
    select * from {{ ref('stg_unit_years') }}
    where detail_level = 'full'
        and {{ in_build_scope() }}
),

template_rows as (
    select * from {{ ref('int_template_printed_rows') }}
    where not placed_by_list
),

list_rows as (
    select * from {{ ref('int_report_list_rows') }}
    where {{ in_build_scope() }}
),

template_columns as (
    select * from {{ ref('stg_template_columns') }}
),

-- each mart unpivoted on its amount columns, zeros dropped before any join: the labels are joined to the
-- non-zero cells only
unpivoted as (
{%- for mart in marts %}
    {%- set two_sided = mart in ('gongkai_01', 'gongkai_04') %}
    select
        '{{ mart[-2:] }}' as table_code,
        fiscal_year, unit_code, side, line_no,
        column_name,
        cast(amount as decimal(18, 2)) as amount
    from (
        unpivot (
            select
                {{ '' if two_sided else 'cast(null as varchar) as side,' }}
                columns(lambda c: c not in ('subject_code', 'item_name', 'cost_type'))
            from {{ mart }}
        )
        on columns(lambda c: c not in ('fiscal_year', 'unit_code', 'side', 'line_no'))
        into name column_name value amount
    )
    where amount <> 0
    {{- '\n    union all' if not loop.last }}
{%- endfor %}
),

-- a cell's row: the row a list placed at that 行次 in its unit-year, else the template's row printed there
labelled as (
    select
        ---------- where the cell is printed
        u.fiscal_year,
        u.unit_code,
        uy.template_version,
        u.table_code,
        u.side,
        u.line_no,
        coalesce(l.item_name, r.item_name) as item_name,

        ---------- what the row shows
        coalesce(l.row_key, r.row_key) as row_key,
        coalesce(l.row_group, r.row_group) as row_group,
        coalesce(l.subject_dimension, r.subject_dimension) as subject_dimension,
        coalesce(l.subject_code, r.subject_code) as subject_code,
        coalesce(l.subject_level, r.subject_level) as subject_level,

        ---------- the cell
        u.column_name,
        u.amount

    from unpivoted as u
    inner join unit_years as uy
        on uy.unit_code = u.unit_code
        and uy.fiscal_year = u.fiscal_year
    left join list_rows as l
        on l.unit_code = u.unit_code
        and l.fiscal_year = u.fiscal_year
        and l.table_code = u.table_code
        and l.line_no = u.line_no
        and l.side is not distinct from u.side
    left join template_rows as r
        on r.template_version = uy.template_version
        and r.table_code = u.table_code
        and r.line_no = u.line_no
        and r.side is not distinct from u.side
    -- only printed cells: a two-sided table prints each column on one side
    inner join template_columns as tc
        on tc.template_version = uy.template_version
        and tc.table_code = u.table_code
        and tc.column_name = u.column_name
        and (tc.side is null or tc.side is not distinct from u.side)
)

select * from labelled
