-- Every check of an imported report's narrative (情况说明) against its tables and against itself: one row per
-- checked claim (stg_narrative_claims), with the rule (N001–N006), what the sentence says, what it should say,
-- and the outcome (pass / rounding / fail / insufficient_data, as in int_printed_rule_checks). Precision is the
-- report's own: a figure printed with one decimal is compared to half a unit of that decimal, a percentage
-- to half a unit of its last digit plus what the rounding of its two figures can move it (so 9.1% and 1.94%
-- are each checked at their own precision, never against a fixed tolerance).
--   N001 an amount against the printed cell its measure names (ref_narrative_measures: equal to it, or for a
--        measure of relation <= not above it)
--   N002 a share against its amount over its base (the base the sentence names, else its first figure)
--   N003 the shares of one complete breakdown add up to 100
--   N004 a change against last year: direction words agree (增加/增长, 减少/下降), the rate is the change over
--        last year's figure (this year's less the change), and last year's figure is not 0
--   N005 a budget execution: the rate is 决算 / 年初预算, and 小于/大于/等于 agree with the two figures
--   N006 政府采购: the total is 货物 + 工程 + 服务 (rounding band), an amount to small firms is not above it
--   N007 a change against last year (or 持平) equals this year's figure less last year's, where the warehouse
--        holds the same unit's year before (imported or entered: audit_report_cells, as its marts print it)
--   N008 a share is printed with its % sign
-- A figure of the tables may itself be 0.005 off (macro rounding_band): one table figure is allowed that much
-- besides the narrative figure's own half unit, two table figures (a difference of two) twice that.
{% set ctes -%}
with

claims as (
    select * from {{ ref('stg_narrative_claims') }}
),

measures as (
    select * from {{ ref('stg_narrative_measures') }}
),

-- a measure's relation (one per measure, whatever shapes of table print it)
measure_relations as (
    select distinct measure, relation from measures
),

cells as (
    select * from {{ ref('int_printed_rule_cells') }}
),

-- the 类 of each function subject (the one class lookup: macro subject_ancestor)
classes as (
    {{ subject_ancestor('function', '类') }}
),

---------- the printed cell of each bound claim (N001, and the bases of N002/N004)

-- a subject a sentence names (一般公共服务支出(类)财政事务(款)行政运行(项)): the printed row of its level
-- whose name is the last one named and whose 类 is the first one named
named_subjects as (
    select
        c.unit_code, c.fiscal_year, c.claim_no, c.measure, c.subject_label,
        {{ list_length(split_list('c.subject_label', '/')) }} as level_no,
        {{ narrative_name("split_part(c.subject_label, '/', 1)") }} as class_name,
        {{ narrative_name("split_part(c.subject_label, '/', -1)") }} as own_name
    from claims as c
    inner join measures as m on m.measure = c.measure
    where m.row_key = 'subject' and c.subject_label is not null
),

subject_cells as (
    select
        n.unit_code, n.fiscal_year, n.claim_no,
        min_by(x.cell_label, x.line_no) as cell_label,
        min_by(x.table_no, x.line_no) as table_no,
        min_by(x.cell_state, x.line_no) as cell_state,
        min_by(x.amount, x.line_no) as cell_amount,
        count(*) as candidates
    from named_subjects as n
    inner join measures as m on m.measure = n.measure
    inner join cells as x
        on x.unit_code = n.unit_code
        and x.fiscal_year = n.fiscal_year
        and x.table_code = m.table_code
        and x.column_name = m.column_name
        and x.row_key = 'subject'
        and x.subject_level = n.level_no
        and {{ narrative_name('x.item_name') }} = n.own_name
    -- its 类 row, printed in the same table, has the first name
    inner join classes as cl
        on cl.subject_code = x.subject_code
    inner join cells as k
        on k.unit_code = x.unit_code
        and k.fiscal_year = x.fiscal_year
        and k.table_code = x.table_code
        and k.column_name = x.column_name
        and k.subject_code = cl.ancestor_code
        and {{ narrative_name('k.item_name') }} = n.class_name
    group by all
),

measure_cells as (
    -- the cell of a measure that is not a subject row: one per unit-year
    select
        x.unit_code, x.fiscal_year, m.measure,
        min_by(x.cell_label, x.line_no) as cell_label,
        min_by(x.table_no, x.line_no) as table_no,
        min_by(x.cell_state, x.line_no) as cell_state,
        min_by(x.amount, x.line_no) as cell_amount
    from measures as m
    inner join cells as x
        on {{ measure_matches_cell('m', 'x') }}
    where m.row_key <> 'subject'
    group by all
),

bound as (
    select
        c.*,
        coalesce(s.cell_label, mc.cell_label) as cell_label,
        coalesce(s.table_no, mc.table_no) as table_no,
        coalesce(s.cell_state, mc.cell_state) as cell_state,
        coalesce(s.cell_amount, mc.cell_amount) as cell_amount,
        b.cell_amount as base_cell_amount,
        b.cell_state as base_cell_state,
        b.cell_label as base_cell_label,
        -- half a unit of the figure's last printed digit
        0.5 * pow(10, -coalesce(c.amount_decimals, 2)) as amount_half_unit,
        0.5 * pow(10, -coalesce(c.base_decimals, 2)) as base_half_unit,
        0.5 * pow(10, -coalesce(c.change_decimals, 2)) as change_half_unit,
        0.5 * pow(10, -coalesce(c.percent_decimals, 2)) as percent_half_unit
    from claims as c
    left join subject_cells as s
        on s.unit_code = c.unit_code and s.fiscal_year = c.fiscal_year and s.claim_no = c.claim_no
    left join measure_cells as mc
        on mc.unit_code = c.unit_code and mc.fiscal_year = c.fiscal_year and mc.measure = c.measure
        and c.subject_label is null
    left join measure_cells as b
        on b.unit_code = c.unit_code and b.fiscal_year = c.fiscal_year and b.measure = c.base_measure
),

---------- N001: an amount against its printed cell

n001 as (
    select
        'N001' as rule_id, b.*,
        b.amount as printed_amount,
        b.cell_amount as expected_amount,
        case
            when b.cell_state is null or b.cell_state = 'unreadable' then 'insufficient_data'
            when m.relation = '<=' and b.amount <= b.cell_amount + b.amount_half_unit then 'pass'
            when m.relation = '<=' and b.amount <= b.cell_amount + b.amount_half_unit + {{ rounding_band(2) }}
                then 'rounding'
            when m.relation = '<=' then 'fail'
            when abs(b.amount - b.cell_amount) <= b.amount_half_unit then 'pass'
            when abs(b.amount - b.cell_amount) <= b.amount_half_unit + {{ rounding_band(2) }} then 'rounding'
            else 'fail'
        end as outcome,
        case
            when b.cell_state is null then '“' || b.label || '”' || {{ as_printed('b.amount', 'b.amount_decimals') }}
                || '万元，表中未找到对应的单元格，无法核对'
            when b.cell_state = 'unreadable' then '“' || b.label || '”' || {{ as_printed('b.amount', 'b.amount_decimals') }}
                || '万元，对应单元格' || b.cell_label || '，无法核对'
            when m.relation = '<=' then '写“' || b.label || '”' || {{ as_printed('b.amount', 'b.amount_decimals') }}
                || '万元，超过' || b.cell_label || ' ' || cast(b.amount - b.cell_amount as decimal(18, 2))
            else '写“' || b.label || '”' || {{ as_printed('b.amount', 'b.amount_decimals') }} || '万元，' || b.cell_label
                || '，相差 ' || cast(abs(b.amount - b.cell_amount) as decimal(18, 2))
        end as detail_zh
    from bound as b
    inner join measure_relations as m on m.measure = b.measure
    where b.claim_kind = 'amount'
),

---------- N002 / N003: shares

shares as (
    select
        *,
        coalesce(case when base_measure is not null then base_cell_amount end, base_amount) as share_base,
        sum(percent) over (partition by unit_code, fiscal_year, group_no, coalesce(case when base_measure is not null then base_cell_amount end, base_amount)) as group_percent
    from bound
    where claim_kind = 'share'
),

shares_judged as (
    select
        *,
        case when share_base <> 0 then 100.0 * amount / share_base end as exact_percent,
        case when share_base <> 0 and amount <> 0
            then 100.0 * amount / share_base * (amount_half_unit / amount
                + case when base_measure is not null then {{ rounding_band(1) }} else base_half_unit end / share_base)
            else 0 end
            as percent_error
    from shares
),

n002 as (
    select
        'N002' as rule_id, *,
        percent as printed_percent,
        {{ round_to("exact_percent", "coalesce(percent_decimals, 2) + 2") }} as expected_percent,
        case
            when share_base is null then 'insufficient_data'
            when share_base = 0 then 'fail'
            when abs(percent - exact_percent) <= percent_half_unit + percent_error + 1e-9 then 'pass'
            -- one unit off in a breakdown printed to add up to exactly 100: a tail adjusted so it does
            when abs(percent - exact_percent) <= 3 * percent_half_unit + percent_error + 1e-9
                and group_no is not null and group_percent = 100 then 'rounding'
            else 'fail'
        end as outcome,
        '“' || label || '”' || {{ as_printed('amount', 'amount_decimals') }} || '万元，写占'
            || {{ as_printed('percent', 'percent_decimals') }} || '%，按'
            || coalesce(base_cell_label, '基数' || share_base || '万元') || '计算为 '
            || coalesce(cast({{ round_to("exact_percent", "coalesce(percent_decimals, 2) + 2") }} as string), '（基数为0）') || '%'
            || case when group_no is not null and group_percent = 100
                and abs(percent - exact_percent) > percent_half_unit + percent_error + 1e-9
                then '（各项合计调整为100%）' else '' end as detail_zh
    from shares_judged
),

n003 as (
    select
        'N003' as rule_id,
        unit_code, fiscal_year,
        min(claim_no) as claim_no,
        any_value(section) as section,
        any_value(sentence) as sentence,
        any_value(page) as page,
        any_value(line) as line,
        any_value(source_document) as source_document,
        '各项占比' as label,
        max(percent_decimals) as percent_decimals,
        sum(percent) as printed_percent,
        cast(100 as decimal(9, 4)) as expected_percent,
        case when abs(sum(percent) - 100) <= count(*) * max(percent_half_unit) + 1e-9 then 'pass' else 'fail' end
            as outcome,
        {{ ordered_string_agg("label || ' ' || " ~ as_printed('percent', 'percent_decimals') ~ " || '%'", '、', 'claim_no') }}
            || ' 合计 ' || {{ as_printed('sum(percent)', 'max(percent_decimals)') }} || '%，不为100%' as detail_zh
    from shares_judged
    where group_no is not null and share_base is not null
    group by unit_code, fiscal_year, group_no, share_base
    -- a complete breakdown: its amounts add up to the base (within their own rounding)
    having count(*) >= 2
        and abs(sum(amount) - share_base) <= sum(amount_half_unit) + {{ rounding_band(1) }}
),

---------- N004: changes against last year

all_changes as (
    -- the level a change is of: the narrative's own figure, else the measure's printed cell
    select
        *,
        coalesce(amount, case when cell_state in ('number', 'blank', 'dash') then cell_amount end) as level_amount
    from bound
    where claim_kind = 'change'
),

changes as (
    select * from all_changes where change_amount is not null
),

changes_judged as (
    select
        *,
        case direction when '增加' then level_amount - change_amount else level_amount + change_amount end
            as previous_amount,
        (direction = '增加' and rate_direction = '下降') or (direction = '减少' and rate_direction = '增长')
            as words_disagree
    from changes
),

n004 as (
    select
        'N004' as rule_id, *,
        percent as printed_percent,
        case when previous_amount <> 0
            then {{ round_to("100.0 * change_amount / previous_amount", "coalesce(percent_decimals, 2) + 2") }} end
            as expected_percent,
        case
            when words_disagree then 'fail'
            when percent is null then 'pass'
            when level_amount is null then 'insufficient_data'
            when previous_amount = 0 then 'fail'
            when abs(percent - 100.0 * change_amount / previous_amount)
                <= percent_half_unit + 100.0 * change_amount / previous_amount
                    * (coalesce(change_half_unit / nullif(change_amount, 0), 0)
                        + (amount_half_unit + change_half_unit) / abs(previous_amount)) + 1e-9 then 'pass'
            else 'fail'
        end as outcome,
        case
            when words_disagree then '写“' || direction || change_amount || '万元，' || rate_direction
                || {{ as_printed('percent', 'percent_decimals') }} || '%”，增减用语前后矛盾'
            when previous_amount = 0 then '上年数为0（本年' || level_amount || '万元，' || direction || change_amount
                || '万元），增长率无意义'
            else '本年' || coalesce(level_amount::string, '?') || '万元，' || direction || change_amount || '万元，即上年'
                || coalesce(previous_amount::string, '?') || '万元；写' || coalesce(rate_direction, '')
                || {{ as_printed('percent', 'percent_decimals') }} || '%，计算为 ' || coalesce(cast({{ round_to("100.0 * change_amount / previous_amount",
                    "coalesce(percent_decimals, 2) + 2") }} as string), '?') || '%'
        end as detail_zh
    from changes_judged
    where words_disagree or percent is not null
),

---------- N007: a change against the same unit's report of the year before

unit_years as (
    -- a year before whose tables the warehouse holds (a summary-level year has only a few totals, often read
    -- from this very narrative: not a year to check against)
    select unit_code, fiscal_year from {{ ref('stg_unit_years') }}
    where detail_level = 'full'
),

previous_cells as (
    -- last year's figure of each measure a change names (0 where that year's marts print none)
    select
        c.unit_code, c.fiscal_year, c.claim_no,
        coalesce(sum(r.amount), 0) as last_year_amount
    from all_changes as c
    inner join measures as m on m.measure = c.measure
    inner join unit_years as uy
        on uy.unit_code = c.unit_code and uy.fiscal_year = c.fiscal_year - 1
    left join {{ ref('audit_report_cells') }} as r
        on r.unit_code = c.unit_code
        and r.fiscal_year = c.fiscal_year - 1
        and {{ measure_matches_cell('m', 'r') }}
    where m.row_key <> 'subject'
    group by all
),

n007 as (
    select
        'N007' as rule_id, c.*,
        case c.direction when '减少' then -c.change_amount when '持平' then 0 else c.change_amount end
            as printed_amount,
        c.level_amount - p.last_year_amount as expected_amount,
        case
            when c.level_amount is null then 'insufficient_data'
            when abs(coalesce(case c.direction when '减少' then -c.change_amount when '持平' then 0
                else c.change_amount end, 0) - (c.level_amount - p.last_year_amount)) = 0 then 'pass'
            when abs(coalesce(case c.direction when '减少' then -c.change_amount when '持平' then 0
                else c.change_amount end, 0) - (c.level_amount - p.last_year_amount)) <= {{ rounding_band(2) }}
                then 'rounding'
            else 'fail'
        end as outcome,
        '写“' || c.label || c.direction || coalesce(c.change_amount::string || '万元', '') || '”；本年'
            || coalesce(c.level_amount::string, '?') || '万元，' || (c.fiscal_year - 1) || '年度决算'
            || p.last_year_amount || '万元，实际' || case when c.level_amount >= p.last_year_amount then '增加' else '减少' end
            || abs(c.level_amount - p.last_year_amount) || '万元' as detail_zh
    from all_changes as c
    inner join previous_cells as p
        on p.unit_code = c.unit_code and p.fiscal_year = c.fiscal_year and p.claim_no = c.claim_no
),

---------- N005: budget execution

n005 as (
    select
        'N005' as rule_id, *,
        percent as printed_percent,
        case when base_amount <> 0 then {{ round_to("100.0 * amount / base_amount", "coalesce(percent_decimals, 2) + 2") }} end
            as expected_percent,
        case
            when direction = '小于' and not amount < base_amount then 'fail'
            when direction = '大于' and not amount > base_amount then 'fail'
            when direction in ('等于', '持平') and amount <> base_amount then 'fail'
            when percent is null then 'pass'
            when base_amount = 0 then 'fail'
            when abs(percent - 100.0 * amount / base_amount)
                <= percent_half_unit + 100.0 * amount / base_amount
                    * (coalesce(amount_half_unit / nullif(amount, 0), 0) + base_half_unit / base_amount) + 1e-9 then 'pass'
            else 'fail'
        end as outcome,
        '年初预算' || base_amount || '万元，决算' || amount || '万元'
            || case when percent is not null then '，写完成' || {{ as_printed('percent', 'percent_decimals') }} || '%，计算为 '
                || coalesce(cast({{ round_to("100.0 * amount / nullif(base_amount, 0)", "coalesce(percent_decimals, 2) + 2") }}
                    as string), '（预算为0）') || '%' else '' end
            || case when direction is not null then '，写“决算数' || direction || '预算数”' else '' end as detail_zh
    from bound
    where claim_kind = 'execution' and (percent is not null or direction in ('小于', '大于', '等于', '持平'))
),

---------- N006: 政府采购

n006 as (
    select
        'N006' as rule_id, *,
        amount as printed_amount,
        base_amount as expected_amount,
        case
            when claim_kind = 'within' then case when amount <= base_amount then 'pass' else 'fail' end
            when amount = base_amount then 'pass'
            when abs(amount - base_amount) <= {{ rounding_band('terms + 1') }} then 'rounding'
            else 'fail'
        end as outcome,
        case claim_kind
            when 'within' then '“' || label || '”' || amount || '万元，政府采购总额' || base_amount || '万元'
            else '政府采购总额' || amount || '万元，' || terms || '个分项合计' || base_amount || '万元，相差 '
                || abs(amount - base_amount)
        end as detail_zh
    from bound
    where claim_kind in ('parts', 'within')
),

---------- N008: a share without its % sign

n008 as (
    select
        'N008' as rule_id, *,
        'fail' as outcome,
        '写“' || label || '”，占比缺少%符号' as detail_zh
    from bound
    where claim_kind = 'bare_percent'
)
{%- endset -%}
{{ ctes }},

all_checks as (
    {{ union_all_by_name(['select * from n001', 'select * from n002', 'select * from n003', 'select * from n004', 'select * from n005', 'select * from n006', 'select * from n007', 'select * from n008'], ctes) }}
),

final as (
    select
        ---------- the check
        rule_id,
        unit_code,
        fiscal_year,
        -- the rule, where the sentence stands and what the figure is: stable across imports of one document
        rule_id || ' 第' || page || '页第' || line || '行 ' || coalesce(nullif(left(label, 24), ''), claim_kind)
            || case when count(*) over (partition by unit_code, fiscal_year, rule_id, page, line, label) > 1
                then ' #' || row_number() over (partition by unit_code, fiscal_year, rule_id, page, line, label
                    order by claim_no) else '' end as check_key,
        outcome,

        ---------- the sentence
        claim_no,
        section,
        label,
        sentence,
        page,
        line,
        source_document,

        ---------- what it says and what it should say
        cast(printed_amount as decimal(18, 2)) as printed_amount,
        cast(expected_amount as decimal(18, 2)) as expected_amount,
        cast(printed_amount - expected_amount as decimal(18, 2)) as difference,
        cast(printed_percent as decimal(9, 4)) as printed_percent,
        cast(expected_percent as decimal(18, 4)) as expected_percent,
        percent_decimals,
        table_no,
        cell_label,
        detail_zh
    from all_checks
)

select * from final
