{#- What a difference between a printed figure and what it should be most likely is, from the digits alone
    (both in 分 of 万元, no sign): two adjacent digits swapped, one digit dropped, one digit too many, one
    digit wrong. NULL when none fits. `printed` and `expected` are DECIMAL(18, 2) expressions. -#}
{% macro likely_cause(printed, expected) -%}
    {%- set p = 'cast(cast(abs(' ~ printed ~ ') * 100 as bigint) as string)' -%}
    {%- set e = 'cast(cast(abs(' ~ expected ~ ') * 100 as bigint) as string)' -%}
    case
        when {{ p }} = {{ e }} then null
        when length({{ p }}) = length({{ e }}) and {{ count_positions(1, 'length(' ~ e ~ ')',
                'substr(' ~ e ~ ', 1, i - 1) || substr(' ~ e ~ ', i + 1, 1) || substr(' ~ e ~ ', i, 1) || substr('
                ~ e ~ ', i + 2) = ' ~ p ~ ' and substr(' ~ e ~ ', i, 1) <> substr(' ~ e ~ ', i + 1, 1)') }} > 0
            then '疑似相邻数字颠倒'
        when length({{ p }}) + 1 = length({{ e }}) and {{ count_positions(1, 'length(' ~ e ~ ') + 1',
                'substr(' ~ e ~ ', 1, i - 1) || substr(' ~ e ~ ', i + 1) = ' ~ p) }} > 0
            then '疑似漏印一位数字'
        when length({{ p }}) = length({{ e }}) + 1 and {{ count_positions(1, 'length(' ~ p ~ ') + 1',
                'substr(' ~ p ~ ', 1, i - 1) || substr(' ~ p ~ ', i + 1) = ' ~ e) }} > 0
            then '疑似多印一位数字'
        when length({{ p }}) = length({{ e }}) and {{ count_positions(1, 'length(' ~ e ~ ') + 1',
                'substr(' ~ e ~ ', i, 1) <> substr(' ~ p ~ ', i, 1)') }} = 1
            then '疑似一位数字印错'
    end
{%- endmacro %}


{#- A printed cell (`cell`: table_code, side, row_key, column_name) is the cell of a narrative measure (`measure`,
    a row of stg_narrative_measures that is not a subject row). -#}
{% macro measure_matches_cell(measure, cell) -%}
    {{ cell }}.table_code = {{ measure }}.table_code
        and {{ cell }}.side is not distinct from {{ measure }}.side
        and {{ cell }}.row_key = {{ measure }}.row_key
        and {{ cell }}.column_name = {{ measure }}.column_name
{%- endmacro %}


{#- Where a finding about one printed cell (`cell`, a row of int_printed_rule_cells) stands: the columns every
    rule on single cells returns (P003, P004). -#}
{% macro finding_at_cell(cell) -%}
        {{ cell }}.unit_code,
        {{ cell }}.fiscal_year,
        {{ cell }}.table_code,
        {{ cell }}.table_no,
        {{ cell }}.page,
        {{ cell }}.item_name as row_label,
        {{ cell }}.subject_code,
        {{ cell }}.column_name,
        {{ cell }}.column_header,
        {{ cell }}.source_document
{%- endmacro %}


{#- Where a finding about one printed table (`t`, a row of stg_printed_tables) stands: the columns every rule on
    a table's heading returns (P002, P006), its finding_key `<rule> <table as printed>` included. -#}
{% macro finding_at_table(rule_id, t) -%}
        '{{ rule_id }}' as rule_id,
        {{ t }}.unit_code,
        {{ t }}.fiscal_year,
        '{{ rule_id }} ' || coalesce({{ t }}.printed_table_no, {{ t }}.table_no) as finding_key,
        {{ t }}.table_code,
        coalesce({{ t }}.printed_table_no, {{ t }}.table_no) as table_no,
        {{ t }}.first_page as page,
        {{ t }}.source_document
{%- endmacro %}


{#- What a rule on a published report as a whole looked at, per imported unit-year: `examined` is a query of
    (unit_code, fiscal_year) rows, one per thing checked (a table, a heading, a cell). audit.checklist counts
    them: a rule with nothing to look at is not_applicable, with `note_when_none`. Every P rule has one
    (audit_scope_PNNN beside audit_rule_PNNN). -#}
{% macro audit_scope(rule_id, examined, note_when_none) -%}
    select
        '{{ rule_id }}' as rule_id,
        uy.unit_code,
        uy.fiscal_year,
        count(e.unit_code) as checks,
        '{{ note_when_none }}' as note_when_none
    from {{ ref('stg_unit_years') }} as uy
    left join ({{ examined }}) as e
        on e.unit_code = uy.unit_code
        and e.fiscal_year = uy.fiscal_year
    where uy.data_origin = 'imported'
    group by all
{%- endmacro %}


{#- The rules on a published report as a whole (check_kind published in ref_reconciliation_rules), each one
    file macros/audit/<id>_<name>.sql with audit_rule_<id> (its failing rows) and audit_scope_<id> (what it
    looked at). The one list of them; test_registry_and_contract checks it against the registry. -#}
{% macro published_rules() -%}
    {{ return(['P001', 'P002', 'P003', 'P004', 'P005', 'P006']) }}
{%- endmacro %}
