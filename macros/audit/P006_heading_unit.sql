{#- P006 (registry: ref_reconciliation_rules): a table's heading that names a unit (单位：…, 编制单位：…) names
    the cover's unit (a heading copied from another unit's report, or a template's XX局). A heading without a
    unit is not checked. Returns the tables whose heading names another unit. -#}
{% macro audit_rule_P006() -%}
    select
        {{ finding_at_table('P006', 'pt') }},
        'fail' as outcome,
        pt.heading_unit as printed_value,
        pt.cover_unit as expected_value,
        coalesce(pt.printed_table_no, pt.table_no) || '（' || pt.printed_title || '）表头单位印为“' || pt.heading_unit
            || '”，封面为“' || pt.cover_unit || '”' as detail_zh
    from {{ ref('stg_printed_tables') }} as pt
    where pt.heading_unit is not null
        and pt.cover_unit is not null
        and {{ comparable_name('pt.heading_unit') }} <> {{ comparable_name('pt.cover_unit') }}
{%- endmacro %}


{#- What P006 looks at: the headings that name a unit. -#}
{% macro audit_scope_P006() -%}
    {%- set examined -%}
        select unit_code, fiscal_year from {{ ref('stg_printed_tables') }}
        where heading_unit is not null and cover_unit is not null
    {%- endset -%}
    {{ audit_scope('P006', examined, '表头未印单位名称') }}
{%- endmacro %}
