-- Which leaf facts each printed row adds up, per unit-year, in the unit-year's template version.
-- A subject_list row is expanded here: one (row, subject) per ancestor of each matching fact's subject.

with

unit_years as (
    select * from {{ ref('stg_unit_years') }}
    where detail_level = 'full'
),

template_rows as (
    select * from {{ ref('stg_template_rows') }}
    where row_kind <> 'blank'
),

row_filters as (
    select * from {{ ref('stg_template_filters') }}
    where applies_to = 'row'
),

facts as (
    select * from {{ ref('int_report_facts') }}
),

ancestors as (
    select * from {{ ref('int_subject_ancestors') }}
),

filtered as (
    -- A row without filters takes every fact (the left join leaves its filter all-null).
    select distinct
        uy.unit_code,
        uy.fiscal_year,
        uy.template_version,
        r.table_code,
        r.row_order,
        r.row_kind,
        r.subject_dimension,
        r.subject_code as row_subject_code,
        f.subject_dimension as fact_subject_dimension,
        f.subject_code as fact_subject_code,
        f.fact_id
    from unit_years as uy
    inner join template_rows as r
        on r.template_version = uy.template_version
    inner join facts as f
        on f.unit_code = uy.unit_code
        and f.fiscal_year = uy.fiscal_year
    left join row_filters as rf
        on rf.template_version = r.template_version
        and rf.table_code = r.table_code
        and rf.target = cast(r.row_order as varchar)
    where {{ filter_matches('rf', 'f') }}
),

fixed_rows as (
    select
        filtered.unit_code, filtered.fiscal_year, filtered.template_version, filtered.table_code,
        filtered.row_order, filtered.row_subject_code as subject_code, filtered.fact_id
    from filtered
    where filtered.row_kind = 'fixed'
        and (
            filtered.row_subject_code is null
            or exists (
                select 1 from ancestors as a
                where a.subject_dimension = filtered.subject_dimension
                    and a.subject_dimension = filtered.fact_subject_dimension
                    and a.descendant_code = filtered.fact_subject_code
                    and a.ancestor_code = filtered.row_subject_code
            )
        )
),

subject_rows as (
    select
        filtered.unit_code, filtered.fiscal_year, filtered.template_version, filtered.table_code,
        filtered.row_order, a.ancestor_code as subject_code, filtered.fact_id
    from filtered
    inner join ancestors as a
        on a.subject_dimension = filtered.subject_dimension
        and a.subject_dimension = filtered.fact_subject_dimension
        and a.descendant_code = filtered.fact_subject_code
    where filtered.row_kind = 'subject_list'
)

select * from fixed_rows
union all
select * from subject_rows
