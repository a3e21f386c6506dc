{#- Reconciliation rule of kind `subject_hierarchy`: in every printed table that lists subjects of the given
    classification (the tables the registry names for the rule), a parent row (类, 款) equals the sum of its child rows, column by column. Returns only the
    failing parents with unit, year, table, row, column, actual (the parent as printed), expected (Σ
    children) and the difference. A parent printed without any child row fails too (expected 0), and so do
    children whose parent is printed as 0.00 or not at all. -#}
{% test reconcile_subject_hierarchy(model, rule_id, subject_dimension) %}

with

rules as (
    select * from {{ ref('stg_reconciliation_rules') }}
    where rule_id = '{{ rule_id }}'
),

subjects as (
    {%- if subject_dimension == 'function' %}
    select subject_code, parent_code from {{ ref('stg_function_subjects') }}
    {%- else %}
    select econ_code as subject_code, parent_code from {{ ref('stg_economic_subjects') }}
    {%- endif %}
),

cells as (
    -- only the tables the registry names: 公开01/04 print 类 rows without their 款/项
    select m.*
    from (select * from {{ model }}) as m
    where m.subject_dimension = '{{ subject_dimension }}'
        and m.table_code in (select unnest(string_split(rules.table_codes, ',')) from rules)
),

parents as (
    select cells.*
    from cells
    where exists (select 1 from subjects where subjects.parent_code = cells.subject_code)
),

children as (
    select
        cells.unit_code, cells.fiscal_year, cells.table_code, cells.column_name,
        subjects.parent_code,
        sum(cells.amount) as amount
    from cells
    inner join subjects on subjects.subject_code = cells.subject_code
    where subjects.parent_code is not null
    group by all
),

failing as (
    select
        coalesce(p.unit_code, c.unit_code) as unit_code,
        coalesce(p.fiscal_year, c.fiscal_year) as fiscal_year,
        coalesce(p.table_code, c.table_code) as table_code,
        p.line_no,
        coalesce(p.subject_code, c.parent_code) as subject_code,
        p.item_name,
        coalesce(p.column_name, c.column_name) as column_name,
        coalesce(p.amount, 0) as actual_amount,
        coalesce(c.amount, 0) as expected_amount
    from parents as p
    full outer join children as c
        on c.unit_code = p.unit_code
        and c.fiscal_year = p.fiscal_year
        and c.table_code = p.table_code
        and c.column_name = p.column_name
        and c.parent_code = p.subject_code
    where abs(coalesce(p.amount, 0) - coalesce(c.amount, 0)) > {{ var('reconciliation_tolerance', 0) }}
),

-- a parent printed as 0.00 is not in audit_report_cells: its 行次 and name come from the failing unit-years'
-- report rows (a parent not printed at all keeps them empty)
parent_rows as (
    select unit_code, fiscal_year, table_code, subject_code, min(line_no) as line_no, min(item_name) as item_name
    from ({{ report_rows_of('failing') }})
    where subject_dimension = '{{ subject_dimension }}'
    group by all
),

failures as (
    select
        r.rule_id,
        r.severity,
        r.message_zh,
        f.unit_code,
        f.fiscal_year,
        f.table_code,
        coalesce(f.line_no, pr.line_no) as line_no,
        f.subject_code,
        coalesce(f.item_name, pr.item_name) as item_name,
        f.column_name,
        {{ failure_amounts('f') }}
    from failing as f
    left join parent_rows as pr
        on pr.unit_code = f.unit_code
        and pr.fiscal_year = f.fiscal_year
        and pr.table_code = f.table_code
        and pr.subject_code = f.subject_code
    cross join rules as r
)

select * from failures
order by unit_code, fiscal_year, table_code, line_no, column_name

{% endtest %}
