-- The distinct attribute tuples of the facts (measure, phase, subject, fund, source, 支出性质, balance kind,
-- cost type, 三公 item). Printed rows and columns are matched against these few tuples once, and the facts
-- reach the cells through their signature_id: the work grows with the number of facts, not with
-- facts × template rows.

with

facts as (
    select * from {{ ref('int_report_facts') }}
),

signatures as (
    select distinct
        ---------- id
        signature_id,

        ---------- the attributes (macros/fact_signature.sql)
        {{ fact_signature_attributes() | join(',\n        ') }}

    from facts
)

select * from signatures
