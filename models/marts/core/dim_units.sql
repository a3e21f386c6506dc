-- 预算单位, one row per unit or department, with its parent and the 部门 it belongs to.

with

units as (
    select * from {{ ref('stg_units') }}
),

unit_ancestors as (
    -- every unit paired with itself and each unit above it; depth 0 = itself
    with recursive walk (unit_code, ancestor_code, parent_code, depth) as (
        select unit_code, unit_code, parent_unit_code, 0
        from units
        union all
        select walk.unit_code, parent.unit_code, parent.parent_unit_code, walk.depth + 1
        from walk
        inner join units as parent
            on parent.unit_code = walk.parent_code
        where walk.depth < 32  -- a guard against a cycle in parent_unit_code
    )
    select unit_code, ancestor_code, depth from walk
),

departments as (
    -- the top-most 部门 at or above each unit
    select
        a.unit_code,
        a.ancestor_code as department_code,
        d.unit_name as department_name
    from unit_ancestors as a
    inner join units as d
        on d.unit_code = a.ancestor_code
    where d.unit_kind = '部门'
    qualify row_number() over (partition by a.unit_code order by a.depth desc) = 1
),

final as (
    select
        ---------- ids
        u.unit_code,
        u.unit_name,

        ---------- classification
        u.unit_kind,
        u.unit_class,
        u.admin_level,
        u.region,

        ---------- hierarchy
        u.parent_unit_code,
        p.unit_name as parent_unit_name,
        d.department_code,
        d.department_name

    from units as u
    left join units as p
        on p.unit_code = u.parent_unit_code
    left join departments as d
        on d.unit_code = u.unit_code
)

select * from final
