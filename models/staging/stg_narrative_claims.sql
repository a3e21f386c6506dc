with

source as (
    -- the figures of imported reports' 情况说明, one row per claim (bulk path, scripts/importer/narrative.py)
    select * from {{ source('bulk', 'imp_narrative_claims') }}
),

renamed as (
    select
        ---------- keys
        trim(unit_code) as unit_code,
        fiscal_year,
        claim_no,

        ---------- the claim: what kind, what it is of (measure: ref_narrative_measures; NULL when unbound)
        trim(claim_kind) as claim_kind,
        nullif(trim(measure), '') as measure,
        nullif(trim(subject_label), '') as subject_label,
        nullif(trim(base_measure), '') as base_measure,

        ---------- the figures as printed (万元, %) and their precision (decimal places as printed)
        {{ money('amount') }} as amount,
        amount_decimals,
        {{ money('base_amount') }} as base_amount,
        base_decimals,
        {{ money('change_amount') }} as change_amount,
        change_decimals,
        cast(percent as decimal(9, 4)) as percent,
        percent_decimals,
        nullif(trim(direction), '') as direction,
        nullif(trim(rate_direction), '') as rate_direction,
        group_no,
        terms,

        ---------- where it stood
        trim(section) as section,
        trim(label) as label,
        sentence,
        trim(source_document) as source_document,
        page,
        line

    from source
)

select * from renamed
