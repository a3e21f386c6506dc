-- 本次构建范围: the unit-years this run (re)builds in every per-unit-year model. On a full build (first build,
-- --full-refresh, or no ledger yet) that is every unit-year. Otherwise it is every unit-year whose
-- fingerprint differs from the one int_build_ledger recorded when it was last built (new, restated or
-- removed), every department-year one of those belongs to (its fingerprint changes with its members'), and
-- all members of those department-years, so a department and its members are always checked together.
-- The ledger is read by name, not ref(): it is written at the end of the run this model starts.
{%- set ledger_node = graph.nodes.get('model.' ~ project_name ~ '.int_build_ledger') %}
{%- set ledger = adapter.get_relation(database=ledger_node.database, schema=ledger_node.schema,
                                      identifier=ledger_node.alias) if execute else none %}
{%- set incremental_run = ledger is not none and not flags.FULL_REFRESH %}

with

fingerprints as (
    select * from {{ ref('int_unit_year_fingerprints') }}
),

members as (
    select * from {{ ref('int_department_members') }}
),

{% if incremental_run -%}
built as (
    select * from {{ ledger }}
),

changed as (
    -- new or restated: a fingerprint the ledger does not have
    select unit_code, fiscal_year from fingerprints
    where (unit_code, fiscal_year, fingerprint) not in (select unit_code, fiscal_year, fingerprint from built)
    union
    -- removed: built before, no inputs now
    select unit_code, fiscal_year from built
    where (unit_code, fiscal_year) not in (select unit_code, fiscal_year from fingerprints)
),

with_departments as (
    select unit_code, fiscal_year from changed
    union
    -- the departments of changed units, by this year's membership and by the one they were built with
    select m.department_code, m.fiscal_year
    from members as m
    inner join changed as c on c.unit_code = m.unit_code and c.fiscal_year = m.fiscal_year
    union
    select b.department_code, b.fiscal_year
    from built as b
    inner join changed as c on c.unit_code = b.unit_code and c.fiscal_year = b.fiscal_year
    where b.department_code is not null
),

scope as (
    select unit_code, fiscal_year from with_departments
    union
    -- every member of a department-year in scope
    select m.unit_code, m.fiscal_year
    from members as m
    inner join with_departments as w on w.unit_code = m.department_code and w.fiscal_year = m.fiscal_year
),
{%- else -%}
scope as (
    select unit_code, fiscal_year from fingerprints
),
{%- endif %}

final as (
    select
        ---------- ids
        unit_code,
        fiscal_year,

        ---------- why: a full build rebuilds (and tests) everything
        {{ 'false' if incremental_run else 'true' }} as full_build

    from scope
)

select * from final
