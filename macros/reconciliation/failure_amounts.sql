{#- The amount columns every reconciliation failure ends with, from a relation `alias` that has
    actual_amount and expected_amount: both as DECIMAL(18, 2) 万元, and their difference (actual − expected). -#}
{% macro failure_amounts(alias) -%}
        cast({{ alias }}.actual_amount as decimal(18, 2)) as actual_amount,
        cast({{ alias }}.expected_amount as decimal(18, 2)) as expected_amount,
        cast({{ alias }}.actual_amount - {{ alias }}.expected_amount as decimal(18, 2)) as difference
{%- endmacro %}
