{#- Reconciliation rule of kind `equation`: for every unit-year, evaluates each equation of the rule
    (seed ref_reconciliation_equations, terms in ref_reconciliation_terms) on the printed cells, and returns
    only the failing ones: which unit, year, equation, subject, row and column, the actual (lhs) and expected
    (rhs) amounts and their difference. Tolerance: exact (var('reconciliation_tolerance'), 0 by default), or the rounding band
    of the check's figures for a unit-year entered in 元 (entered_tolerance).

    match_subject  the identity holds subject by subject (rows joined on subject_code)
    per_column     the identity holds column by column for terms that name no column
    per_row        the identity holds printed row by printed row (e.g. 合计栏 = Σ 组成栏) -#}
{% test reconcile_equations(model, rule_id) %}

with

rules as (
    select * from {{ ref('stg_reconciliation_rules') }}
    where rule_id = '{{ rule_id }}'
),

equations as (
    select * from {{ ref('stg_reconciliation_equations') }}
    where rule_id = '{{ rule_id }}'
),

terms as (
    select * from {{ ref('stg_reconciliation_terms') }}
),

-- not materialized: read twice (terms that name a column, terms that do not), DuckDB would otherwise copy
-- every cell into a CTE first; unmaterialized, each read gets the terms' tables and columns as join filters
-- and skips the other tables' row groups (R005 reads 25 of 422 at 300k unit-years)
cells as {{ not_materialized() }} (
    {{ entered_cells(model) }}
),

matched as (
    {{ equation_term_cells('cells', extra=['rounded_cells']) }}
),

sides as (
    select
        template_version, unit_code, fiscal_year, equation_id, subject_key, column_key,
        row_table, row_side, row_line,
        coalesce(sum(amount) filter (where term_side = 'lhs'), 0) as actual_amount,
        coalesce(sum(amount) filter (where term_side = 'rhs'), 0) as expected_amount,
        bool_or(rounded_cells) as rounded_cells,
        count(*) as figures
    from matched
    group by all
),

failing as (
    select s.*, e.description
    from sides as s
    inner join equations as e
        on e.template_version = s.template_version
        and e.equation_id = s.equation_id
    where case e.relation
        when '=' then abs(s.actual_amount - s.expected_amount) > {{ entered_tolerance('s.rounded_cells', 's.figures') }}
        when '<=' then s.actual_amount - s.expected_amount > {{ entered_tolerance('s.rounded_cells', 's.figures') }}
    end
),

-- the printed cells behind each failure, zeros included (audit_report_cells has no zero cells): the report rows
-- of the failing unit-years only, matched to the terms again
failing_cells as (
    {{ printed_cells('(' ~ report_rows_of('failing') ~ ')') }}
),

failing_matched as (
    {{ equation_term_cells('failing_cells', with_amount=false) }}
),

labels as (
    select
        f.template_version, f.unit_code, f.fiscal_year, f.equation_id, f.subject_key, f.column_key,
        f.row_table, f.row_side, f.row_line,
        {{ ordered_string_agg('m.cell_label', '; ', 'm.cell_label', distinct=true, filter="m.term_side = 'lhs'") }} as actual_cells,
        {{ ordered_string_agg('m.cell_label', '; ', 'm.cell_label', distinct=true, filter="m.term_side = 'rhs'") }} as expected_cells
    from failing as f
    inner join (
        -- a cell named as its layout prints the table (表6 in a Shanghai report, 公开06表 in a national one)
        select
            fm.*,
            coalesce(rt.printed_table_no, '公开' || fm.table_code || '表') || ' 行' || fm.line_no
                || case when fm.item_name <> '' then ' ' || fm.item_name else '' end
                || ' [' || fm.column_name || ']' as cell_label
        from failing_matched as fm
        left join {{ ref('stg_report_tables') }} as rt
            on rt.template_version = fm.template_version
            and rt.table_code = fm.table_code
    ) as m
        on {{ equation_group_matches('m', 'f') }}
    group by all
),

failures as (
    select
        r.rule_id,
        r.severity,
        r.message_zh,
        f.unit_code,
        f.fiscal_year,
        f.equation_id,
        f.description as equation,
        f.subject_key as subject_code,
        f.column_key as column_name,
        l.actual_cells,
        l.expected_cells,
        {{ failure_amounts('f') }}
    from failing as f
    left join labels as l
        on {{ equation_group_matches('l', 'f') }}
    cross join rules as r
)

select * from failures
order by unit_code, fiscal_year, equation_id, subject_code, column_name

{% endtest %}


{#- The key of one evaluated equation (unit-year, equation, and the subject/column/row it is applied to). -#}
{% macro equation_group_matches(left, right) -%}
    {%- for key in ['template_version', 'unit_code', 'fiscal_year', 'equation_id'] -%}
        {{ left }}.{{ key }} = {{ right }}.{{ key }} and
    {% endfor -%}
    {%- for key in ['subject_key', 'column_key', 'row_table', 'row_side', 'row_line'] -%}
        {{ left }}.{{ key }} is not distinct from {{ right }}.{{ key }}{{ ' and' if not loop.last }}
    {% endfor -%}
{%- endmacro %}



{#- The cells a rule's terms take (ref_reconciliation_terms joined to its equations, CTEs `equations` and
    `terms`), with the key of the evaluated equation group each cell counts in; with_amount adds the signed
    amount (sign × cell amount), without it the cell's table, 行次 and printed name. Used for the sums (on
    audit_report_cells, which has no names) and for the failures' labels (on the printed cells of failing
    unit-years, zeros included). Terms that name a column and terms that do not are
    joined separately, so that the column is part of the hash join's key where a term names one. `extra`: more
    columns of the cells passed through (the audit of printed figures: state, page, label). -#}
{% macro equation_term_cells(cells, with_amount=true, extra=[]) -%}
    {%- for names_column in [true, false] %}
    select
        c.template_version,
        c.unit_code,
        c.fiscal_year,
        e.equation_id,
        case when e.match_subject then c.subject_code end as subject_key,
        case when e.per_column then c.column_name end as column_key,
        case when e.per_row then c.table_code end as row_table,
        case when e.per_row then c.side end as row_side,
        case when e.per_row then c.line_no end as row_line,
        t.side as term_side,
        {%- if with_amount %}
        t.sign * c.amount as amount,
        {%- else %}
        c.table_code,
        c.line_no,
        c.item_name,
        {%- endif %}
        {%- for column in extra %}
        c.{{ column }},
        {%- endfor %}
        c.column_name
    from equations as e
    inner join terms as t
        on t.template_version = e.template_version
        and t.equation_id = e.equation_id
    inner join {{ cells }} as c
        on c.template_version = t.template_version
        {%- if names_column %}
        and c.column_name = t.column_name
        {%- endif %}
        and {{ term_matches_cell('t', 'c') }}
    where t.column_name is {{ 'not ' if names_column }}null
    {{- '\n    union all' if names_column }}
    {%- endfor %}
{%- endmacro %}
