{#- Reconciliation rule of kind `equation`: for every unit-year, evaluates each equation of the rule
    (seed ref_reconciliation_equations, terms in ref_reconciliation_terms) on the printed cells, and returns
    only the failing ones: which unit, year, equation, subject, row and column, the actual (lhs) and expected
    (rhs) amounts and their difference. Tolerance: var('reconciliation_tolerance') (尾数误差), exact by default.

    match_subject  the identity holds subject by subject (rows joined on subject_code)
    per_column     the identity holds column by column for terms that name no column
    per_row        the identity holds printed row by printed row (e.g. 合计栏 = Σ 组成栏) -#}
{% test reconcile_equations(model, rule_id) %}

with

rules as (
    select * from {{ ref('stg_reconciliation_rules') }}
    where rule_id = '{{ rule_id }}'
),

equations as (
    select * from {{ ref('stg_reconciliation_equations') }}
    where rule_id = '{{ rule_id }}'
),

terms as (
    select * from {{ ref('stg_reconciliation_terms') }}
),

cells as (
    select * from {{ model }}
),

matched as (
    select
        c.unit_code,
        c.fiscal_year,
        e.equation_id,
        case when e.match_subject then c.subject_code end as subject_key,
        case when e.per_column then c.column_name end as column_key,
        case when e.per_row then c.table_code || '/' || coalesce(c.side, '') || '/' || c.line_no end as row_key,
        t.side as term_side,
        t.sign * c.amount as amount,
        '公开' || c.table_code || '表 行' || c.line_no
            || case when c.item_name <> '' then ' ' || c.item_name else '' end
            || ' [' || c.column_name || ']' as cell_label
    from equations as e
    inner join terms as t
        on t.template_version = e.template_version
        and t.equation_id = e.equation_id
    inner join cells as c
        on c.template_version = t.template_version
        and {{ term_matches_cell('t', 'c') }}
),

sides as (
    select
        unit_code, fiscal_year, equation_id, subject_key, column_key, row_key,
        coalesce(sum(amount) filter (where term_side = 'lhs'), 0) as actual_amount,
        coalesce(sum(amount) filter (where term_side = 'rhs'), 0) as expected_amount,
        string_agg(distinct cell_label, '; ' order by cell_label) filter (where term_side = 'lhs') as actual_cells,
        string_agg(distinct cell_label, '; ' order by cell_label) filter (where term_side = 'rhs') as expected_cells
    from matched
    group by all
),

failures as (
    select
        r.rule_id,
        r.severity,
        r.message_zh,
        s.unit_code,
        s.fiscal_year,
        s.equation_id,
        e.description as equation,
        s.subject_key as subject_code,
        s.column_key as column_name,
        s.actual_cells,
        s.expected_cells,
        cast(s.actual_amount as decimal(18, 2)) as actual_amount,
        cast(s.expected_amount as decimal(18, 2)) as expected_amount,
        cast(s.actual_amount - s.expected_amount as decimal(18, 2)) as difference
    from sides as s
    inner join equations as e on e.equation_id = s.equation_id
    cross join rules as r
    where case e.relation
        when '=' then abs(s.actual_amount - s.expected_amount) > {{ var('reconciliation_tolerance', 0) }}
        when '<=' then s.actual_amount - s.expected_amount > {{ var('reconciliation_tolerance', 0) }}
    end
)

select * from failures
order by unit_code, fiscal_year, equation_id, subject_code, column_name

{% endtest %}
