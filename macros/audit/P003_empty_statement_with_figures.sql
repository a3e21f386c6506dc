{#- P003 (registry: ref_reconciliation_rules): a table that says it has no data (its statement, stg_printed_tables
    .empty_statement, says 本表无数据 or 空表) prints no figure other than 0.00. Returns each figure printed in
    such a table. A statement that only says the unit had no such expenditure (本单位无财政拨款"三公"经费支出)
    is not a claim that the table is empty: a 三公 budget may be printed beside a blank 决算数. (The other
    half, a table said to be empty while another table prints its figures, is the cross-table rules' work:
    R012/R013 find 表4's 政府性基金 or 国有资本经营 figures against an empty 公开07/08.) -#}
{% macro audit_rule_P003() -%}
    select
        'P003' as rule_id,
        'fail' as outcome,
        {{ finding_at_cell('c') }},
        'P003 ' || c.table_no || ' ' || c.line_no || ' ' || c.column_name as finding_key,
        c.amount as printed_amount,
        cast(0 as decimal(18, 2)) as expected_amount,
        c.amount as difference,
        c.table_no || '注明“' || pt.empty_statement || '”，但' || c.cell_name || '印有' || c.amount as detail_zh
    from {{ ref('int_printed_rule_cells') }} as c
    inner join {{ ref('stg_printed_tables') }} as pt
        on pt.unit_code = c.unit_code
        and pt.fiscal_year = c.fiscal_year
        and pt.table_code = c.table_code
    where {{ claims_empty_table('pt.empty_statement') }}
        and c.cell_state = 'number'
        and c.amount <> 0
{%- endmacro %}



{#- A table's statement claims the table is empty (本表无数据, 本表为空, 空表), not only that an expenditure was nil. -#}
{% macro claims_empty_table(statement) -%}
    coalesce({{ matches_pattern(statement, "'本表(无数据|为空)|空表'") }}, false)
{%- endmacro %}


{#- What P003 looks at: the tables that say they are empty. -#}
{% macro audit_scope_P003() -%}
    {%- set examined -%}
        select unit_code, fiscal_year from {{ ref('stg_printed_tables') }}
        where {{ claims_empty_table('empty_statement') }}
    {%- endset -%}
    {{ audit_scope('P003', examined, '无注明“本表无数据”的表') }}
{%- endmacro %}
