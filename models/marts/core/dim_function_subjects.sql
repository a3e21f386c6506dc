-- 支出功能分类科目, one row per subject at any level, with the 类 and 款 it belongs to.

with

function_subjects as (
    select * from {{ ref('stg_function_subjects') }}
),

subject_classes as (
    {{ subject_ancestor('function', '类') }}
),

subject_sections as (
    {{ subject_ancestor('function', '款') }}
),

final as (
    select
        ---------- ids
        s.subject_code,
        s.subject_name,

        ---------- hierarchy
        s.subject_level,
        s.level_no,
        s.parent_code,

        ---------- the 类 and 款 above (a subject is its own at its level; a 类 has no 款)
        c.ancestor_code as class_code,
        c.ancestor_name as class_name,
        sec.ancestor_code as section_code,
        sec.ancestor_name as section_name,

        ---------- text
        s.description_zh,
        s.chart_source,
        s.code_source,

        ---------- facts are booked on 项 only
        s.level_no = 3 as is_leaf

    from function_subjects as s
    left join subject_classes as c
        on c.subject_code = s.subject_code
    left join subject_sections as sec
        on sec.subject_code = s.subject_code
)

select * from final
