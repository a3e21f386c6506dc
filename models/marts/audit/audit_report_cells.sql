-- Every amount cell of the nine published marts, unpivoted back to one long table and labelled with the
-- template row it came from. The reconciliation rules read this, so they check what users see
-- (the marts), not the intermediate cells the marts were built from.
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

function_subjects as (
    select * from {{ ref('stg_function_subjects') }}
),

economic_subjects as (
    select * from {{ ref('stg_economic_subjects') }}
),

template_columns as (
    select * from {{ ref('stg_template_columns') }}
),

unpivoted as (
{%- for mart in marts %}
    select
        '{{ mart[-2:] }}' as table_code,
        fiscal_year,
        unit_code,
        line_no,
        {{ 'side' if mart in ('gongkai_01', 'gongkai_04') else 'cast(null as varchar)' }} as side,
        column_name,
        cast(amount as decimal(18, 2)) as amount
    from (
        unpivot {{ mart }}
        on columns(lambda c: c not in ('fiscal_year', 'unit_code', 'side', 'line_no', 'subject_code', 'item_name', 'cost_type'))
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
        r.template_version,
        u.table_code,
        u.side,
        u.line_no,
        r.item_name,

        ---------- what the row shows
        r.row_key,
        r.row_group,
        r.subject_dimension,
        r.subject_code,
        coalesce(fs.level_no, es.level_no) as subject_level,

        ---------- the cell
        u.column_name,
        u.amount

    from unpivoted as u
    inner join report_rows as r
        on r.unit_code = u.unit_code
        and r.fiscal_year = u.fiscal_year
        and r.table_code = u.table_code
        and r.line_no = u.line_no
        and r.side is not distinct from u.side
    -- only printed cells: a two-sided table prints each column on one side
    inner join template_columns as tc
        on tc.template_version = r.template_version
        and tc.table_code = u.table_code
        and tc.column_name = u.column_name
        and (tc.side is null or tc.side is not distinct from u.side)
    left join function_subjects as fs
        on r.subject_dimension = 'function' and fs.subject_code = r.subject_code
    left join economic_subjects as es
        on r.subject_dimension = 'economic' and es.econ_code = r.subject_code
)

select * from labelled
