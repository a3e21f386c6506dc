-- audit.findings: what the audit of each imported published report found, as data. One row per finding:
--   * every check of the registry's arithmetic rules (int_printed_rule_checks) that is not an exact pass:
--     `fail` (beyond the rounding band: the rule's severity, error), `rounding` (尾数误差 within 0.005 万元
--     per printed figure: info, listed, never an error) and `insufficient_data` (a cell unreadable: info);
--   * every check of the narrative (情况说明, int_narrative_checks: N001…) that is not a pass, the same way;
--   * every failing row of the rules on the report as a whole (P001…, macros/audit/, one macro per rule).
-- A published report that does not add up is a fact about the publication: it never fails the build (the
-- reconciliation tests skip imported unit-years, macro entered_cells). An accepted finding (seed
-- ref_accepted_findings) stays listed, with status `accepted` and its reason.
{% set ctes -%}
with

checks as (
    select * from {{ ref('int_printed_rule_checks') }}
    where outcome <> 'pass'
),

cells as (
    select * from {{ ref('int_printed_rule_cells') }}
),

rules as (
    select * from {{ ref('stg_reconciliation_rules') }}
),

accepted as (
    select * from {{ ref('stg_accepted_findings') }}
),

units as (
    select unit_code, unit_name from {{ ref('stg_units') }}
),

---------- the arithmetic rules: what each check that is not a pass says

-- a failing figure equal to another printed figure of its table and column (a subtotal or a neighbour
-- printed in its place)
same_figure as (
    select
        k.rule_id, k.unit_code, k.fiscal_year, k.check_key,
        -- (DuckDB takes min() of the names whatever the ORDER BY: kept so, the first one by 行次 would be min_by)
        min(c.item_name) as same_as
    from checks as k
    inner join cells as c
        on c.unit_code = k.unit_code
        and c.fiscal_year = k.fiscal_year
        and c.table_code = k.table_code
        and c.column_name = k.column_name
        and c.cell_state = 'number'
        and c.amount = k.actual_amount
        and c.item_name <> k.row_label
    where k.outcome = 'fail' and k.actual_amount <> 0
    group by all
),

-- two failing rows of one rule, table and column, each printed with the other's figure
swapped as (
    select a.rule_id, a.unit_code, a.fiscal_year, a.check_key, min(b.row_label) as swapped_with
    from checks as a
    inner join checks as b
        on b.rule_id = a.rule_id
        and b.unit_code = a.unit_code
        and b.fiscal_year = a.fiscal_year
        and b.table_code = a.table_code
        and b.column_name = a.column_name
        and b.check_key <> a.check_key
        and b.actual_amount = a.expected_amount
        and a.actual_amount = b.expected_amount
    where a.outcome = 'fail' and b.outcome = 'fail'
    group by all
),

arithmetic as (
    select
        k.rule_id,
        k.unit_code,
        k.fiscal_year,
        k.check_key as finding_key,
        k.outcome,
        k.table_code,
        k.table_no,
        k.page,
        k.row_label,
        k.subject_code,
        k.column_name,
        k.column_header,
        k.actual_amount as printed_amount,
        k.expected_amount,
        k.difference,
        k.rounding_band,
        k.printed_terms,
        k.equation,
        k.actual_cells,
        k.expected_cells,
        case
            when s.swapped_with is not null then '疑似与“' || s.swapped_with || '”两行互换'
            when f.same_as is not null then '与同栏“' || f.same_as || '”数字相同，疑似串行'
            when k.outcome = 'fail' then {{ likely_cause('k.actual_amount', 'k.expected_amount') }}
        end as likely_cause,
        k.source_document,

        -- what the check compared, in a sentence
        case when k.lhs_cells = 0
            -- the left side's table prints no such row: say what the right side is
            then k.table_no || ' 按“' || k.equation || '”，' || coalesce(k.expected_cells, '') || ' 合计 '
                || k.expected_amount || '，而左边各栏未印此行（应为 ' || k.expected_amount || '）'
        else k.table_no || ' ' || coalesce(k.subject_code || ' ', '') || coalesce(k.row_label, '')
            || case when k.column_header not in ('', k.row_label) then ' ' || k.column_header else '' end
            || case when k.outcome = 'insufficient_data' then '：核对所需的单元格未能识读，无法核对（' || k.equation || '）'
            else case when k.lhs_printed = 0 then '未印（空白），' else '印为 ' || k.actual_amount || '，' end
                || case
                    when k.equation_id is null then
                        -- the children of a 类 are its 款, of a 款 its 项
                        '其各' || case k.subject_level when 1 then '款' else '项' end || '合计 '
                    when k.expected_cell_name is not null then split_part(k.expected_cell_name, ' 第', 1)
                        || ' 为 '
                    else '按“' || k.equation || '”应为 '
                end || k.expected_amount
                || case when k.relation = '<=' then '，超过 ' else '，相差 ' end || abs(k.difference)
                || case when k.outcome = 'rounding'
                    then '，在尾数误差范围（±' || cast(k.rounding_band as decimal(18, 3)) || '）内' else '' end
            end
        end as detail_zh

    from checks as k
    left join same_figure as f using (rule_id, unit_code, fiscal_year, check_key)
    left join swapped as s using (rule_id, unit_code, fiscal_year, check_key)
),

---------- the narrative: each claim that is not a pass

narrative as (
    select
        rule_id,
        unit_code,
        fiscal_year,
        check_key as finding_key,
        outcome,
        coalesce(table_no, '情况说明') as table_no,
        page,
        label as row_label,
        section as column_header,
        -- a percentage as printed (71.73%), and as computed with two more places (71.6539%)
        case when printed_percent is not null
            then {{ as_printed('printed_percent', 'percent_decimals') }} || '%' end as printed_value,
        case when expected_percent is not null
            then {{ as_printed('expected_percent', 'percent_decimals + 2') }} || '%' end as expected_value,
        printed_amount,
        expected_amount,
        difference,
        sentence as actual_cells,
        cell_label as expected_cells,
        '情况说明第' || page || '页（' || section || '）' || detail_zh as detail_zh,
        source_document
    from {{ ref('int_narrative_checks') }}
    where outcome <> 'pass'
),

---------- the rules on the report as a whole (one macro per rule, macros/audit/)

report_findings as (
    -- each macro returns its failing rows with their outcome (an unreadable cell is insufficient_data)
    {%- set rules = [] %}
    {%- for rule_id in published_rules() %}{% do rules.append('select * from (' ~ context['audit_rule_' ~ rule_id]() ~ ')') %}{% endfor %}
    {{ union_all_by_name(rules) }}
)
{%- endset -%}
{{ ctes }},

all_findings as (
    {{ union_all_by_name(['select * from arithmetic', 'select * from narrative', 'select * from report_findings'], ctes) }}
),

final as (
    select
        ---------- ids
        md5(f.rule_id || '|' || f.unit_code || '|' || f.fiscal_year || '|' || f.finding_key) as finding_id,
        f.rule_id,
        r.rule_name,
        f.finding_key,

        ---------- the report
        f.unit_code,
        u.unit_name,
        f.fiscal_year,

        ---------- what was found
        f.outcome,
        case when f.outcome <> 'fail' then 'info' when r.severity = 'warn' then 'warning' else r.severity end as severity,
        case when a.rule_id is not null then 'accepted' else 'open' end as status,
        r.message_zh || '：' || f.detail_zh || coalesce('，' || f.likely_cause, '') as message_zh,
        f.likely_cause,

        ---------- where: the table as printed, its page, row, subject and column
        f.table_code,
        f.table_no,
        f.page,
        f.row_label,
        f.subject_code,
        f.column_name,
        f.column_header,

        ---------- the figures (万元)
        f.printed_value,
        f.expected_value,
        f.printed_amount,
        f.expected_amount,
        f.difference,
        f.rounding_band,
        f.printed_terms,
        f.equation,
        f.actual_cells,
        f.expected_cells,

        ---------- accepted findings
        a.reason as accepted_reason,
        a.accepted_by,
        a.accepted_on,

        f.source_document

    from all_findings as f
    inner join rules as r
        on r.rule_id = f.rule_id
    left join units as u
        on u.unit_code = f.unit_code
    left join accepted as a
        on a.rule_id = f.rule_id
        and a.unit_code = f.unit_code
        and a.fiscal_year = f.fiscal_year
        and a.finding_key = f.finding_key
)

select * from final
