{#-
    The project's SQL runs on DuckDB and on Spark (dbt-spark). Where the two dialects differ, models and macros
    call one of these; each has a default (DuckDB) and a spark__ implementation (adapter.dispatch). Everything
    else is written in the SQL both accept (GROUP BY ALL, QUALIFY, FILTER (WHERE), `::` casts, `string` as the
    text type). tests/pytest/test_spark_portability.py parses every compiled model and test for Spark and names
    the DuckDB-only construct when one comes back.
-#}

{#- all columns of `alias` but `columns` (a list of names) -#}
{% macro star_except(alias, columns) -%}{{ return(adapter.dispatch('star_except', 'juesuan')(alias, columns)) }}{%- endmacro %}
{% macro default__star_except(alias, columns) -%}{{ alias ~ '.' if alias }}* exclude ({{ columns | join(', ') }}){%- endmacro %}
{% macro spark__star_except(alias, columns) -%}{{ alias ~ '.' if alias }}* except ({{ columns | join(', ') }}){%- endmacro %}

{#- the pieces of `text` split at `separator` (a literal, not a pattern), as a list; its length; one row per piece -#}
{% macro split_list(text, separator) -%}{{ return(adapter.dispatch('split_list', 'juesuan')(text, separator)) }}{%- endmacro %}
{% macro default__split_list(text, separator) -%}string_split({{ text }}, '{{ separator }}'){%- endmacro %}
{% macro spark__split_list(text, separator) -%}split({{ text }}, '\Q{{ separator }}\E'){%- endmacro %}

{% macro list_length(list) -%}{{ return(adapter.dispatch('list_length', 'juesuan')(list)) }}{%- endmacro %}
{% macro default__list_length(list) -%}len({{ list }}){%- endmacro %}
{% macro spark__list_length(list) -%}size({{ list }}){%- endmacro %}

{% macro unnest_list(list) -%}{{ return(adapter.dispatch('unnest_list', 'juesuan')(list)) }}{%- endmacro %}
{% macro default__unnest_list(list) -%}unnest({{ list }}){%- endmacro %}
{% macro spark__unnest_list(list) -%}explode({{ list }}){%- endmacro %}

{#- true when `pattern` (RE2/Java regex both accept) matches anywhere in `text`; NULL for NULL text -#}
{% macro matches_pattern(text, pattern) -%}{{ return(adapter.dispatch('matches_pattern', 'juesuan')(text, pattern)) }}{%- endmacro %}
{% macro default__matches_pattern(text, pattern) -%}regexp_matches({{ text }}, {{ pattern }}){%- endmacro %}
{% macro spark__matches_pattern(text, pattern) -%}({{ text }} rlike {{ pattern }}){%- endmacro %}

{#- every match of `pattern` in `text` replaced -#}
{% macro regexp_replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'juesuan')(text, pattern, replacement)) }}
{%- endmacro %}
{% macro default__regexp_replace_all(text, pattern, replacement) -%}regexp_replace({{ text }}, {{ pattern }}, {{ replacement }}, 'g'){%- endmacro %}
{% macro spark__regexp_replace_all(text, pattern, replacement) -%}regexp_replace({{ text }}, {{ pattern }}, {{ replacement }}){%- endmacro %}

{#- the values of `expression` joined by `separator`, in `order_by` order, of the rows `filter` (SQL) keeps; NULL when
    there are none. distinct=true: each value once, ordered by itself (order_by must be the expression). -#}
{% macro ordered_string_agg(expression, separator, order_by, distinct=false, filter=none) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'juesuan')(expression, separator, order_by, distinct, filter)) }}
{%- endmacro %}
{% macro default__ordered_string_agg(expression, separator, order_by, distinct, filter) -%}
    string_agg({{ 'distinct ' if distinct }}{{ expression }}, '{{ separator }}' order by {{ order_by }})
    {%- if filter %} filter (where {{ filter }}){% endif %}
{%- endmacro %}
{% macro spark__ordered_string_agg(expression, separator, order_by, distinct, filter) -%}
    {%- if distinct -%}
        {#- Spark 4.3 fails planning listagg(distinct …) beside other distinct aggregates: the sorted set instead
            (both engines order strings by their UTF-8 bytes) -#}
        {%- if order_by != expression -%}
            {{ exceptions.raise_compiler_error('ordered_string_agg(distinct=true) orders by the expression itself') }}
        {%- endif -%}
        nullif(array_join(array_sort(collect_set({{ expression }}){% if filter %} filter (where {{ filter }}){% endif %}), '{{ separator }}'), '')
    {%- else -%}
        listagg({{ expression }}, '{{ separator }}') within group (order by {{ order_by }})
        {%- if filter %} filter (where {{ filter }}){% endif %}
    {%- endif -%}
{%- endmacro %}

{#- integer division of two integer expressions, truncated toward zero (both operands are not negative here) -#}
{% macro int_div(dividend, divisor) -%}{{ return(adapter.dispatch('int_div', 'juesuan')(dividend, divisor)) }}{%- endmacro %}
{% macro default__int_div(dividend, divisor) -%}({{ dividend }}) // ({{ divisor }}){%- endmacro %}
{% macro spark__int_div(dividend, divisor) -%}({{ dividend }}) div ({{ divisor }}){%- endmacro %}

{#- how many i in [start, stop) make `predicate` true (`predicate` is SQL in the variable i) -#}
{% macro count_positions(start, stop, predicate) -%}
    {{ return(adapter.dispatch('count_positions', 'juesuan')(start, stop, predicate)) }}
{%- endmacro %}
{% macro default__count_positions(start, stop, predicate) -%}
    len(list_filter(range({{ start }}, {{ stop }}), lambda i: {{ predicate }}))
{%- endmacro %}
{% macro spark__count_positions(start, stop, predicate) -%}
    {#- sequence() is inclusive and counts down when stop <= start: keep only i in [start, stop) -#}
    size(filter(sequence({{ start }}, greatest({{ start }}, {{ stop }} - 1)), i -> i < {{ stop }} and ({{ predicate }})))
{%- endmacro %}

{#- `relation` (a CTE or table) unpivoted on its columns other than `keep` (a list of names): one row per kept
    row and value column, `name` holding the column's name and `value` its value; NULL values give no row.
    `columns_of` is the relation whose columns are the candidates (Spark lists them: it has no COLUMNS(lambda)). -#}
{% macro unpivot_except(relation, keep, name, value, columns_of) -%}
    {{ return(adapter.dispatch('unpivot_except', 'juesuan')(relation, keep, name, value, columns_of)) }}
{%- endmacro %}
{% macro default__unpivot_except(relation, keep, name, value, columns_of) -%}
    unpivot {{ relation }}
        on columns(lambda c: c not in ({{ "'" ~ keep | join("', '") ~ "'" }}))
        into name {{ name }} value {{ value }}
{%- endmacro %}
{% macro spark__unpivot_except(relation, keep, name, value, columns_of) -%}
    {%- set unpivoted = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(columns_of) -%}
            {%- if column.name | lower not in keep -%}{%- do unpivoted.append(column.name | lower) -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if not unpivoted -%}{%- do unpivoted.append('no_column_at_parse_time') -%}{%- endif -%}
    select * from {{ relation }}
        unpivot ({{ value }} for {{ name }} in ({{ unpivoted | join(', ') }}))
{%- endmacro %}

{#- The rows of every SELECT in `branches` (SQL strings), matched by column name; a column a branch lacks is NULL
    there. `ctes` ("with a as (…), b as (…)") is what the branches read, when they read CTEs of the model. DuckDB
    says UNION ALL BY NAME; Spark has none in SQL, so its columns are asked of each branch (an empty query). -#}
{% macro union_all_by_name(branches, ctes='') -%}
    {{ return(adapter.dispatch('union_all_by_name', 'juesuan')(branches, ctes)) }}
{%- endmacro %}
{% macro default__union_all_by_name(branches, ctes) -%}
    {{ branches | join('\n    union all by name\n    ') }}
{%- endmacro %}
{% macro spark__union_all_by_name(branches, ctes) -%}
    {%- if not execute -%}{{ return(branches | join('\n    union all\n    ')) }}{%- endif -%}
    {%- set names, columns_of = [], [] -%}
    {%- for branch in branches -%}
        {%- set columns = get_columns_in_query(ctes ~ '\n' ~ branch) | map('lower') | list -%}
        {%- do columns_of.append(columns) -%}
        {%- for c in columns if c not in names -%}{%- do names.append(c) -%}{%- endfor -%}
    {%- endfor -%}
    {%- for branch in branches -%}
        {%- set present = columns_of[loop.index0] %}
    select {% for c in names %}{{ '`' ~ c ~ '`' if c in present else 'null as `' ~ c ~ '`' }}{{ ', ' if not loop.last }}{% endfor %}
    from ({{ branch }}) as branch_{{ loop.index }}
    {{- '\n    union all' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- a CTE read twice, inlined at each read instead of copied whole first (DuckDB's hint; Spark always inlines) -#}
{% macro not_materialized() -%}{{ return(adapter.dispatch('not_materialized', 'juesuan')()) }}{%- endmacro %}
{% macro default__not_materialized() -%}not materialized{%- endmacro %}
{% macro spark__not_materialized() -%}{%- endmacro %}

{#- `value` rounded to `digits` places where `digits` is a column (Spark's round() takes only a constant): as DuckDB
    does it, on a DOUBLE, half away from zero -#}
{% macro round_to(value, digits) -%}{{ return(adapter.dispatch('round_to', 'juesuan')(value, digits)) }}{%- endmacro %}
{% macro default__round_to(value, digits) -%}round({{ value }}, {{ digits }}){%- endmacro %}
{% macro spark__round_to(value, digits) -%}
    (round(cast({{ value }} as double) * power(10, {{ digits }})) / power(10, {{ digits }}))
{%- endmacro %}
