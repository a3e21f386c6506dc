{#- Shares in percent, rounded to `decimals` places so that every breakdown sums to exactly 100
    (largest remainder / Hamilton method), as the published narratives do: 84.3 + 4.4 + 3.4 + 7.9 = 100.0
    where plain rounding would give 4.5 for 69.23 / 1553.97. Ties go to the larger amount, then `tie_breaker`.

    Selects every column of `relation` plus `share_pct` (DECIMAL(5, decimals)); a partition whose total is
    0 gets NULL shares. -#}
{% macro largest_remainder_shares(relation, partition_by, amount='amount', tie_breaker='item_code', decimals=1) -%}
    {%- set partition = partition_by | join(', ') -%}
    {%- set units = 100 * (10 ** decimals) -%}
    select
        {{ star_except(none, ['raw_units', 'floor_units', 'remainder_rank', 'missing_units']) }},
        case when missing_units is null then null
            else cast((floor_units + case when remainder_rank <= missing_units then 1 else 0 end)
                / {{ 10 ** decimals }} as decimal(5, {{ decimals }}))
        end as share_pct
    from (
        select
            *,
            row_number() over (
                partition by {{ partition }}
                order by raw_units - floor_units desc, {{ amount }} desc, {{ tie_breaker }}
            ) as remainder_rank,
            {{ units }} - sum(floor_units) over (partition by {{ partition }}) as missing_units
        from (
            select
                *,
                cast({{ amount }} as decimal(38, 10)) * {{ units }}
                    / nullif(sum({{ amount }}) over (partition by {{ partition }}), 0) as raw_units,
                floor(cast({{ amount }} as decimal(38, 10)) * {{ units }}
                    / nullif(sum({{ amount }}) over (partition by {{ partition }}), 0)) as floor_units
            from {{ relation }}
        )
    )
{%- endmacro %}
