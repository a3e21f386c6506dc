-- 构建台账: the fingerprint every unit-year was last built with, and the department it was built in.
-- It is written after every per-unit-year and per-unit model (the depends_on lines below), so a run that
-- fails part way leaves the previous ledger, and the next run rebuilds the same unit-years again.
-- int_build_scope reads it at the start of the next run.
{%- set incremental_models = [
    'int_unit_facts', 'int_report_facts', 'int_report_cells', 'int_report_list_rows', 'int_expenditure_by_subject',
    'fct_revenue', 'fct_expenditure', 'fct_basic_expenditure_economic', 'fct_sangong', 'fct_balances',
    'gongkai_01', 'gongkai_02', 'gongkai_03', 'gongkai_04', 'gongkai_05', 'gongkai_06', 'gongkai_07',
    'gongkai_08', 'gongkai_09', 'audit_report_cells', 'fct_unit_year_totals', 'mart_expenditure_structure',
    'mart_budget_execution', 'mart_totals_trend', 'mart_expenditure_trend'] %}
{% for m in incremental_models %}
-- depends_on: {{ ref(m) }}
{%- endfor %}

with

fingerprints as (
    select * from {{ ref('int_unit_year_fingerprints') }}
),

members as (
    select * from {{ ref('int_department_members') }}
),

ledger as (
    select
        ---------- ids
        f.unit_code,
        f.fiscal_year,

        ---------- as built
        f.fingerprint,
        m.department_code

    from fingerprints as f
    left join members as m
        on m.unit_code = f.unit_code
        and m.fiscal_year = f.fiscal_year
)

select * from ledger
