-- Every non-zero amount cell of the nine published marts, unpivoted back to one long table and labelled with
-- the printed row it sits on (by key: row_key, group, subject; not by its printed name, which a failure looks
-- up for its own cells: 51M names took 7 s of this model's writes at 300k unit-years). The reconciliation
-- rules read this, so they check what users see (the marts), not the intermediate cells the marts were built
-- from. Cells printed as 0.00 are left out: to every rule a
-- missing cell is 0, and three quarters of all printed cells are zeros (at scale they dominated the rules'
-- time). Where a failure must name a zero cell, the rules look it up with printed_cells().
--
-- Each mart's rows are labelled before the unpivot, by joining the rows its subject lists placed in the same
-- table (int_report_list_rows, per unit-year) and the template's own rows. A mart row is probed once, not
-- once per amount column, and the hash table is built on the list rows of one table: the planner
-- underestimates an unpivot's rows, and at 300k unit-years it built a 12 GB hash table from the cells
-- instead (60 s of a 90 s model).
{%- set marts = ['gongkai_01', 'gongkai_02', 'gongkai_03', 'gongkai_04', 'gongkai_05',
                 'gongkai_06', 'gongkai_07', 'gongkai_08', 'gongkai_09'] %}
{%- set row_columns = ['fiscal_year', 'unit_code', 'side', 'line_no', 'subject_code', 'item_name', 'cost_type', 'derived_columns',
                       'template_version', 'table_code', 'row_key', 'row_group', 'subject_dimension',
                       'subject_level'] %}

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

-- each mart row with the printed row it is: the row a list placed at that 行次 in its unit-year, else the
-- template's row printed there
{% for mart in marts -%}
{%- set table_code = mart[-2:] %}
{%- set two_sided = mart in ('gongkai_01', 'gongkai_04') %}
{{ mart }}_rows as (
    select
        {{ star_except('m', ['subject_code', 'item_name'] + (['side'] if two_sided else [])) }},
        {{ 'm.side' if two_sided else 'cast(null as string) as side' }},
        uy.template_version,
        '{{ table_code }}' as table_code,
        coalesce(l.row_key, r.row_key) as row_key,
        coalesce(l.row_group, r.row_group) as row_group,
        coalesce(l.subject_dimension, r.subject_dimension) as subject_dimension,
        coalesce(l.subject_code, r.subject_code) as subject_code,
        coalesce(l.subject_level, r.subject_level) as subject_level
    from {{ mart }} as m
    left join (select * from list_rows where table_code = '{{ table_code }}') as l
        on l.unit_code = m.unit_code
        and l.fiscal_year = m.fiscal_year
        and l.line_no = m.line_no
        {%- if two_sided %}
        and l.side = m.side
        {%- endif %}
    inner join unit_years as uy
        on uy.unit_code = m.unit_code
        and uy.fiscal_year = m.fiscal_year
    left join (select * from template_rows where table_code = '{{ table_code }}') as r
        on r.template_version = uy.template_version
        and r.line_no = m.line_no
        {%- if two_sided %}
        and r.side = m.side
        {%- endif %}
),

{% endfor -%}

-- each labelled mart row unpivoted on its amount columns; zeros dropped
unpivoted as (
{%- for mart in marts %}
    select
        fiscal_year, unit_code, template_version, table_code, side, line_no,
        row_key, row_group, subject_dimension, subject_code, subject_level,
        column_name,
        cast(amount as decimal(18, 2)) as amount
    from (
        {{ unpivot_except(mart ~ '_rows', row_columns, 'column_name', 'amount', ref(mart)) }}
    )
    where amount <> 0
    {{- '\n    union all' if not loop.last }}
{%- endfor %}
),

-- only printed cells: a two-sided table prints each column on one side
labelled as (
    select
        ---------- where the cell is printed
        u.fiscal_year,
        u.unit_code,
        u.template_version,
        u.table_code,
        u.side,
        u.line_no,

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
    inner join template_columns as tc
        on tc.template_version = u.template_version
        and tc.table_code = u.table_code
        and tc.column_name = u.column_name
        and {{ column_prints_on_row('tc', 'u') }}
)

select * from labelled
