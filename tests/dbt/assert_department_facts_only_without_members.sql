-- A 部门决算 published without its members' breakdown carries its own facts (an imported report); one whose
-- members are known is their sum (int_report_facts) and must have none of its own, or it would count twice.
-- Returns the department-years that have both, with how many facts of their own and how many members.
select
    f.unit_code as department_code,
    f.fiscal_year,
    count(*) as own_facts,
    any_value(m.members) as members
from {{ ref('int_unit_facts') }} as f
inner join (
    select department_code, fiscal_year, count(*) as members
    from {{ ref('int_department_members') }}
    group by all
) as m
    on m.department_code = f.unit_code
    and m.fiscal_year = f.fiscal_year
group by all
