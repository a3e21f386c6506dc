-- Which fact signatures each printed row adds up, per template version in use. A subject_list row is
-- expanded here: one (row, subject) per ancestor of each matching signature's subject.

with

template_versions as (
    select distinct template_version from {{ ref('stg_unit_years') }} where detail_level = 'full'
),

template_rows as (
    select r.*
    from {{ ref('stg_template_rows') }} as r
    inner join template_versions using (template_version)
    where r.row_kind <> 'blank'
),

row_filters as (
    select * from {{ ref('stg_template_filters') }}
    where applies_to = 'row'
),

signatures as (
    select * from {{ ref('int_fact_signatures') }}
),

ancestors as (
    select * from {{ ref('int_subject_ancestors') }}
),

filtered as (
    -- A row without filters takes every signature (the left join leaves its filter all-null).
    select distinct
        r.template_version,
        r.table_code,
        r.row_order,
        r.side,
        r.row_kind,
        r.subject_dimension,
        r.subject_code as row_subject_code,
        f.subject_dimension as fact_subject_dimension,
        f.subject_code as fact_subject_code,
        f.signature_id
    from template_rows as r
    cross join signatures as f
    left join row_filters as rf
        on rf.template_version = r.template_version
        and rf.table_code = r.table_code
        and rf.target = cast(r.row_order as string)
    where {{ filter_matches('rf', 'f') }}
),

fixed_rows as (
    select
        filtered.template_version, filtered.table_code, filtered.row_order, filtered.side,
        filtered.row_subject_code as subject_code, filtered.signature_id
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
        filtered.template_version, filtered.table_code, filtered.row_order, filtered.side,
        a.ancestor_code as subject_code, filtered.signature_id
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
