{#- A template filter (row or column of a printed table) matches a leaf fact when every condition it sets
    holds; an empty condition matches any value. `fund` may name a funding source (GPB) or its group
    (FISCAL); `sangong_item` an item (RECEPTION) or its group (VEHICLE). A printed column that sets no
    phase shows 决算 (FINAL) facts: see int_template_column_signatures. -#}
{% macro filter_matches(flt, fact) -%}
    ({{ flt }}.measure is null or {{ flt }}.measure = {{ fact }}.measure)
    and ({{ flt }}.fund is null or {{ flt }}.fund in ({{ fact }}.fund_code, {{ fact }}.fund_group))
    and ({{ flt }}.source_code is null or {{ flt }}.source_code = {{ fact }}.source_code)
    and ({{ flt }}.expenditure_type is null or {{ flt }}.expenditure_type = {{ fact }}.expenditure_type)
    and ({{ flt }}.balance_kind is null or {{ flt }}.balance_kind = {{ fact }}.balance_kind)
    and ({{ flt }}.cost_type is null or {{ flt }}.cost_type = {{ fact }}.cost_type)
    and ({{ flt }}.sangong_item is null or {{ flt }}.sangong_item in ({{ fact }}.sangong_item, {{ fact }}.sangong_group))
    and ({{ flt }}.phase is null or {{ flt }}.phase = {{ fact }}.phase)
{%- endmacro %}


{#- A template column (ref_template_columns) is printed on a row when it sets no side, or the row's side: a
    two-sided table (公开01, 公开04) prints each of its columns on one side only. -#}
{% macro column_prints_on_row(column, row) -%}
    ({{ column }}.side is null or {{ column }}.side is not distinct from {{ row }}.side)
{%- endmacro %}
