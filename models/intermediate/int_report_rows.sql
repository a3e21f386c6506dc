-- The printed rows of every table for every unit-year, in printed order, with 行次 (line_no). A view: the
-- template's rows are the same in every unit-year of a template (int_template_printed_rows), so only the rows a
-- subject list places are stored per unit-year (int_report_list_rows). Readers filter it by table, unit or year.

{% set ctes -%}
with

unit_years as (
    select * from {{ ref('stg_unit_years') }}
    where detail_level = 'full'
),

template_rows as (
    select * from {{ ref('int_template_printed_rows') }}
),

list_rows as (
    select * from {{ ref('int_report_list_rows') }}
),

-- a template's rows in every unit-year of the template, in the columns and order of int_report_list_rows
fixed_rows as (
    select
        ---------- ids
        uy.unit_code,
        uy.fiscal_year,
        uy.template_version,
        r.table_code,
        r.row_order,
        r.subject_code,

        ---------- printed placement: the template's 行次, else the printed order
        r.line_no,
        r.side,
        r.row_key,
        r.row_kind,
        r.row_group,
        r.subject_dimension,
        r.subject_level,

        ---------- printed text
        r.item_name

    from unit_years as uy
    inner join template_rows as r
        on r.template_version = uy.template_version
    where not r.placed_by_list
)
{%- endset -%}
{{ ctes }},

printed_rows as (
    {{ union_all_by_name(['select * from fixed_rows', 'select * from list_rows'], ctes) }}
)

select * from printed_rows
