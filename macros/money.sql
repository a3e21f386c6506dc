{#- The one place where amounts get their unit and type. Every amount a table prints is 万元 as DECIMAL(18,2);
    an input in 元 is converted here exactly (× 0.0001, a decimal product: never a float) and rounded half away
    from zero to 分 of 万元. -#}
{% macro money(expr, unit='万元') -%}
    {%- if unit == '万元' -%}
        cast(round(cast({{ expr }} as decimal(38, 6)), 2) as decimal(18, 2))
    {%- elif unit == '元' -%}
        cast({{ exact_wan_yuan(expr, "'元'") }} as decimal(18, 2))
    {%- else -%}
        {{ exceptions.raise_compiler_error("money(): unknown unit '" ~ unit ~ "', expected 万元 or 元") }}
    {%- endif -%}
{%- endmacro %}


{#- A leaf fact in 万元, exactly, whatever unit it was entered in (`unit_expr`: a SQL expression giving 万元 or 元,
    e.g. the unit-year's amount_unit): DECIMAL(18,6), six decimals of 万元 being 分 of 元. Facts are summed in
    this type and only a printed figure is rounded (cast to DECIMAL(18,2), which rounds half away from zero), so
    a unit-year entered in 元 prints each cell as the official software does, 尾数误差 included; one entered in
    万元 has two decimals and prints its sums unchanged. -#}
{% macro exact_wan_yuan(expr, unit_expr) -%}
    case when {{ unit_expr }} = '元'
        then cast(cast({{ expr }} as decimal(18, 2)) * cast(0.0001 as decimal(18, 4)) as decimal(18, 6))
        else cast({{ expr }} as decimal(18, 6))
    end
{%- endmacro %}


{#- 尾数误差: how far a check of `printed_figures` printed figures may be off when every figure is rounded to
    分 of 万元 on its own: half of 0.01 万元 for each (a total and its n terms: 0.005 × (n + 1)). The one place the
    audit's rounding band is defined. -#}
{% macro rounding_band(printed_figures) -%}
    cast(0.005 * ({{ printed_figures }}) as decimal(18, 3))
{%- endmacro %}


{#- The amount columns of a core leaf-fact mart, from a staging amount `expr` (as entered) and its unit-year's
    amount_unit (`unit_years`, joined by join_amount_unit): amount in 万元 as printed (entered, or rounded from
    元), amount_yuan exactly, and the unit it was entered in. Sum amount_yuan and round once for a figure that
    agrees with the printed tables of a unit-year entered in 元. -#}
{% macro leaf_amount_columns(expr, unit_years='uy') -%}
        ---------- amounts: 万元 as printed (DECIMAL(18,2)), 元 exactly, and the unit the leaf was entered in
        cast({{ exact_wan_yuan(expr, unit_years ~ '.amount_unit') }} as decimal(18, 2)) as amount,
        cast({{ exact_wan_yuan(expr, unit_years ~ '.amount_unit') }} * 10000 as decimal(20, 2)) as amount_yuan,
        {{ unit_years }}.amount_unit
{%- endmacro %}


{#- The join that gives a leaf fact (`alias`) its unit-year's amount_unit, as `uy`. -#}
{% macro join_amount_unit(alias) -%}
    left join {{ ref('stg_unit_years') }} as uy
        on uy.unit_code = {{ alias }}.unit_code
        and uy.fiscal_year = {{ alias }}.fiscal_year
{%- endmacro %}
