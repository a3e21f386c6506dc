with

source as (
    select * from {{ ref('ref_projects') }}
),

renamed as (
    select
        ---------- ids
        trim(project_code) as project_code,
        trim(unit_code) as unit_code,
        trim(subject_code) as subject_code,

        ---------- text
        trim(project_name) as project_name,
        trim(competent_department) as competent_department,

        ---------- classification
        trim(project_category) as project_category,
        trim(project_attribute) as project_attribute,
        trim(project_type) as project_type

    from source
)

select * from renamed
