-- The printed rows of each template, labelled and placed once per template version (not per unit-year):
-- item name and subject level, and the 行次 a row has in every unit-year of the template. Only the rows a
-- subject list places (its expanded subjects, and an unnumbered row printed after a list) get their 行次 per
-- unit-year, in int_report_list_rows; int_report_rows puts the two together.

with

template_rows as (
    select * from {{ ref('stg_template_rows') }}
),

-- each subject of either chart once (its pair with itself): level and name by subject_dimension
subjects as (
    select * from {{ ref('int_subject_ancestors') }}
    where descendant_code = ancestor_code
),

-- 行次 is the row's position in its unit-year table, ordered by (row_order, subject_code). row_order is unique per
-- template table, so a position is: the template's non-list rows before it (a per-template constant) + the
-- expanded subject rows before it (per unit-year, counted in int_report_list_rows).
positions as (
    select
        template_version, table_code, row_order,
        cast(coalesce(sum(case when row_kind <> 'subject_list' then 1 else 0 end) over (
            partition by template_version, table_code order by row_order
            rows between unbounded preceding and 1 preceding
        ), 0) as bigint) as fixed_rows_before,
        coalesce(bool_or(row_kind = 'subject_list') over (
            partition by template_version, table_code order by row_order
            rows between unbounded preceding and 1 preceding
        ), false) as after_subject_list
    from template_rows
),

placed as (
    select
        ---------- ids
        r.template_version,
        r.table_code,
        r.row_order,
        r.subject_code,

        ---------- printed placement
        r.line_no as template_line_no,
        p.fixed_rows_before,
        -- a subject list's rows, and an unnumbered row after a list, are placed per unit-year
        r.row_kind = 'subject_list' or (p.after_subject_list and r.line_no is null) as placed_by_list,
        case
            when r.row_kind = 'subject_list' or (p.after_subject_list and r.line_no is null) then null
            else cast(coalesce(r.line_no, p.fixed_rows_before + 1) as bigint)
        end as line_no,
        r.side,
        r.row_key,
        r.row_kind,
        r.row_group,
        r.subject_dimension,
        s.ancestor_level_no as subject_level,

        ---------- printed text
        r.item_name

    from template_rows as r
    inner join positions as p
        on p.template_version = r.template_version
        and p.table_code = r.table_code
        and p.row_order = r.row_order
    left join subjects as s
        on s.subject_dimension = r.subject_dimension
        and s.ancestor_code = r.subject_code
)

select * from placed
