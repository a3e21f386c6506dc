with

source as (
    select * from {{ ref('amt_project_performance') }}
),

renamed as (
    select
        ---------- keys
        trim(project_code) as project_code,
        fiscal_year,

        ---------- amounts (万元)
        {{ money('budget_amount') }} as budget_amount,
        {{ money('executed_amount') }} as executed_amount,

        ---------- self-evaluation
        budget_execution_score,
        trim(grade) as grade

    from source
)

select * from renamed
