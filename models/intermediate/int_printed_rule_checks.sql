-- Every check the registry's arithmetic rules make on the figures of imported reports as printed: one row per
-- evaluated group (a parent subject and column for the hierarchy rules; an equation and its
-- subject, column or row for the equation rules), passed or not, with both sides' sums, the printed cells on
-- each side and the outcome:
--   pass              the two sides agree exactly (for ≤ rules: the left is not above the right)
--   rounding          they differ within the rounding band (macro rounding_band: 0.005 万元 for every printed
--                     figure in the check); 尾数误差 of cells rounded on their own
--   fail              they differ beyond it
--   insufficient_data a cell of the check could not be read
-- A group whose cells are all blank (or dashes) prints nothing to check and is left out. The findings mart
-- lists what is not a pass; the checklist counts every outcome, so "no finding" never hides "not checked".
{#- what every term keeps of its cell besides keys and amount -#}
{%- set cell_columns = ['table_code', 'table_no', 'line_no', 'printed_line_no', 'item_name', 'subject_code',
                        'subject_level',
                        'column_header', 'cell_state', 'cell_name', 'cell_label', 'page', 'source_document'] %}
{% set ctes -%}
with

cells as {{ not_materialized() }} (
    select * from {{ ref('int_printed_rule_cells') }}
),

rules as (
    select * from {{ ref('stg_reconciliation_rules') }}
),

equations as (
    select * from {{ ref('stg_reconciliation_equations') }}
),

terms as (
    select * from {{ ref('stg_reconciliation_terms') }}
),

---------- the hierarchy rules (check_kind subject_hierarchy): a parent row as printed against its printed
---------- child rows, column by column, in the tables and classification the registry names for the rule

roles as (
    {%- for dimension in ['function', 'economic'] %}
    select '{{ dimension }}' as subject_dimension, * from ({{ subject_hierarchy_roles(dimension) }})
    {{- '\n    union all' if not loop.last }}
    {%- endfor %}
),

hierarchy_rules as (
    -- 表1/表4 print 类 rows without their 款/项: a rule checks only the tables it names
    select rule_id, subject_dimension, {{ unnest_list(split_list('table_codes', ',')) }} as table_code
    from rules
    where check_kind = 'subject_hierarchy'
),

hierarchy_terms as (
    select
        h.rule_id,
        c.template_version,
        c.unit_code,
        c.fiscal_year,
        cast(null as string) as equation_id,
        c.table_code || ' ' || r.parent_code || ' ' || c.column_name as check_key,
        r.parent_code as subject_key,
        c.column_name as column_key,
        case when r.is_parent then 'lhs' else 'rhs' end as term_side,
        c.amount,
        {%- for column in cell_columns %}
        c.{{ column }},
        {%- endfor %}
        c.column_name
    from cells as c
    inner join hierarchy_rules as h
        on h.subject_dimension = c.subject_dimension
        and h.table_code = c.table_code
    inner join roles as r
        on r.subject_dimension = c.subject_dimension
        and r.subject_code = c.subject_code
),

---------- the equation rules (ref_reconciliation_equations / _terms), on the printed cells

equation_terms as (
    select
        e.rule_id,
        m.template_version,
        m.unit_code,
        m.fiscal_year,
        m.equation_id,
        m.equation_id
            || coalesce(' ' || m.subject_key, '') || coalesce(' ' || m.column_key, '')
            || coalesce(' ' || m.row_table || coalesce(m.row_side, '') || m.row_line, '') as check_key,
        m.subject_key,
        m.column_key,
        m.term_side,
        m.amount,
        {%- for column in cell_columns %}
        m.{{ column }},
        {%- endfor %}
        m.column_name
    from (
        {{ equation_term_cells('cells', extra=cell_columns) }}
    ) as m
    inner join equations as e
        on e.template_version = m.template_version
        and e.equation_id = m.equation_id
)
{%- endset -%}
{{ ctes }},

all_terms as (
    {{ union_all_by_name(['select * from hierarchy_terms', 'select * from equation_terms'], ctes) }}
),

---------- one row per check

checks as (
    select
        rule_id,
        template_version,
        unit_code,
        fiscal_year,
        check_key,
        any_value(equation_id) as equation_id,
        any_value(subject_key) as subject_key,
        any_value(column_key) as column_key,

        ---------- the two sides (万元)
        coalesce(sum(amount) filter (where term_side = 'lhs'), 0) as actual_amount,
        coalesce(sum(amount) filter (where term_side = 'rhs'), 0) as expected_amount,
        count(*) filter (where cell_state = 'number') as printed_terms,
        count(*) filter (where cell_state = 'unreadable') as unreadable_terms,

        ---------- the checked figure: the (first) cell on the left, as printed
        -- (a left side its table does not print at all: where the right side stands)
        coalesce(min_by(table_code, line_no) filter (where term_side = 'lhs'),
            min_by(table_code, line_no) filter (where term_side = 'rhs')) as table_code,
        coalesce(min_by(table_no, line_no) filter (where term_side = 'lhs'),
            min_by(table_no, line_no) filter (where term_side = 'rhs')) as table_no,
        coalesce(min_by(page, line_no) filter (where term_side = 'lhs'),
            min_by(page, line_no) filter (where term_side = 'rhs')) as page,
        min_by(printed_line_no, line_no) filter (where term_side = 'lhs') as printed_line_no,
        min_by(item_name, line_no) filter (where term_side = 'lhs') as row_label,
        min_by(subject_code, line_no) filter (where term_side = 'lhs') as subject_code,
        min_by(subject_level, line_no) filter (where term_side = 'lhs') as subject_level,
        min_by(column_name, line_no) filter (where term_side = 'lhs') as column_name,
        min_by(column_header, line_no) filter (where term_side = 'lhs') as column_header,
        any_value(source_document) as source_document,
        count(*) filter (where term_side = 'lhs') as lhs_cells,
        count(*) filter (where term_side = 'lhs' and cell_state in ('number', 'dash', 'unreadable')) as lhs_printed,

        ---------- the cells on each side (blank cells, 0 to the sums, are counted, not listed)
        {{ ordered_string_agg('cell_label', '; ', 'table_code, line_no, column_name') }}
            filter (where term_side = 'lhs' and cell_state <> 'blank') as actual_cells,
        {{ ordered_string_agg('cell_label', '; ', 'table_code, line_no, column_name') }}
            filter (where term_side = 'rhs' and cell_state <> 'blank') as expected_cells,
        -- the right side named in a sentence: its one cell, else how many it adds
        case when count(*) filter (where term_side = 'rhs') = 1
            then any_value(cell_name) filter (where term_side = 'rhs') end as expected_cell_name,
        count(*) filter (where term_side = 'rhs' and cell_state = 'blank') as blank_terms

    from all_terms
    group by all
    having count(*) filter (where cell_state in ('number', 'unreadable')) > 0
),

judged as (
    select
        c.*,
        e.relation,
        coalesce(e.description,
            c.table_code || ' ' || c.subject_key || ' = Σ 下级科目 [' || c.column_key || ']') as equation,
        case when c.unreadable_terms = 0
            then cast(c.actual_amount - c.expected_amount as decimal(18, 2)) end as difference,
        -- the rounding band: 0.005 万元 for every printed figure in the check
        {{ rounding_band('c.printed_terms') }} as rounding_band,
        case
            when c.unreadable_terms > 0 then 'insufficient_data'
            when coalesce(e.relation, '=') = '<=' and c.actual_amount <= c.expected_amount then 'pass'
            when c.actual_amount = c.expected_amount then 'pass'
            when coalesce(e.relation, '=') = '<='
                and c.actual_amount - c.expected_amount <= {{ rounding_band('c.printed_terms') }} then 'rounding'
            when abs(c.actual_amount - c.expected_amount) <= {{ rounding_band('c.printed_terms') }} then 'rounding'
            else 'fail'
        end as outcome
    from checks as c
    left join equations as e
        on e.template_version = c.template_version
        and e.equation_id = c.equation_id
)

select * from judged
