-- Which units a department consolidates in each year it publishes a 部门决算: the year's membership,
-- so a unit that moves is counted in its old department before the move and in the new one after.

with

unit_years as (
    select * from {{ ref('stg_unit_years') }}
),

memberships as (
    select * from {{ ref('stg_unit_memberships') }}
),

department_years as (
    select unit_code as department_code, fiscal_year, template_version
    from unit_years
    where report_kind = '部门决算'
),

members as (
    select
        ---------- ids
        d.department_code,
        m.unit_code,
        d.fiscal_year,

        ---------- layouts (a member normally reports in its department's layout)
        d.template_version as department_template_version,
        u.template_version as unit_template_version

    from department_years as d
    inner join memberships as m
        on m.department_code = d.department_code
        and d.fiscal_year >= m.from_year
        and (m.to_year is null or d.fiscal_year <= m.to_year)
    inner join unit_years as u
        on u.unit_code = m.unit_code
        and u.fiscal_year = d.fiscal_year
        and u.report_kind = '单位决算'
)

select * from members
