{#- Shares in percent, rounded to `decimals` places so that every breakdown sums to exactly 100
    (largest remainder / Hamilton method), as the published narratives do: 84.3 + 4.4 + 3.4 + 7.9 = 100.0
    where plain rounding would give 4.5 for 69.23 / 1553.97. Ties go to the larger amount, then `tie_breaker`.

    Exact in integers, the same on every engine: an amount with `scale` decimals (万元 as printed: 2) is a whole
    number of 0.01 万元; its share in units of 0.1 % is numerator / total with numerator = amount × 1000, the
    floor of that quotient is exact in IEEE double (numerator < 2^53), and the remainder numerator − floor × total is
    an exact integer, compared within a partition (one total) without division. (Dividing decimals gives DuckDB a
    double and Spark a decimal: remainders that tie exactly, 63.41 and 890.18 of 1085.00, were broken by the
    double's last bit on DuckDB and by the amount on Spark.)

    Selects every column of `relation` plus `share_pct` (DECIMAL(5, decimals)); a partition whose total is
    0 gets NULL shares. -#}
{% macro largest_remainder_shares(relation, partition_by, amount='amount', tie_breaker='item_code', decimals=1,
                                  scale=2) -%}
    {%- set partition = partition_by | join(', ') -%}
    {%- set units = 100 * (10 ** decimals) -%}
    {%- set whole = 'cast(' ~ amount ~ ' * ' ~ (10 ** scale) ~ ' as bigint)' -%}
    select
        {{ star_except(none, ['share_numerator', 'share_total', 'floor_units', 'remainder_numerator', 'remainder_rank',
                              'missing_units']) }},
        case when missing_units is null then null
            else cast((floor_units + case when remainder_rank <= missing_units then 1 else 0 end)
                / {{ 10 ** decimals }} as decimal(5, {{ decimals }}))
        end as share_pct
    from (
        select
            *,
            row_number() over (
                partition by {{ partition }}
                order by remainder_numerator desc, {{ amount }} desc, {{ tie_breaker }}
            ) as remainder_rank,
            {{ units }} - sum(floor_units) over (partition by {{ partition }}) as missing_units
        from (
            select *, share_numerator - floor_units * share_total as remainder_numerator
            from (
                select *, cast(floor(share_numerator / share_total) as bigint) as floor_units
                from (
                    select
                        *,
                        {{ whole }} * {{ units }} as share_numerator,
                        nullif(sum({{ whole }}) over (partition by {{ partition }}), 0) as share_total
                    from {{ relation }}
                )
            )
        )
    )
{%- endmacro %}
