-- 科目名称核对: every subject an imported report prints whose printed name differs from the chart's name for
-- the code (the shipped chart's, or the name the first importing report gave it). Names are compared without
-- the spaces and line breaks a text layer puts inside them; the printed name is kept per report and year, the
-- chart is never overwritten.
with

printed as (
    select distinct
        unit_code, fiscal_year, table_no, subject_dimension, subject_code, row_label as printed_name,
        source_document, page
    from {{ ref('stg_printed_cells') }}
    -- rows that print a code beside the name: subject lists and economic rows (a 类 row of 01/04 prints the
    -- layout's own label, without its code)
    where subject_code is not null and row_label <> '' and row_key in ('subject', 'econ')
),

chart as (
    select 'function' as subject_dimension, subject_code, subject_name as chart_name, chart_source
    from {{ ref('stg_function_subjects') }}
    union all
    select 'economic', econ_code, econ_name, chart_source
    from {{ ref('stg_economic_subjects') }}
),

compared as (
    select
        ---------- where the name is printed
        p.unit_code,
        p.fiscal_year,
        p.table_no,
        p.page,
        p.source_document,

        ---------- the subject and its two names
        p.subject_dimension,
        p.subject_code,
        p.printed_name,
        c.chart_name,
        c.chart_source

    from printed as p
    inner join chart as c
        on c.subject_dimension = p.subject_dimension
        and c.subject_code = p.subject_code
    where {{ comparable_name('p.printed_name') }} <> {{ comparable_name('c.chart_name') }}
)

select * from compared
