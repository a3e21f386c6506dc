{#- P001 (registry: ref_reconciliation_rules): every table the unit-year's layout has (ref_report_tables) is
    in the imported report (stg_printed_tables). Returns the missing tables. -#}
{% macro audit_rule_P001() -%}
    select
        'P001' as rule_id,
        'fail' as outcome,
        uy.unit_code,
        uy.fiscal_year,
        'P001 ' || rt.printed_table_no as finding_key,
        rt.table_code,
        rt.printed_table_no as table_no,
        '格式要求' || rt.printed_table_no || '（' || rt.title || '），报告中未找到此表' as detail_zh
    from {{ ref('stg_unit_years') }} as uy
    inner join {{ ref('stg_report_tables') }} as rt
        on rt.template_version = uy.template_version
    where uy.data_origin = 'imported'
        and not exists (
            select 1 from {{ ref('stg_printed_tables') }} as pt
            where pt.unit_code = uy.unit_code and pt.fiscal_year = uy.fiscal_year and pt.table_code = rt.table_code
        )
{%- endmacro %}


{#- What P001 looks at: every table of the layout. -#}
{% macro audit_scope_P001() -%}
    {%- set examined -%}
        select uy.unit_code, uy.fiscal_year
        from {{ ref('stg_unit_years') }} as uy
        inner join {{ ref('stg_report_tables') }} as rt on rt.template_version = uy.template_version
    {%- endset -%}
    {{ audit_scope('P001', examined, '格式未列表') }}
{%- endmacro %}
