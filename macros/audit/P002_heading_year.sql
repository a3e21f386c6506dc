{#- P002 (registry: ref_reconciliation_rules): a table's heading names the report's year (the cover's). A
    heading without a year is not checked. Returns the tables whose heading names another year. -#}
{% macro audit_rule_P002() -%}
    select
        {{ finding_at_table('P002', 'pt') }},
        'fail' as outcome,
        cast(pt.heading_year as string) as printed_value,
        cast(pt.fiscal_year as string) as expected_value,
        coalesce(pt.printed_table_no, pt.table_no) || '（' || pt.printed_title || '）表头年度印为' || pt.heading_year
            || '年，报告为' || pt.fiscal_year || '年度决算' as detail_zh
    from {{ ref('stg_printed_tables') }} as pt
    where pt.heading_year is not null
        and pt.heading_year <> pt.fiscal_year
{%- endmacro %}


{#- What P002 looks at: the headings that print a year. -#}
{% macro audit_scope_P002() -%}
    {%- set examined -%}
        select unit_code, fiscal_year from {{ ref('stg_printed_tables') }}
        where heading_year is not null
    {%- endset -%}
    {{ audit_scope('P002', examined, '表头未印年度') }}
{%- endmacro %}
