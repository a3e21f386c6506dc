{{ config(severity='error', store_failures=true) }}
-- R017 (registry: ref_reconciliation_rules): a project's 执行数 in its 绩效自评表 never exceeds the
-- 一般公共预算财政拨款 项目支出 that 公开05 prints for the project's subject (2060599: 487.82 ≤ 487.82).
-- Returns the failing projects with unit, year, the 05 cell, actual, expected and the difference.

with

rules as (
    select * from {{ ref('stg_reconciliation_rules') }} where rule_id = 'R017'
),

projects as (
    select * from {{ ref('fct_project_performance') }}
),

gongkai_05 as (
    select * from {{ ref('gongkai_05') }}
),

by_subject as (
    select unit_code, fiscal_year, subject_code, sum(executed_amount) as executed_amount,
        {{ ordered_string_agg('project_name', '、', 'project_code') }} as projects
    from projects
    group by all
)

select
    r.rule_id,
    r.severity,
    r.message_zh,
    p.unit_code,
    p.fiscal_year,
    p.subject_code,
    p.projects,
    '公开05表 行' || coalesce(cast(g.line_no as string), '—') || ' ' || coalesce(g.item_name, p.subject_code)
        || ' [project_expenditure]' as expected_cells,
    cast(p.executed_amount as decimal(18, 2)) as actual_amount,
    cast(coalesce(g.project_expenditure, 0) as decimal(18, 2)) as expected_amount,
    cast(p.executed_amount - coalesce(g.project_expenditure, 0) as decimal(18, 2)) as difference
from by_subject as p
left join gongkai_05 as g
    on g.unit_code = p.unit_code and g.fiscal_year = p.fiscal_year and g.subject_code = p.subject_code
cross join rules as r
where p.executed_amount - coalesce(g.project_expenditure, 0) > {{ var('reconciliation_tolerance', 0) }}
