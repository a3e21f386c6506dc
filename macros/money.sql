{#- The one place where amounts get their unit and type. Every amount in the warehouse is 万元 as
    DECIMAL(18,2); an input in 元 is converted here (÷ 10000, rounded half away from zero to 分 of 万元). -#}
{% macro money(expr, unit='万元') -%}
    {%- if unit == '万元' -%}
        cast(round(cast({{ expr }} as decimal(38, 6)), 2) as decimal(18, 2))
    {%- elif unit == '元' -%}
        cast(round(cast({{ expr }} as decimal(38, 6)) / 10000, 2) as decimal(18, 2))
    {%- else -%}
        {{ exceptions.raise_compiler_error("money(): unknown unit '" ~ unit ~ "', expected 万元 or 元") }}
    {%- endif -%}
{%- endmacro %}
