-- The units each 部门决算 consolidates in its year (its 第一部分 lists them: 纳入…编制范围的单位), with their
-- names: the department itself first (本级), then its members by code. A 部门决算 published without its
-- members' breakdown has no rows here.

with

members as (
    select * from {{ ref('int_department_members') }}
),

units as (
    select * from {{ ref('stg_units') }}
),

final as (
    select
        ---------- keys
        m.department_code,
        m.fiscal_year,
        m.unit_code,

        ---------- the member
        u.unit_name,
        u.unit_kind,
        cast(row_number() over (partition by m.department_code, m.fiscal_year order by m.unit_code) as bigint) as member_no

    from members as m
    inner join units as u on u.unit_code = m.unit_code
)

select * from final
