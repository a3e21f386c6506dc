-- The facts every printed table and analysis is computed from: each unit's leaf facts as seeded
-- (int_unit_facts), plus, for each department-year that publishes a 部门决算, the sum of its member units'
-- facts in that year (no department facts are seeded). Nothing here is a subtotal of subjects.

{% set ctes -%}
with

-- not materialized (here and in the other models that read a large table twice): DuckDB would copy the
-- whole table into the CTE first; read twice, each read scans only the columns it uses (2 s at 300k)
unit_facts as {{ not_materialized() }} (
    select * from {{ ref('int_unit_facts') }}
    where {{ in_build_scope() }}
),

members as (
    select * from {{ ref('int_department_members') }}
    where {{ in_build_scope(unit_column='department_code') }}
),

department_facts as (
    select
        m.department_code as unit_code,
        f.fiscal_year,
        f.phase,
        f.measure,
        f.subject_dimension,
        f.subject_code,
        f.fund_code,
        f.fund_group,
        f.source_code,
        f.expenditure_type,
        f.balance_kind,
        f.cost_type,
        f.sangong_item,
        f.sangong_group,
        -- exact (万元, six decimals): a department entered in 元 by its members is rounded only where printed
        cast(sum(f.amount) as decimal(18, 6)) as amount
    from unit_facts as f
    inner join members as m
        on m.unit_code = f.unit_code
        and m.fiscal_year = f.fiscal_year
    group by all
)
{%- endset -%}
{{ ctes }},

all_facts as (
    {{ union_all_by_name(["select *, 'unit' as consolidation from unit_facts", "select *, 'department' as consolidation from department_facts"], ctes) }}
),

numbered as (
    select
        ---------- ids
        unit_code,
        fiscal_year,

        ---------- what the fact is
        phase,
        measure,
        subject_dimension,
        subject_code,
        consolidation,

        ---------- attributes template filters select on
        fund_code,
        fund_group,
        source_code,
        expenditure_type,
        balance_kind,
        cost_type,
        sangong_item,
        sangong_group,

        ---------- the attribute tuple as one key: templates are matched against the few distinct
        ---------- tuples (int_fact_signatures), not against every fact
        {{ juesuan_hash(fact_signature_attributes() | join(', ')) }} as signature_id,

        ---------- amounts (万元)
        amount

    from all_facts
)

select * from numbered
