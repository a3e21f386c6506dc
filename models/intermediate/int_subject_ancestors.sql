-- Every subject paired with itself and each of its ancestors, for both classifications:
-- a printed 类 row sums the facts booked on any 项 below it. The pair of a subject with itself is its entry in
-- the two charts as one (level and name, by subject_dimension).

with

function_subjects as (
    select * from {{ ref('stg_function_subjects') }}
),

economic_subjects as (
    select * from {{ ref('stg_economic_subjects') }}
),

subjects as (
    select 'function' as subject_dimension, subject_code, parent_code, level_no, subject_name from function_subjects
    union all
    select 'economic' as subject_dimension, econ_code, parent_code, level_no, econ_name from economic_subjects
),

ancestors as (
    with recursive walk (subject_dimension, descendant_code, ancestor_code, parent_code) as (
        select subject_dimension, subject_code, subject_code, parent_code
        from subjects
        union all
        select walk.subject_dimension, walk.descendant_code, parent.subject_code, parent.parent_code
        from walk
        inner join subjects as parent
            on parent.subject_dimension = walk.subject_dimension
            and parent.subject_code = walk.parent_code
    )
    select
        walk.subject_dimension,
        walk.descendant_code,
        walk.ancestor_code,
        anc.level_no as ancestor_level_no,
        anc.subject_name as ancestor_name
    from walk
    inner join subjects as anc
        on anc.subject_dimension = walk.subject_dimension
        and anc.subject_code = walk.ancestor_code
)

select * from ancestors
