-- A reconciliation term that matches no printed cell makes its equation vacuous (a typo in a row_key or a
-- column name would silently pass). Every term must name a row key and a column its template has, and a
-- term on fixed rows must match a printed cell of its template (fixed rows are printed for every unit-year of
-- a template; a subject_list row may legitimately print no subject, e.g. 公开07 for a unit without
-- 政府性基金). Checked per template version in use, on the distinct shapes of printed cells (zeros included:
-- audit_report_cells has none), which the template's rows give. Returns the offending terms.

with

template_versions as (
    select distinct template_version from {{ ref('stg_unit_years') }} where detail_level = 'full'
),

-- the shapes of the printed cells (row × column, zeros included), from the template's rows: fixed rows are
-- printed alike in every unit-year of a template
row_shapes as (
    select distinct r.template_version, r.table_code, r.side, r.row_key, r.row_group, r.subject_code, r.subject_level
    from {{ ref('int_template_printed_rows') }} as r
    inner join template_versions using (template_version)
    where r.row_kind <> 'subject_list'
),

cell_shapes as (
    {{ printed_cells('row_shapes') }}
),

terms as (
    select t.*
    from {{ ref('stg_reconciliation_terms') }} as t
    inner join template_versions using (template_version)
),

template_rows as (
    select * from {{ ref('stg_template_rows') }}
),

template_columns as (
    select * from {{ ref('stg_template_columns') }}
),

checked as (
    select
        t.template_version,
        t.equation_id,
        t.side,
        t.table_code,
        t.row_key,
        t.subject_code,
        t.column_name,
        t.row_key is null or exists (
            select 1 from template_rows as r
            where r.template_version = t.template_version and r.table_code = t.table_code and r.row_key = t.row_key
        ) as row_key_exists,
        t.column_name is null or exists (
            select 1 from template_columns as tc
            where tc.template_version = t.template_version and tc.table_code = t.table_code
                and tc.column_name = t.column_name
        ) as column_exists,
        exists (
            select 1 from template_rows as r
            where r.template_version = t.template_version and r.table_code = t.table_code
                and r.row_key = t.row_key and r.row_kind = 'subject_list'
        ) as on_subject_list,
        exists (
            select 1 from cell_shapes as c
            where c.template_version = t.template_version
                and {{ term_matches_cell('t', 'c') }}
        ) as matches_a_cell
    from terms as t
)

select *
from checked
where not row_key_exists
    or not column_exists
    or (not on_subject_list and not matches_a_cell)
