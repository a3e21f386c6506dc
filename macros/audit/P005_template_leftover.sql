{#- P005 (registry: ref_reconciliation_rules): nothing the template left for the unit to fill in is printed: a
    placeholder (XX局, ××) in a table's title or heading unit, or a placeholder or template alternative (下降（增长）,
    增加（减少）) in the narrative (stg_narrative_claims of kind template_text). Returns each one. -#}
{% macro audit_rule_P005() -%}
    {%- set in_narrative -%}
    select
        'P005' as rule_id,
        'fail' as outcome,
        n.unit_code,
        n.fiscal_year,
        -- where the sentence stands and what it keeps (stable across imports of one document, like the N rules)
        'P005 第' || n.page || '页第' || n.line || '行 ' || n.label as finding_key,
        '情况说明' as table_no,
        n.page,
        n.label as printed_value,
        '情况说明第' || n.page || '页（' || n.section || '）留有“' || n.label || '”：' || left(n.sentence, 80) as detail_zh,
        n.source_document
    from {{ ref('stg_narrative_claims') }} as n
    where n.claim_kind = 'template_text'
    {%- endset %}
    {%- set in_headings -%}
    select
        {{ finding_at_table('P005', 'pt') }},
        'fail' as outcome,
        pt.printed_title || coalesce('（单位：' || pt.heading_unit || '）', '') as printed_value,
        coalesce(pt.printed_table_no, pt.table_no) || '表头留有模板占位：' || pt.printed_title
            || coalesce('，单位：' || pt.heading_unit, '') as detail_zh
    from {{ ref('stg_printed_tables') }} as pt
    where {{ matches_pattern("pt.printed_title || ' ' || coalesce(pt.heading_unit, '')", "'[XＸ×]{2,}'") }}
    {%- endset %}
    {{ union_all_by_name([in_narrative, in_headings]) }}
{%- endmacro %}


{#- What P005 looks at: every table's heading and every sentence of the narrative. -#}
{% macro audit_scope_P005() -%}
    {%- set examined -%}
        select unit_code, fiscal_year from {{ ref('stg_printed_tables') }}
        union all
        select unit_code, fiscal_year from {{ ref('stg_narrative_claims') }}
    {%- endset -%}
    {{ audit_scope('P005', examined, '报告中无表头与情况说明') }}
{%- endmacro %}
