with

source as (
    select * from {{ ref('ref_reconciliation_rules') }}
),

renamed as (
    select
        ---------- ids
        trim(rule_id) as rule_id,
        trim(rule_name) as rule_name,

        ---------- behaviour
        lower(trim(severity)) as severity,
        trim(check_kind) as check_kind,
        -- the classification a subject_hierarchy rule walks (function / economic)
        nullif(trim(subject_dimension), '') as subject_dimension,
        trim(table_codes) as table_codes,

        ---------- messages
        trim(message_zh) as message_zh,
        trim(message_en) as message_en

    from source
)

select * from renamed
