{#- Reconciliation rule of kind `consolidation`: every printed cell of a department's 部门决算 equals the sum
    of the same cell (table, side, row key, subject, column) of the units that are its members in that year.
    Returns only the failing cells: department, year, table, row, column, the department's amount (actual),
    the members' sum (expected), the difference, and the members summed. -#}
{% test reconcile_consolidation(model, rule_id) %}

with

rules as (
    select * from {{ ref('stg_reconciliation_rules') }}
    where rule_id = '{{ rule_id }}'
),

members as (
    select * from {{ ref('int_department_members') }}
),

cells as (
    select * from {{ model }}
),

department_cells as (
    select
        c.unit_code as department_code, c.fiscal_year, c.table_code, c.side, c.row_key, c.subject_code,
        c.column_name,
        min(c.line_no) as line_no,
        min(c.item_name) as item_name,
        sum(c.amount) as amount
    from cells as c
    where exists (select 1 from members as m where m.department_code = c.unit_code and m.fiscal_year = c.fiscal_year)
    group by all
),

member_cells as (
    select
        m.department_code, c.fiscal_year, c.table_code, c.side, c.row_key, c.subject_code, c.column_name,
        sum(c.amount) as amount,
        string_agg(distinct c.unit_code, ', ' order by c.unit_code) as member_units
    from cells as c
    inner join members as m
        on m.unit_code = c.unit_code
        and m.fiscal_year = c.fiscal_year
    group by all
),

failures as (
    select
        r.rule_id,
        r.severity,
        r.message_zh,
        coalesce(d.department_code, u.department_code) as unit_code,
        coalesce(d.fiscal_year, u.fiscal_year) as fiscal_year,
        coalesce(d.table_code, u.table_code) as table_code,
        coalesce(d.side, u.side) as side,
        d.line_no,
        d.item_name,
        coalesce(d.row_key, u.row_key) as row_key,
        coalesce(d.subject_code, u.subject_code) as subject_code,
        coalesce(d.column_name, u.column_name) as column_name,
        u.member_units,
        cast(coalesce(d.amount, 0) as decimal(18, 2)) as actual_amount,
        cast(coalesce(u.amount, 0) as decimal(18, 2)) as expected_amount,
        cast(coalesce(d.amount, 0) - coalesce(u.amount, 0) as decimal(18, 2)) as difference
    from department_cells as d
    full outer join member_cells as u
        on u.department_code = d.department_code
        and u.fiscal_year = d.fiscal_year
        and u.table_code = d.table_code
        and u.side is not distinct from d.side
        and u.row_key = d.row_key
        and u.subject_code is not distinct from d.subject_code
        and u.column_name = d.column_name
    cross join rules as r
    where abs(coalesce(d.amount, 0) - coalesce(u.amount, 0)) > {{ var('reconciliation_tolerance', 0) }}
)

select * from failures
order by unit_code, fiscal_year, table_code, line_no, column_name

{% endtest %}
