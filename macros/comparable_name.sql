{#- a name as compared: no whitespace, ASCII brackets (the prints use full-width ones) -#}
{%- macro comparable_name(column) -%}
replace(replace({{ regexp_replace_all(column, "'\s'", "''") }}, '（', '('), '）', ')')
{%- endmacro %}


{#- a subject's name as a narrative and a table both print it: comparable, without the 支出 a narrative may
    put before or after (类) — 科学技术(类)支出 and 科学技术支出 are one name -#}
{%- macro narrative_name(column) -%}
regexp_replace({{ comparable_name(column) }}, '支出$', '')
{%- endmacro %}
