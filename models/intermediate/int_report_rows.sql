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

-- 行次 is the row's position in its unit-year table, ordered by (row_order, subject_code). row_order is unique per
-- template table, so a position is: the template's non-list rows before it (a per-template constant) + the
-- expanded subject rows before it. Only the expanded rows need a window; no window over every printed row.
template_positions as (
    select
        template_version, table_code, row_order,
        coalesce(sum(case when row_kind <> 'subject_list' then 1 else 0 end) over (
            partition by template_version, table_code order by row_order
            rows between unbounded preceding and 1 preceding
        ), 0) as fixed_rows_before,
        coalesce(bool_or(row_kind = 'subject_list') over (
            partition by template_version, table_code order by row_order
            rows between unbounded preceding and 1 preceding
        ), false) as after_subject_list
    from template_rows
),

fixed_rows as (
    select
        uy.unit_code, uy.fiscal_year, uy.template_version,
        r.table_code, r.row_order, r.side, r.line_no as template_line_no, r.row_key, r.row_kind,
        r.row_group, r.subject_dimension, r.subject_code, r.item_name,
        coalesce(fs.level_no, es.level_no) as subject_level,
        p.fixed_rows_before, p.after_subject_list
    from unit_years as uy
    inner join template_rows as r
        on r.template_version = uy.template_version
    inner join template_positions as p
        on p.template_version = r.template_version
        and p.table_code = r.table_code
        and p.row_order = r.row_order
    left join function_subjects as fs
        on r.subject_dimension = 'function' and fs.subject_code = r.subject_code
    left join economic_subjects as es
        on r.subject_dimension = 'economic' and es.econ_code = r.subject_code
    where r.row_kind <> 'subject_list'
),

expanded_keys as (
    select distinct c.unit_code, c.fiscal_year, c.template_version, c.table_code, c.row_order, c.subject_code
    from cells as c
    inner join template_rows as r
        on r.template_version = c.template_version
        and r.table_code = c.table_code
        and r.row_order = c.row_order
    where r.row_kind = 'subject_list'
        and c.amount <> 0
),

expanded_subjects as (
    select
        k.unit_code, k.fiscal_year, k.template_version,
        r.table_code, r.row_order, r.side, r.line_no as template_line_no, r.row_key, r.row_kind,
        r.row_group, r.subject_dimension, k.subject_code,
        coalesce(fs.subject_name, es.econ_name) as item_name,
        coalesce(fs.level_no, es.level_no) as subject_level,
        p.fixed_rows_before
            + row_number() over (
                partition by k.unit_code, k.fiscal_year, k.table_code
                order by k.row_order, k.subject_code
            ) as position
    from expanded_keys as k
    inner join template_rows as r
        on r.template_version = k.template_version
        and r.table_code = k.table_code
        and r.row_order = k.row_order
    inner join template_positions as p
        on p.template_version = k.template_version
        and p.table_code = k.table_code
        and p.row_order = k.row_order
    left join function_subjects as fs
        on r.subject_dimension = 'function' and fs.subject_code = k.subject_code
    left join economic_subjects as es
        on r.subject_dimension = 'economic' and es.econ_code = k.subject_code
),

-- the few unnumbered template rows printed after a subject list: count the expanded rows before them
expanded_counts as (
    select unit_code, fiscal_year, table_code, row_order, count(*) as expanded_rows
    from expanded_keys
    group by all
),

fixed_after_lists as (
    select
        f.unit_code, f.fiscal_year, f.table_code, f.row_order,
        f.fixed_rows_before + 1 + coalesce(sum(e.expanded_rows), 0) as position
    from fixed_rows as f
    left join expanded_counts as e
        on e.unit_code = f.unit_code
        and e.fiscal_year = f.fiscal_year
        and e.table_code = f.table_code
        and e.row_order < f.row_order
    where f.after_subject_list and f.template_line_no is null
    group by f.unit_code, f.fiscal_year, f.table_code, f.row_order, f.fixed_rows_before
),

all_rows as (
    select
        f.unit_code, f.fiscal_year, f.template_version, f.table_code, f.row_order, f.side,
        cast(coalesce(f.template_line_no, a.position, f.fixed_rows_before + 1) as bigint) as line_no,
        f.row_key, f.row_kind, f.row_group, f.subject_dimension, f.subject_code, f.subject_level, f.item_name
    from fixed_rows as f
    left join fixed_after_lists as a
        on a.unit_code = f.unit_code
        and a.fiscal_year = f.fiscal_year
        and a.table_code = f.table_code
        and a.row_order = f.row_order
    union all
    select
        unit_code, fiscal_year, template_version, table_code, row_order, side,
        cast(coalesce(template_line_no, position) as bigint) as line_no,
        row_key, row_kind, row_group, subject_dimension, subject_code, subject_level, item_name
    from expanded_subjects
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
        line_no,
        side,
        row_key,
        row_kind,
        row_group,
        subject_dimension,
        subject_level,

        ---------- printed text
        item_name

    from all_rows
)

select * from numbered
