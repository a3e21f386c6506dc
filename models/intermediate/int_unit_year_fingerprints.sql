-- 指纹: one fingerprint per unit-year and department-year over everything its rows in the per-unit-year
-- models are computed from. Two builds of a unit-year from the same inputs have the same fingerprint, so
-- int_build_scope rebuilds exactly the unit-years whose inputs changed.
--   unit-year:       its leaf facts, its unit_years row, its reported totals, its printed cells (an imported
--                    report: the marts print them), the department it is in, its unit's row (name and kind,
--                    which the trend marts print in every year of the unit);
--   department-year: its unit_years row and its members with their fingerprints;
--   both:            the reference data every unit-year is rendered with (templates, charts of accounts),
--                    so a change there rebuilds everything.
{%- set unit_inputs = ['stg_revenue', 'stg_expenditure', 'stg_basic_expenditure_economic', 'stg_sangong',
                       'stg_balances', 'stg_budget', 'stg_unit_years', 'stg_reported_totals',
                       'stg_printed_cells'] %}
{%- set reference_inputs = ['stg_template_versions', 'stg_report_tables', 'stg_template_rows',
                            'stg_template_columns', 'stg_template_filters', 'stg_function_subjects',
                            'stg_economic_subjects', 'stg_revenue_sources', 'stg_funding_sources',
                            'stg_sangong_items', 'stg_expenditure_types', 'stg_balance_kinds',
                            'stg_total_measures'] %}

with

members as (
    select * from {{ ref('int_department_members') }}
),

unit_year_rows as (
    -- every input row of a unit-year, hashed as a whole row (order-independent sum below)
{%- for input in unit_inputs %}
    select unit_code, fiscal_year, {{ juesuan_row_hash(input, 'r') }} as row_hash
    from {{ ref(input) }} as r
    {{ 'union all' if not loop.last }}
{%- endfor %}
    union all
    select unit_code, fiscal_year, {{ juesuan_hash("'member of', department_code") }}
    from members
    union all
    select uy.unit_code, uy.fiscal_year, {{ juesuan_row_hash('stg_units', 'u') }}
    from {{ ref('stg_units') }} as u
    inner join {{ ref('stg_unit_years') }} as uy on uy.unit_code = u.unit_code
),

reference as (
    select coalesce(sum(row_hash), 0) as reference_hash
    from (
{%- for input in reference_inputs %}
        select cast({{ juesuan_row_hash(input, 'r') }} as {{ juesuan_wide_int() }}) as row_hash from {{ ref(input) }} as r
        {{ 'union all' if not loop.last }}
{%- endfor %}
    )
),

units as (
    select
        unit_code,
        fiscal_year,
        sum(cast(row_hash as {{ juesuan_wide_int() }})) as input_hash,
        count(*) as input_rows
    from unit_year_rows
    group by unit_code, fiscal_year
),

departments as (
    -- a department-year is its own unit_years row (in units) plus its members' fingerprints
    select
        m.department_code as unit_code,
        m.fiscal_year,
        sum(cast({{ juesuan_hash('m.unit_code, u.input_hash, u.input_rows') }} as {{ juesuan_wide_int() }})) as member_hash,
        count(*) as member_count
    from members as m
    inner join units as u
        on u.unit_code = m.unit_code
        and u.fiscal_year = m.fiscal_year
    group by m.department_code, m.fiscal_year
),

fingerprinted as (
    select
        ---------- ids
        u.unit_code,
        u.fiscal_year,

        ---------- what it was computed from
        u.input_rows,
        coalesce(d.member_count, 0) as member_count,

        ---------- the fingerprint
        md5(concat_ws('|', cast(u.input_hash as string), cast(u.input_rows as string), cast(d.member_hash as string),
                       cast(d.member_count as string), cast(r.reference_hash as string)))
            as fingerprint

    from units as u
    cross join reference as r
    left join departments as d
        on d.unit_code = u.unit_code
        and d.fiscal_year = u.fiscal_year
)

select * from fingerprinted
