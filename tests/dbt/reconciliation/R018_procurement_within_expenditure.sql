{{ config(severity='error', store_failures=true) }}
-- R018 (registry: ref_reconciliation_rules): 政府采购支出总额 (情况说明 十一) never exceeds the year's
-- 本年支出合计 (公开03 合计). Returns the failing unit-years with actual, expected and the difference.

with

rules as (
    select * from {{ ref('stg_reconciliation_rules') }} where rule_id = 'R018'
),

procurement as (
    select unit_code, fiscal_year, sum(amount) as amount
    from {{ ref('fct_procurement') }}
    group by all
),

gongkai_03 as (
    select * from {{ ref('gongkai_03') }} where line_no = 1
)

select
    r.rule_id,
    r.severity,
    r.message_zh,
    p.unit_code,
    p.fiscal_year,
    '政府采购支出总额' as actual_cells,
    '公开03表 行1 合计 [total_expenditure]' as expected_cells,
    cast(p.amount as decimal(18, 2)) as actual_amount,
    cast(coalesce(g.total_expenditure, 0) as decimal(18, 2)) as expected_amount,
    cast(p.amount - coalesce(g.total_expenditure, 0) as decimal(18, 2)) as difference
from procurement as p
left join gongkai_03 as g on g.unit_code = p.unit_code and g.fiscal_year = p.fiscal_year
cross join rules as r
where p.amount - coalesce(g.total_expenditure, 0) > {{ var('reconciliation_tolerance', 0) }}
