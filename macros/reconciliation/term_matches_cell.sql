{#- A reconciliation term (ref_reconciliation_terms) takes a printed cell (of audit_report_cells, or
    of printed_cells() for labels) when the cell is
    in the term's table and every selector the term sets (column, row key, subject, level, row group) holds;
    an empty selector takes any value. Shared by reconcile_equations and the vacuous-term check. -#}
{% macro term_matches_cell(term, cell) -%}
    {{ cell }}.table_code = {{ term }}.table_code
    and ({{ term }}.column_name is null or {{ cell }}.column_name = {{ term }}.column_name)
    and ({{ term }}.row_key is null or {{ cell }}.row_key = {{ term }}.row_key)
    and ({{ term }}.subject_code is null or {{ cell }}.subject_code = {{ term }}.subject_code)
    and ({{ term }}.subject_level is null or {{ cell }}.subject_level = {{ term }}.subject_level)
    and ({{ term }}.row_group is null or {{ cell }}.row_group = {{ term }}.row_group)
{%- endmacro %}
