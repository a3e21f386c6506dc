with

source as (
    select * from {{ ref('ref_reconciliation_equations') }}
),

renamed as (
    select
        ---------- ids
        trim(template_version) as template_version,
        trim(rule_id) as rule_id,
        trim(equation_id) as equation_id,

        ---------- the identity
        trim(relation) as relation,
        coalesce(match_subject, false) as match_subject,
        coalesce(per_column, false) as per_column,
        coalesce(per_row, false) as per_row,
        trim(description) as description

    from source
)

select * from renamed
