with

source as (
    -- findings of published reports an auditor has accepted (seed ref_accepted_findings)
    select * from {{ ref('ref_accepted_findings') }}
),

renamed as (
    select
        ---------- the finding
        trim(rule_id) as rule_id,
        trim(unit_code) as unit_code,
        fiscal_year,
        trim(finding_key) as finding_key,

        ---------- why, by whom
        trim(reason) as reason,
        trim(accepted_by) as accepted_by,
        accepted_on

    from source
)

select * from renamed
