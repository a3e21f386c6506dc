{#-
    Incremental builds by unit-year. Every model that holds rows per (unit_code, fiscal_year) is
    materialized incremental (see dbt_project.yml, &per_unit_year). On an incremental run it
      1. deletes its rows of the unit-years in int_build_scope (pre-hook delete_build_scope), and
      2. inserts them again, computed from imports filtered with in_build_scope().
    int_build_scope lists the unit-years whose fingerprint (int_unit_year_fingerprints) differs from the
    one recorded when they were last built (int_build_ledger), so new, restated and removed unit-years and
    every department-year they belong to are rebuilt, and nothing else.
    Models whose rows of one year read the unit's other years (the year-over-year trend marts) are
    incremental by unit instead (&per_unit): grain='unit' rebuilds every year of each unit in the scope.
-#}

{#- A boolean SQL expression: true for rows of unit-years this run (re)builds. `true` on a full build. -#}
{% macro in_build_scope(unit_column='unit_code', grain='unit_year') -%}
    {#- ref() outside the if: dbt parses with is_incremental() false and must still see the dependency -#}
    {%- set scope = ref('int_build_scope') -%}
    {%- if is_incremental() -%}
        {{ scope_predicate(scope, grain, unit_column) }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#- pre-hook of every per-unit-year (per-unit) model: drop the rows this run rebuilds (a no-op on a full build). -#}
{% macro delete_build_scope(grain='unit_year') -%}
    {{ return(adapter.dispatch('delete_build_scope', 'juesuan')(grain)) }}
{%- endmacro %}
{% macro default__delete_build_scope(grain) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ scope_predicate(ref('int_build_scope'), grain) }}
    {%- endif -%}
{%- endmacro %}
{#- Spark's Parquet tables have no DELETE. insert_overwrite (dynamic) replaces only the fiscal_year partitions the
    run writes, so a year in the scope that no longer has a row (every unit-year of it withdrawn, or none of this
    model's rows left) would keep its old partition: drop the scope's years first. Grain 'unit' (the model is
    recomputed whole) drops the same years: a year can only lose all its rows through unit-years that are in the
    scope (withdrawn ones are), and every other year is overwritten by the insert. A run that fails after the drop
    leaves the ledger as it was (int_build_ledger is written last) and the next run rebuilds the same years. -#}
{% macro spark__delete_build_scope(grain) -%}
    {%- if execute and is_incremental() -%}
        {%- set years = run_query('select distinct fiscal_year from ' ~ ref('int_build_scope')
                                  ~ ' order by fiscal_year').columns[0].values() -%}
        {%- if years | length > 0 -%}
            alter table {{ this }} drop if exists
            {%- for year in years %} partition (fiscal_year = {{ year | int }}){{ ',' if not loop.last }}{% endfor %}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- Rows of the unit-years in `scope`, or (grain 'unit') of every year of the units in it. -#}
{% macro scope_predicate(scope, grain='unit_year', unit_column='unit_code') -%}
    {%- if grain not in ('unit_year', 'unit') -%}
        {{ exceptions.raise_compiler_error("build scope grain must be 'unit_year' or 'unit', not " ~ grain) }}
    {%- endif -%}
    {{ return(adapter.dispatch('scope_predicate', 'juesuan')(scope, grain, unit_column)) }}
{%- endmacro %}
{% macro default__scope_predicate(scope, grain, unit_column) -%}
    {%- if grain == 'unit' -%}
        {{ unit_column }} in (select unit_code from {{ scope }})
    {%- else -%}
        ({{ unit_column }}, fiscal_year) in (select unit_code, fiscal_year from {{ scope }})
    {%- endif -%}
{%- endmacro %}

{#- Spark rebuilds whole fiscal_year partitions (insert_overwrite): every unit-year of a year in the scope; for
    grain 'unit' (a unit's rows read its other years) every year, as a full build of those models does. -#}
{% macro spark__scope_predicate(scope, grain, unit_column) -%}
    {%- if grain == 'unit' -%}
        true
    {%- else -%}
        fiscal_year in (select fiscal_year from {{ scope }})
    {%- endif -%}
{%- endmacro %}


{#-
    Generic tests on a per-unit-year model check the unit-years the last build (re)built: all of them after
    a full build, the changed ones (and their departments' members) after an incremental one. The var
    test_scope: all checks every row regardless. Overrides dbt's get_where_subquery, keeping its `where`.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set clauses = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}{%- do clauses.append('(' ~ where ~ ')') -%}{%- endif -%}
    {%- set grain = build_scope_grain(relation) if execute and var('test_scope', 'build') != 'all' else none -%}
    {%- if grain is not none -%}
        {%- set scope = build_scope_relation() -%}
        {%- if scope is not none -%}
            {%- set partial = run_query('select count(*) from ' ~ scope ~ ' where not full_build') -%}
            {%- if partial.columns[0].values()[0] > 0 -%}
                {%- do clauses.append(scope_predicate(scope, grain)) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {%- if clauses -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ clauses | join(' and ') ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}


{#- 'unit_year' or 'unit' for an incremental model's relation (tag per_unit), none for any other. -#}
{% macro build_scope_grain(relation) -%}
    {%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') -%}
        {%- if node.config.materialized == 'incremental'
              and node.alias | lower == (relation.identifier or '') | lower
              and node.schema | lower == (relation.schema or '') | lower -%}
            {%- do return('unit' if 'per_unit' in node.tags else 'unit_year') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(none) -%}
{%- endmacro %}


{#- The built int_build_scope table, looked up without ref() (tests do not depend on it). -#}
{% macro build_scope_relation() -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.int_build_scope') -%}
    {%- do return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) -%}
{%- endmacro %}
