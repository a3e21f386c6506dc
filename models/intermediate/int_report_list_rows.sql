-- The printed rows a subject list places, per unit-year, with 行次 (line_no): each subject_list row expanded
-- into the subjects that have a non-zero amount, and the unnumbered template rows printed after a list. Every
-- other printed row has the same 行次 in every unit-year of its template (int_template_printed_rows).

{% set ctes -%}
with

cells as (
    select * from {{ ref('int_report_cells') }}
    where {{ in_build_scope() }}
),

template_cells as (
    select * from {{ ref('int_template_cells') }}
),

unit_years as (
    select * from {{ ref('stg_unit_years') }}
    where detail_level = 'full'
        and {{ in_build_scope() }}
),

template_rows as (
    select * from {{ ref('int_template_printed_rows') }}
),

-- each subject of either chart once (its pair with itself): level and name by subject_dimension
subjects as (
    select * from {{ ref('int_subject_ancestors') }}
    where descendant_code = ancestor_code
),

-- the subject-list rows' cells; a subject is listed if any of its cells is non-zero
list_cells as (
    select tc.*
    from template_cells as tc
    inner join template_rows as r
        on r.template_version = tc.template_version
        and r.table_code = tc.table_code
        and r.row_order = tc.row_order
    where r.row_kind = 'subject_list'
),

expanded_keys as (
    select distinct c.unit_code, c.fiscal_year, lc.template_version, lc.table_code, lc.row_order, lc.subject_code
    from cells as c
    inner join list_cells as lc
        on lc.cell_id = c.cell_id
    where c.amount <> 0
),

-- the window sees only the keys; the labels are joined to the numbered keys
numbered_keys as (
    select
        k.*,
        row_number() over (
            partition by k.unit_code, k.fiscal_year, k.table_code
            order by k.row_order, k.subject_code
        ) as position
    from expanded_keys as k
),

expanded_subjects as (
    select
        k.unit_code, k.fiscal_year, k.template_version,
        r.table_code, r.row_order, r.side, r.row_key, r.row_kind, r.row_group, r.subject_dimension, k.subject_code,
        s.ancestor_name as item_name,
        s.ancestor_level_no as subject_level,
        r.fixed_rows_before + k.position as line_no
    from numbered_keys as k
    inner join template_rows as r
        on r.template_version = k.template_version
        and r.table_code = k.table_code
        and r.row_order = k.row_order
    left join subjects as s
        on s.subject_dimension = r.subject_dimension
        and s.ancestor_code = k.subject_code
),

-- an unnumbered row after a list: the template's rows before it, plus the subjects the lists before it expanded
-- (counted only in the few tables that print such a row)
rows_placed_after as (
    select * from template_rows
    where placed_by_list and row_kind <> 'subject_list'
),

expanded_counts as (
    select k.unit_code, k.fiscal_year, k.table_code, k.row_order, count(*) as expanded_rows
    from expanded_keys as k
    where (k.template_version, k.table_code) in (select template_version, table_code from rows_placed_after)
    group by all
),

rows_after_lists as (
    select
        uy.unit_code, uy.fiscal_year, uy.template_version,
        r.table_code, r.row_order, r.side, r.row_key, r.row_kind, r.row_group, r.subject_dimension, r.subject_code,
        r.item_name, r.subject_level,
        r.fixed_rows_before + 1 + coalesce(sum(e.expanded_rows), 0) as line_no
    from unit_years as uy
    inner join rows_placed_after as r
        on r.template_version = uy.template_version
    left join expanded_counts as e
        on e.unit_code = uy.unit_code
        and e.fiscal_year = uy.fiscal_year
        and e.table_code = r.table_code
        and e.row_order < r.row_order
    group by
        uy.unit_code, uy.fiscal_year, uy.template_version,
        r.table_code, r.row_order, r.side, r.row_key, r.row_kind, r.row_group, r.subject_dimension, r.subject_code,
        r.item_name, r.subject_level, r.fixed_rows_before
)
{%- endset -%}
{{ ctes }},

placed as (
    {{ union_all_by_name(['select * from expanded_subjects', 'select * from rows_after_lists'], ctes) }}
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

        ---------- printed placement
        cast(line_no as bigint) as line_no,
        side,
        row_key,
        row_kind,
        row_group,
        subject_dimension,
        subject_level,

        ---------- printed text
        item_name

    from placed
)

select * from numbered
