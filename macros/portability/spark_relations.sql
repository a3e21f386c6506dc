{#-
    How the project's relations come in on Spark (dbt-spark): the bulk Parquet batches read where they lie, and the
    seeds' rows. (Partitions and insert_overwrite: dbt_project.yml; the build scope: macros/incremental/.)
-#}

{#- A bulk source (models/staging/_bulk__sources.yml) on Spark: its Parquet files read in place, as dbt-duckdb
    reads them through the source's external_location. Any other source as dbt resolves it. -#}
{% macro source(source_name, table_name) -%}
    {%- set relation = builtins.source(source_name, table_name) -%}
    {%- if target.type == 'spark' and source_name == 'bulk' -%}
        {%- do return('parquet.`' ~ var('bulk_dir', 'bulk/empty') ~ '/' ~ table_name ~ '.*parquet`') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{#- A seed's rows on Spark, read from its CSV by Spark's own reader and cast to the seed's column types in one
    INSERT. dbt-spark's session method binds each value into the SQL text unescaped (a quote in a value breaks the
    statement, an empty cell becomes the string 'None', an amount passes through a float); here an empty cell is
    NULL, as agate reads it for DuckDB, and amounts go from text to DECIMAL exactly. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set path = model['root_path'] ~ '/' ~ model['original_file_path'] -%}
    {%- set view = 'juesuan_seed_' ~ model['name'] -%}
    {%- set columns = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
        {%- do columns.append('cast(`' ~ col_name ~ '` as ' ~ type ~ ')') -%}
    {%- endfor -%}
    {%- call statement('seed_view') -%}
        create or replace temporary view {{ view }}
        using csv
        options (path '{{ path }}', header 'true', multiLine 'true', quote '"', escape '"', encoding 'UTF-8',
                 delimiter '{{ model['config'].get('delimiter', ',') }}', mode 'FAILFAST', ignoreLeadingWhiteSpace 'false',
                 ignoreTrailingWhiteSpace 'false')
    {%- endcall -%}
    {%- set sql -%}
        insert into {{ this.render() }}
        select {{ columns | join(', ') }} from {{ view }}
    {%- endset -%}
    {%- call statement('seed_rows') -%}{{ sql }}{%- endcall -%}
    {%- call statement('seed_view_drop') -%}drop view if exists {{ view }}{%- endcall -%}
    {{ return(sql) }}
{% endmacro %}
