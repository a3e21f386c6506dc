-- 项目绩效自评 per project and year: budget, execution and its rate, the scores (预算执行 + indicator
-- groups = 总分) and the grade (附件 项目绩效自评表).

with

projects as (
    select * from {{ ref('stg_projects') }}
),

performance as (
    select * from {{ ref('stg_project_performance') }}
),

scores as (
    select project_code, fiscal_year, sum(score) as indicator_score, sum(max_score) as indicator_max_score
    from {{ ref('stg_performance_scores') }}
    group by all
),

final as (
    select
        ---------- project
        p.project_code,
        pr.fiscal_year,
        p.project_name,
        p.unit_code,
        p.competent_department,
        p.project_category,
        p.project_attribute,
        p.project_type,
        p.subject_code,

        ---------- 年度财政资金 (万元) and 执行率 (%, two decimals: 99.32)
        pr.budget_amount,
        pr.executed_amount,
        {{ percent('pr.executed_amount', 'pr.budget_amount', 2) }} as execution_rate_pct,

        ---------- scores
        pr.budget_execution_score,
        cast(coalesce(s.indicator_score, 0) as decimal(38, 2)) as indicator_score,
        cast(pr.budget_execution_score + coalesce(s.indicator_score, 0) as decimal(38, 2)) as total_score,
        pr.grade

    from performance as pr
    inner join projects as p on p.project_code = pr.project_code
    left join scores as s on s.project_code = pr.project_code and s.fiscal_year = pr.fiscal_year
)

select * from final
