{#- P004 (registry: ref_reconciliation_rules): every printed cell could be read. Returns each unreadable cell
    (the text as read is kept): what the audit could not check is listed, never passed over. -#}
{% macro audit_rule_P004() -%}
    select
        'P004' as rule_id,
        'insufficient_data' as outcome,
        {{ finding_at_cell('c') }},
        'P004 ' || c.table_no || ' ' || c.line_no || ' ' || c.column_name as finding_key,
        c.raw_text as printed_value,
        c.cell_name || '未能识读（读到“' || coalesce(c.raw_text, '') || '”），涉及此格的核对无法完成' as detail_zh
    from {{ ref('int_printed_rule_cells') }} as c
    where c.cell_state = 'unreadable'
{%- endmacro %}


{#- What P004 looks at: every printed cell. -#}
{% macro audit_scope_P004() -%}
    {%- set examined -%}
        select unit_code, fiscal_year from {{ ref('int_printed_rule_cells') }}
    {%- endset -%}
    {{ audit_scope('P004', examined, '报告中无印刷单元格') }}
{%- endmacro %}
