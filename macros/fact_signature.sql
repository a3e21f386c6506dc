{#- The attributes a template filter can select a fact on, in one list: int_report_facts hashes them into
    signature_id and int_fact_signatures lists the distinct tuples, so the two can never disagree. -#}
{% macro fact_signature_attributes() -%}
    {%- do return(['measure', 'phase', 'subject_dimension', 'subject_code', 'fund_code', 'fund_group',
                   'source_code', 'expenditure_type', 'balance_kind', 'cost_type', 'sangong_item',
                   'sangong_group']) -%}
{%- endmacro %}
