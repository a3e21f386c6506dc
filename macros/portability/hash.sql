{#- A 64-bit hash of the arguments: the surrogate keys of cells and signatures and the unit-year fingerprints. Each
    engine's own fast hash (DuckDB hash(): ubigint; Spark xxhash64(): bigint); the values differ between engines, so
    they join within one warehouse and are never compared across engines. Contracts type them
    "{{ 'bigint' if target.type == 'spark' else 'ubigint' }}" (YAML cannot call a macro). -#}
{% macro juesuan_hash(args) -%}{{ return(adapter.dispatch('juesuan_hash', 'juesuan')(args)) }}{%- endmacro %}
{% macro default__juesuan_hash(args) -%}hash({{ args }}){%- endmacro %}
{% macro spark__juesuan_hash(args) -%}xxhash64({{ args }}){%- endmacro %}


{#- The hash of one whole row of `alias` with a label (which input it came from): the unit-year fingerprints. -#}
{% macro juesuan_row_hash(label, alias) -%}
    {{ return(adapter.dispatch('juesuan_row_hash', 'juesuan')(label, alias)) }}
{%- endmacro %}
{% macro default__juesuan_row_hash(label, alias) -%}hash('{{ label }}', {{ alias }}){%- endmacro %}
{% macro spark__juesuan_row_hash(label, alias) -%}xxhash64('{{ label }}', {{ alias }}.*){%- endmacro %}

{#- An integer type wide enough to sum hashes over every row of a warehouse without overflow. -#}
{% macro juesuan_wide_int() -%}{{ return(adapter.dispatch('juesuan_wide_int', 'juesuan')()) }}{%- endmacro %}
{% macro default__juesuan_wide_int() -%}hugeint{%- endmacro %}
{% macro spark__juesuan_wide_int() -%}decimal(38, 0){%- endmacro %}
