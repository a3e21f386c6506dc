with

source as (
    select * from {{ ref('amt_performance_scores') }}
),

renamed as (
    select
        ---------- keys
        trim(project_code) as project_code,
        fiscal_year,

        ---------- indicator group
        trim(level1) as level1,
        trim(level2) as level2,

        ---------- scores
        max_score,
        score

    from source
)

select * from renamed
