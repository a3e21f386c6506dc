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

department_years as (
    select distinct department_code, fiscal_year from members
),

department_cells as (
    select
        c.unit_code as department_code, c.fiscal_year, c.table_code, c.side, c.row_key, c.subject_code,
        c.column_name,
        sum(c.amount) as amount
    from cells as c
    inner join department_years as d
        on d.department_code = c.unit_code
        and d.fiscal_year = c.fiscal_year
    group by all
),

member_cells as (
    select
        m.department_code, c.fiscal_year, c.table_code, c.side, c.row_key, c.subject_code, c.column_name,
        sum(c.amount) as amount
    from cells as c
    inner join members as m
        on m.unit_code = c.unit_code
        and m.fiscal_year = c.fiscal_year
    group by all
),

failing as (
    select
        coalesce(d.department_code, u.department_code) as department_code,
        coalesce(d.fiscal_year, u.fiscal_year) as fiscal_year,
        coalesce(d.table_code, u.table_code) as table_code,
        coalesce(d.side, u.side) as side,
        coalesce(d.row_key, u.row_key) as row_key,
        coalesce(d.subject_code, u.subject_code) as subject_code,
        coalesce(d.column_name, u.column_name) as column_name,
        coalesce(d.amount, 0) as actual_amount,
        coalesce(u.amount, 0) as expected_amount
    from department_cells as d
    full outer join member_cells as u
        on u.department_code = d.department_code
        and u.fiscal_year = d.fiscal_year
        and u.table_code = d.table_code
        and u.side is not distinct from d.side
        and u.row_key = d.row_key
        and u.subject_code is not distinct from d.subject_code
        and u.column_name = d.column_name
    where abs(coalesce(d.amount, 0) - coalesce(u.amount, 0)) > {{ var('reconciliation_tolerance', 0) }}
),

-- printed position of the failing department cells and the members summed, for the (few) failures only
described as (
    select
        f.*,
        (select min(c.line_no) from cells as c
            where c.unit_code = f.department_code and c.fiscal_year = f.fiscal_year
                and c.table_code = f.table_code and c.side is not distinct from f.side
                and c.row_key = f.row_key and c.subject_code is not distinct from f.subject_code
                and c.column_name = f.column_name) as line_no,
        (select min(c.item_name) from cells as c
            where c.unit_code = f.department_code and c.fiscal_year = f.fiscal_year
                and c.table_code = f.table_code and c.side is not distinct from f.side
                and c.row_key = f.row_key and c.subject_code is not distinct from f.subject_code
                and c.column_name = f.column_name) as item_name,
        (select string_agg(m.unit_code, ', ' order by m.unit_code) from members as m
            where m.department_code = f.department_code and m.fiscal_year = f.fiscal_year) as member_units
    from failing as f
),

failures as (
    select
        r.rule_id,
        r.severity,
        r.message_zh,
        d.department_code as unit_code,
        d.fiscal_year,
        d.table_code,
        d.side,
        d.line_no,
        d.item_name,
        d.row_key,
        d.subject_code,
        d.column_name,
        d.member_units,
        cast(d.actual_amount as decimal(18, 2)) as actual_amount,
        cast(d.expected_amount as decimal(18, 2)) as expected_amount,
        cast(d.actual_amount - d.expected_amount as decimal(18, 2)) as difference
    from described as d
    cross join rules as r
)

select * from failures
order by unit_code, fiscal_year, table_code, line_no, column_name

{% endtest %}
