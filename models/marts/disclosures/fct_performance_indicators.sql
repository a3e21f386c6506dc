-- 三级绩效指标 of each project self-evaluation, with the score of its 二级 group.

with

indicators as (
    select * from {{ ref('stg_performance_indicators') }}
),

scores as (
    select * from {{ ref('stg_performance_scores') }}
),

final as (
    select
        ---------- project, year, indicator
        i.project_code,
        i.fiscal_year,
        i.indicator_no,
        i.level1,
        i.level2,
        i.indicator_name,

        ---------- 年初目标值 / 实际完成值
        i.target_value,
        i.actual_value,

        ---------- score of the 二级 group
        s.max_score as group_max_score,
        s.score as group_score

    from indicators as i
    left join scores as s
        on s.project_code = i.project_code
        and s.fiscal_year = i.fiscal_year
        and s.level1 = i.level1
        and s.level2 = i.level2
)

select * from final
