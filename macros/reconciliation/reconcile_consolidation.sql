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

-- not materialized: DuckDB 2.0.1 returned member sums ×100 when this CTE, read three times, was
-- materialized (seen at 1,000 synthetic unit-years; the un-materialized plan is correct)
members as not materialized (
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
        min(c.line_no) as line_no,
        min(c.item_name) as item_name,
        cast(sum(c.amount) as decimal(18, 2)) as amount
    from cells as c
    inner join department_years as d
        on d.department_code = c.unit_code
        and d.fiscal_year = c.fiscal_year
    group by all
),

member_cells as (
    select
        m.department_code, c.fiscal_year, c.table_code, c.side, c.row_key, c.subject_code, c.column_name,
        cast(sum(c.amount) as decimal(18, 2)) as amount
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
        d.line_no,
        d.item_name,
        -- typed zero: DuckDB 2.0.1 mis-scaled coalesce(decimal, 0) after this full outer join (×100)
        coalesce(d.amount, cast(0 as decimal(18, 2))) as actual_amount,
        coalesce(u.amount, cast(0 as decimal(18, 2))) as expected_amount
    from department_cells as d
    full outer join member_cells as u
        on u.department_code = d.department_code
        and u.fiscal_year = d.fiscal_year
        and u.table_code = d.table_code
        and u.side is not distinct from d.side
        and u.row_key = d.row_key
        and u.subject_code is not distinct from d.subject_code
        and u.column_name = d.column_name
    where abs(coalesce(d.amount, cast(0 as decimal(18, 2))) - coalesce(u.amount, cast(0 as decimal(18, 2))))
        > {{ var('reconciliation_tolerance', 0) }}
),

member_lists as (
    select department_code, fiscal_year, string_agg(unit_code, ', ' order by unit_code) as member_units
    from members
    group by all
),

-- a department cell printed as 0.00 is not in audit_report_cells: its 行次 and name come from the failing
-- departments' report rows (a row the department does not print at all keeps them empty)
failing_units as (
    select distinct department_code as unit_code, fiscal_year from failing
),

department_rows as (
    select unit_code as department_code, fiscal_year, table_code, side, row_key, subject_code,
        min(line_no) as line_no, min(item_name) as item_name
    from ({{ report_rows_of('failing_units') }})
    group by all
),

described as (
    select
        f.* replace (coalesce(f.line_no, r.line_no) as line_no, coalesce(f.item_name, r.item_name) as item_name),
        l.member_units
    from failing as f
    left join member_lists as l
        on l.department_code = f.department_code
        and l.fiscal_year = f.fiscal_year
    left join department_rows as r
        on r.department_code = f.department_code
        and r.fiscal_year = f.fiscal_year
        and r.table_code = f.table_code
        and r.side is not distinct from f.side
        and r.row_key = f.row_key
        and r.subject_code is not distinct from f.subject_code
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
        {{ failure_amounts('d') }}
    from described as d
    cross join rules as r
)

select * from failures
order by unit_code, fiscal_year, table_code, line_no, column_name

{% endtest %}
