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


{#- 尾数误差: how far a check of `printed_figures` printed figures may be off when every figure is rounded to
    分 of 万元 on its own: half of 0.01 万元 for each (a total and its n terms: 0.005 × (n + 1)). The one place the
    audit's rounding band is defined. -#}
{% macro rounding_band(printed_figures) -%}
    cast(0.005 * ({{ printed_figures }}) as decimal(18, 3))
{%- endmacro %}
