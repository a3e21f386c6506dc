{#- P002 (registry: ref_reconciliation_rules): a table's heading names the report's year (the cover's). A
    heading without a year is not checked. Returns the tables whose heading names another year. -#}
{% macro audit_rule_P002() -%}
    select
        'P002' as rule_id,
        pt.unit_code,
        pt.fiscal_year,
        'P002 ' || coalesce(pt.printed_table_no, pt.table_no) as finding_key,
        pt.table_code,
        coalesce(pt.printed_table_no, pt.table_no) as table_no,
        pt.first_page as page,
        cast(pt.heading_year as varchar) as printed_value,
        cast(pt.fiscal_year as varchar) as expected_value,
        coalesce(pt.printed_table_no, pt.table_no) || '（' || pt.printed_title || '）表头年度印为' || pt.heading_year
            || '年，报告为' || pt.fiscal_year || '年度决算' as detail_zh,
        pt.source_document
    from {{ ref('stg_printed_tables') }} as pt
    where pt.heading_year is not null
        and pt.heading_year <> pt.fiscal_year
{%- endmacro %}
