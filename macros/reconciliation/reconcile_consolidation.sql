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
members as {{ not_materialized() }} (
    select * from {{ ref('int_department_members') }}
),

cells as (
    {{ entered_cells(model) }}
),

-- each unit-year's part in the rule: a department's own cells are compared as printed (actual), a member's
-- cells add to its department (expected). One pass over the cells and one aggregation, no join of department
-- cells to member sums.
roles as (
    select distinct department_code, department_code as unit_code, fiscal_year, true as is_department
    from members
    union all
    select department_code, unit_code, fiscal_year, false as is_department
    from members
),

failing as (
    select
        r.department_code,
        c.fiscal_year,
        c.table_code,
        c.side,
        c.row_key,
        c.subject_code,
        c.column_name,
        -- typed zero: DuckDB 2.0.1 mis-scaled coalesce(decimal, 0) in this rule's earlier form (×100)
        coalesce(sum(c.amount) filter (where r.is_department), cast(0 as decimal(18, 2))) as actual_amount,
        coalesce(sum(c.amount) filter (where not r.is_department), cast(0 as decimal(18, 2))) as expected_amount
    from cells as c
    inner join roles as r
        on r.unit_code = c.unit_code
        and r.fiscal_year = c.fiscal_year
    group by all
    having abs(coalesce(sum(c.amount) filter (where r.is_department), cast(0 as decimal(18, 2)))
        - coalesce(sum(c.amount) filter (where not r.is_department), cast(0 as decimal(18, 2))))
        > {{ entered_tolerance('bool_or(c.rounded_cells)', 'count(*)') }}
),

member_lists as (
    select department_code, fiscal_year, {{ ordered_string_agg('unit_code', ', ', 'unit_code') }} as member_units
    from members
    group by all
),

-- a failing cell's 行次 and name come from the failing departments' report rows (a department cell printed as
-- 0.00 is not in audit_report_cells; a row the department does not print at all keeps them empty)
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
        f.*,
        r.line_no,
        r.item_name,
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
