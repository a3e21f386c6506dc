{{ config(severity='error', store_failures=true) }}
-- R019 (registry: ref_reconciliation_rules): in a 项目绩效自评表 every indicator group scores at most its
-- 分值, and 总分 (预算执行得分 + Σ groups) at most 100. Returns the failing groups or totals.

with

rules as (
    select * from {{ ref('stg_reconciliation_rules') }} where rule_id = 'R019'
),

groups as (
    select project_code, fiscal_year, level1 || '/' || level2 as item, score, max_score
    from {{ ref('stg_performance_scores') }}
),

totals as (
    select project_code, fiscal_year, '总分' as item, total_score as score, cast(100 as decimal(5, 2)) as max_score
    from {{ ref('fct_project_performance') }}
),

projects as (
    select * from {{ ref('stg_projects') }}
),

checked as (
    select * from groups
    union all
    select * from totals
)

select
    r.rule_id,
    r.severity,
    r.message_zh,
    p.unit_code,
    c.fiscal_year,
    c.project_code,
    c.item,
    c.score as actual_amount,
    c.max_score as expected_amount,
    c.score - c.max_score as difference
from checked as c
left join projects as p on p.project_code = c.project_code
cross join rules as r
where c.score > c.max_score
