-- 部门预算支出经济分类科目, one row per 类 or 款, with its 类 and 经费类型.

with

economic_subjects as (
    select * from {{ ref('stg_economic_subjects') }}
),

subject_classes as (
    {{ subject_ancestor('economic', '类') }}
),

final as (
    select
        ---------- ids
        s.econ_code,
        s.econ_name,

        ---------- hierarchy
        s.econ_level,
        s.level_no,
        s.parent_code,

        ---------- the 类 above (a 类 is its own)
        c.ancestor_code as class_code,
        c.ancestor_name as class_name,

        ---------- cost type
        s.cost_type,

        ---------- where the code comes from
        s.chart_source,
        s.code_source,

        ---------- facts are booked on 款 only
        s.level_no = 2 as is_leaf

    from economic_subjects as s
    left join subject_classes as c
        on c.subject_code = s.econ_code
)

select * from final
