-- The printed rows of every table for every unit-year, in printed order, with 行次 (line_no):
-- template rows as they are, and each subject_list row expanded into the subjects that have amounts.

with

unit_years as (
    select * from {{ ref('stg_unit_years') }}
    where detail_level = 'full'
        and {{ in_build_scope() }}
),

template_rows as (
    select * from {{ ref('stg_template_rows') }}
),

cells as (
    select * from {{ ref('int_report_cells') }}
    where {{ in_build_scope() }}
),

function_subjects as (
    select * from {{ ref('stg_function_subjects') }}
),

economic_subjects as (
    select * from {{ ref('stg_economic_subjects') }}
),

fixed_rows as (
    select
        uy.unit_code, uy.fiscal_year, uy.template_version,
        r.table_code, r.row_order, r.side, r.line_no as template_line_no, r.row_key, r.row_kind,
        r.row_group, r.subject_dimension, r.subject_code, r.item_name
    from unit_years as uy
    inner join template_rows as r
        on r.template_version = uy.template_version
    where r.row_kind <> 'subject_list'
),

expanded_subjects as (
    select distinct
        c.unit_code, c.fiscal_year, c.template_version,
        r.table_code, r.row_order, r.side, r.line_no as template_line_no, r.row_key, r.row_kind,
        r.row_group, r.subject_dimension, c.subject_code,
        coalesce(fs.subject_name, es.econ_name) as item_name
    from cells as c
    inner join template_rows as r
        on r.template_version = c.template_version
        and r.table_code = c.table_code
        and r.row_order = c.row_order
    left join function_subjects as fs
        on r.subject_dimension = 'function' and fs.subject_code = c.subject_code
    left join economic_subjects as es
        on r.subject_dimension = 'economic' and es.econ_code = c.subject_code
    where r.row_kind = 'subject_list'
        and c.amount <> 0
),

all_rows as (
    select * from fixed_rows
    union all
    select * from expanded_subjects
),

numbered as (
    select
        ---------- ids
        unit_code,
        fiscal_year,
        template_version,
        table_code,
        row_order,
        subject_code,

        ---------- printed placement: the template's 行次, else the printed order
        coalesce(
            template_line_no,
            row_number() over (
                partition by unit_code, fiscal_year, table_code
                order by row_order, subject_code
            )
        ) as line_no,
        side,
        row_key,
        row_kind,
        row_group,
        subject_dimension,

        ---------- printed text
        item_name

    from all_rows
)

select * from numbered
