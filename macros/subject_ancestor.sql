{#- The one class-code lookup: each subject of a classification (`function` = 支出功能分类, `economic` =
    经济分类) with its ancestor at `level` (类, 款 or 项) and that ancestor's name, walked along parent_code by
    int_subject_ancestors rather than cut from the code's digits. A subject is its own ancestor at its own
    level; a subject above `level` has no row, so join the result with a left join.
    Yields (subject_code, ancestor_code, ancestor_name). -#}
{% macro subject_ancestor(subject_dimension, level) -%}
    {%- set level_nos = {'类': 1, '款': 2, '项': 3} -%}
    {%- set classifications = {
        'function': {'model': 'stg_function_subjects', 'code': 'subject_code', 'name': 'subject_name'},
        'economic': {'model': 'stg_economic_subjects', 'code': 'econ_code', 'name': 'econ_name'},
    } -%}
    {%- if subject_dimension not in classifications -%}
        {{ exceptions.raise_compiler_error("subject_ancestor(): unknown subject_dimension '" ~ subject_dimension ~ "', expected function or economic") }}
    {%- endif -%}
    {%- if level not in level_nos -%}
        {{ exceptions.raise_compiler_error("subject_ancestor(): unknown level '" ~ level ~ "', expected 类, 款 or 项") }}
    {%- endif -%}
    {%- set c = classifications[subject_dimension] -%}
    select
        a.descendant_code as subject_code,
        a.ancestor_code,
        s.{{ c.name }} as ancestor_name
    from {{ ref('int_subject_ancestors') }} as a
    inner join {{ ref(c.model) }} as s
        on s.{{ c.code }} = a.ancestor_code
    where a.subject_dimension = '{{ subject_dimension }}'
        and a.ancestor_level_no = {{ level_nos[level] }}
{%- endmacro %}
