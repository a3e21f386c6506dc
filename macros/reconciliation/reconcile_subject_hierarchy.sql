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

-- each subject's part in the rule (macro subject_hierarchy_roles)
roles as (
    {{ subject_hierarchy_roles(subject_dimension) }}
),

failing as (
    select
        c.unit_code,
        c.fiscal_year,
        c.table_code,
        r.parent_code as subject_code,
        c.column_name,
        coalesce(sum(c.amount) filter (where r.is_parent), 0) as actual_amount,
        coalesce(sum(c.amount) filter (where not r.is_parent), 0) as expected_amount
    from ({{ entered_cells(model) }}) as c
    inner join roles as r
        on r.subject_code = c.subject_code
    -- only the tables the registry names: 公开01/04 print 类 rows without their 款/项
    where c.subject_dimension = '{{ subject_dimension }}'
        and c.table_code in (select {{ unnest_list(split_list('rules.table_codes', ',')) }} from rules)
    group by all
    having abs(coalesce(sum(c.amount) filter (where r.is_parent), 0)
        - coalesce(sum(c.amount) filter (where not r.is_parent), 0))
        > {{ entered_tolerance('bool_or(c.rounded_cells)', 'count(*)') }}
),

-- the failing parent's 行次 and name come from the failing unit-years' report rows (a parent printed as 0.00 is
-- not in audit_report_cells; a parent not printed at all keeps them empty)
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
        pr.line_no,
        f.subject_code,
        pr.item_name,
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
