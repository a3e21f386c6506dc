{#- numerator / denominator in percent, rounded half away from zero to `decimals` places, in exact integer
    arithmetic on 分 (DuckDB divides DECIMALs as DOUBLE, which can round x.x5 the wrong way). NULL when the
    denominator is 0 or NULL. Both arguments are amounts with at most two decimals (万元). -#}
{% macro percent(numerator, denominator, decimals=1) -%}
    {%- set scale = 100 * (10 ** decimals) -%}
    {%- set fen_n = 'cast(round((' ~ numerator ~ ') * 100) as ' ~ juesuan_wide_int() ~ ')' -%}
    {%- set fen_d = 'cast(round((' ~ denominator ~ ') * 100) as ' ~ juesuan_wide_int() ~ ')' -%}
    cast(case when coalesce(({{ denominator }}), 0) = 0 then null else
        cast(
            case when ({{ fen_n }} < 0) <> ({{ fen_d }} < 0) then -1 else 1 end
            * {{ int_div('2 * abs(' ~ fen_n ~ ') * ' ~ scale ~ ' + abs(' ~ fen_d ~ ')', '2 * abs(' ~ fen_d ~ ')') }}
            as decimal(18, 0)
        ) * cast('{{ '%.*f' % (decimals, 10 ** -decimals) }}' as decimal(18, {{ decimals }}))
    end as decimal(18, {{ decimals }}))
{%- endmacro %}


{#- a figure as the narrative printed it: `decimals` places (6.2万元, 9.1%, 1.94%), for messages -#}
{% macro as_printed(value, decimals) -%}
    printf('%.' || coalesce({{ decimals }}, 2) || 'f', cast({{ value }} as double))
{%- endmacro %}
