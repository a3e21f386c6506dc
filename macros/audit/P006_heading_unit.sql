{#- P006 (registry: ref_reconciliation_rules): a table's heading that names a unit (单位：…, 编制单位：…) names
    the cover's unit (a heading copied from another unit's report, or a template's XX局). A heading without a
    unit is not checked. Returns the tables whose heading names another unit. -#}
{% macro audit_rule_P006() -%}
    select
        'P006' as rule_id,
        pt.unit_code,
        pt.fiscal_year,
        'P006 ' || coalesce(pt.printed_table_no, pt.table_no) as finding_key,
        pt.table_code,
        coalesce(pt.printed_table_no, pt.table_no) as table_no,
        pt.first_page as page,
        pt.heading_unit as printed_value,
        pt.cover_unit as expected_value,
        coalesce(pt.printed_table_no, pt.table_no) || '（' || pt.printed_title || '）表头单位印为“' || pt.heading_unit
            || '”，封面为“' || pt.cover_unit || '”' as detail_zh,
        pt.source_document
    from {{ ref('stg_printed_tables') }} as pt
    where pt.heading_unit is not null
        and pt.cover_unit is not null
        and {{ comparable_name('pt.heading_unit') }} <> {{ comparable_name('pt.cover_unit') }}
{%- endmacro %}
