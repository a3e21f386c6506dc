{#- Each subject's part in a hierarchy rule (类 = Σ款, 款 = Σ项) of one classification ('function' or
    'economic'): a parent is compared as printed (is_parent, parent_code = itself), a child adds its amount to
    its parent (not is_parent). One pass over the cells and one aggregation, no join of parents to children.
    Shared by the test reconcile_subject_hierarchy (entered data) and int_printed_rule_checks (printed reports). -#}
{% macro subject_hierarchy_roles(subject_dimension) -%}
    {%- if subject_dimension == 'function' %}
    with subjects as (select subject_code, parent_code from {{ ref('stg_function_subjects') }})
    {%- else %}
    with subjects as (select econ_code as subject_code, parent_code from {{ ref('stg_economic_subjects') }})
    {%- endif %}
    select subject_code, subject_code as parent_code, true as is_parent
    from subjects
    where subject_code in (select parent_code from subjects)
    union all
    select subject_code, parent_code, false as is_parent
    from subjects
    where parent_code is not null
{%- endmacro %}
