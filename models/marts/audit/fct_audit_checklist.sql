-- audit.checklist: for every imported published report, every rule of the registry with its outcome, so
-- that "no finding" never hides "not checked":
--   pass              checked, nothing beyond 尾数误差 (rounding differences are counted and listed as info)
--   fail              at least one finding of the rule's severity (accepted ones included, and counted)
--   insufficient_data the rule could not be checked, or not completely (an unreadable cell; data the import
--                     does not bring: member units' reports, 绩效自评, 政府采购)
--                     (a narrative rule on a report whose 情况说明 the importer did not find)
--   not_applicable    nothing in the report the rule applies to (a table printed empty, a heading without
--                     year, a 单位决算 for the consolidation rule)
with

unit_years as (
    select * from {{ ref('stg_unit_years') }}
    where data_origin = 'imported'
),

units as (
    select unit_code, unit_name from {{ ref('stg_units') }}
),

rules as (
    select * from {{ ref('stg_reconciliation_rules') }}
),

checks as (
    select rule_id, unit_code, fiscal_year, outcome from {{ ref('int_printed_rule_checks') }}
    union all
    select rule_id, unit_code, fiscal_year, outcome from {{ ref('int_narrative_checks') }}
),

findings as (
    select * from {{ ref('fct_audit_findings') }}
),

-- the reports whose narrative (情况说明) the importer found: without one, no narrative rule could look
narratives as (
    select distinct unit_code, fiscal_year from {{ ref('stg_narrative_claims') }}
),

members as (
    select distinct department_code as unit_code, fiscal_year from {{ ref('int_department_members') }}
),

---------- the arithmetic rules: their checks, counted by outcome

check_counts as (
    select
        unit_code,
        fiscal_year,
        rule_id,
        count(*) as checks,
        count(*) filter (where outcome = 'pass') as passed,
        count(*) filter (where outcome = 'rounding') as rounding,
        count(*) filter (where outcome = 'fail') as failed,
        count(*) filter (where outcome = 'insufficient_data') as insufficient
    from checks
    group by all
),

finding_counts as (
    select
        unit_code,
        fiscal_year,
        rule_id,
        count(*) filter (where outcome = 'fail' and status = 'open') as open_findings,
        count(*) filter (where outcome = 'fail' and status = 'accepted') as accepted_findings,
        count(*) filter (where outcome = 'fail') as failed,
        count(*) filter (where outcome = 'insufficient_data') as insufficient
    from findings
    group by all
),

-- what each rule on the report as a whole looked at (its audit_scope_ macro, macros/audit/)
scopes as (
    {%- for rule_id in published_rules() %}
    select * from ({{ context['audit_scope_' ~ rule_id]() }})
    {{- '\n    union all' if not loop.last }}
    {%- endfor %}
),

listed as (
    select
        ---------- the report and the rule
        uy.unit_code,
        u.unit_name,
        uy.fiscal_year,
        uy.report_kind,
        r.rule_id,
        r.rule_name,
        r.severity,
        r.message_zh,

        ---------- what was checked
        coalesce(c.checks, sc.checks, 0) as checks,
        coalesce(c.passed, sc.checks - coalesce(f.failed, 0) - coalesce(f.insufficient, 0), 0) as passed,
        coalesce(c.rounding, 0) as rounding,
        coalesce(c.failed, f.failed, 0) as failed,
        coalesce(c.insufficient, f.insufficient, 0) as insufficient,
        coalesce(f.open_findings, 0) as open_findings,
        coalesce(f.accepted_findings, 0) as accepted_findings,

        ---------- the outcome
        case
            when r.check_kind = 'narrative' and n.unit_code is null then 'insufficient_data'
            when r.check_kind in ('equation', 'subject_hierarchy', 'narrative') then case
                when c.failed > 0 then 'fail'
                when c.insufficient > 0 then 'insufficient_data'
                when c.checks > 0 then 'pass'
                else 'not_applicable'
            end
            when r.check_kind = 'consolidation' then case
                when uy.report_kind <> '部门决算' then 'not_applicable'
                else 'insufficient_data'
            end
            when r.check_kind = 'singular' then 'insufficient_data'
            -- the rules on the report as a whole
            when f.failed > 0 then 'fail'
            when f.insufficient > 0 then 'insufficient_data'
            when coalesce(sc.checks, 0) = 0 then 'not_applicable'
            else 'pass'
        end as outcome,
        case
            when r.check_kind = 'consolidation' and uy.report_kind = '部门决算' and m.unit_code is null
                then '报告未公开所属单位决算，无法核对部门汇总'
            when r.check_kind = 'consolidation' and uy.report_kind = '部门决算'
                then '部门汇总只核对录入数据，未核对印刷数'
            when r.check_kind = 'singular' then '导入的报告不含此规则所需数据（绩效自评、政府采购）'
            when c.insufficient > 0 then c.insufficient || '项核对所需的单元格未能识读'
            when f.insufficient > 0 then f.insufficient || '个单元格未能识读'
            when r.check_kind in ('equation', 'subject_hierarchy') and coalesce(c.checks, 0) = 0
                then '报告中无此规则适用的数字'
            when r.check_kind = 'narrative' and n.unit_code is null then '未识别出情况说明（收入支出决算总体情况说明起的部分），未核对'
            when r.check_kind = 'narrative' and coalesce(c.checks, 0) = 0 then '情况说明中无此规则可核对的表述'
            when c.rounding > 0 then c.rounding || '项差额在尾数误差范围内'
            when r.check_kind = 'published' and coalesce(sc.checks, 0) = 0 then sc.note_when_none
        end as note_zh

    from unit_years as uy
    cross join rules as r
    left join units as u
        on u.unit_code = uy.unit_code
    left join check_counts as c
        on c.unit_code = uy.unit_code
        and c.fiscal_year = uy.fiscal_year
        and c.rule_id = r.rule_id
    left join finding_counts as f
        on f.unit_code = uy.unit_code
        and f.fiscal_year = uy.fiscal_year
        and f.rule_id = r.rule_id
    left join scopes as sc
        on sc.unit_code = uy.unit_code
        and sc.fiscal_year = uy.fiscal_year
        and sc.rule_id = r.rule_id
    left join narratives as n
        on n.unit_code = uy.unit_code
        and n.fiscal_year = uy.fiscal_year
    left join members as m
        on m.unit_code = uy.unit_code
        and m.fiscal_year = uy.fiscal_year
)

select * from listed
