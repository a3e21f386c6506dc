{#- a name as compared: no whitespace, ASCII brackets (the prints use full-width ones) -#}
{%- macro comparable_name(column) -%}
replace(replace(regexp_replace({{ column }}, '\s', '', 'g'), '（', '('), '）', ')')
{%- endmacro %}

