{#- Schemas are named by layer only (staging, intermediate, marts, seeds), not prefixed by the target's
    default schema: analysts and BI tools query `marts.gongkai_01`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
