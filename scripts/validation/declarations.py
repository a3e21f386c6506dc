"""What the inputs must satisfy, as data: the references between tables, the keys, the required columns, the
leaf tables and the charts. The checks in scripts/validation/ read these; seeds/validation/ref_input_rules.csv
is the registry of the rules' ids, severities and messages."""
from __future__ import annotations

# (seed, columns) -> (referenced seed, columns, optional filter on the referenced rows, rule id)
UNIT_YEAR = ("unit_code", "fiscal_year")
# Facts are entered for years whose detail is known (detail_level full; a summary year has totals only). A 部门决算
# has facts of its own only when no member unit is listed for its year (a published 部门决算 without its members'
# breakdown, as ./juesuan import writes it); otherwise its figures are its members' sum (rule department_facts).
UNIT_REPORT = {"detail_level": "full"}
# (seed, columns) -> (referenced seed, columns, filter on the referenced rows, rule id)
REFERENCES: list[tuple[str, tuple[str, ...], str, tuple[str, ...], dict[str, str], str]] = [
    ("ref_unit_years", ("unit_code",), "ref_units", ("unit_code",), {}, "known_unit"),
    ("ref_unit_years", ("template_version",), "ref_template_versions", ("template_version",), {}, "known_template"),
    ("ref_unit_memberships", ("unit_code",), "ref_units", ("unit_code",), {}, "known_unit"),
    ("ref_unit_memberships", ("department_code",), "ref_units", ("unit_code",), {"unit_kind": "部门"}, "known_department"),
    ("amt_revenue", UNIT_YEAR, "ref_unit_years", UNIT_YEAR, UNIT_REPORT, "known_unit_year"),
    ("amt_revenue", ("subject_code",), "ref_function_subjects", ("subject_code",), {"subject_level": "项"}, "leaf_function_subject"),
    ("amt_revenue", ("source_code",), "ref_revenue_sources", ("source_code",), {}, "known_revenue_source"),
    ("amt_expenditure", UNIT_YEAR, "ref_unit_years", UNIT_YEAR, UNIT_REPORT, "known_unit_year"),
    ("amt_expenditure", ("subject_code",), "ref_function_subjects", ("subject_code",), {"subject_level": "项"}, "leaf_function_subject"),
    ("amt_expenditure", ("fund_code",), "ref_funding_sources", ("fund_code",), {}, "known_fund"),
    ("amt_expenditure", ("expenditure_type",), "ref_expenditure_types", ("expenditure_type",), {}, "known_expenditure_type"),
    ("amt_basic_expenditure_economic", UNIT_YEAR, "ref_unit_years", UNIT_YEAR, UNIT_REPORT, "known_unit_year"),
    ("amt_basic_expenditure_economic", ("econ_code",), "ref_economic_subjects", ("econ_code",), {"econ_level": "款"}, "leaf_economic_subject"),
    ("amt_basic_expenditure_economic", ("fund_code",), "ref_funding_sources", ("fund_code",), {}, "known_fund"),
    ("amt_sangong", UNIT_YEAR, "ref_unit_years", UNIT_YEAR, UNIT_REPORT, "known_unit_year"),
    ("amt_sangong", ("item_code",), "ref_sangong_items", ("item_code",), {}, "known_sangong_item"),
    ("amt_balances", UNIT_YEAR, "ref_unit_years", UNIT_YEAR, UNIT_REPORT, "known_unit_year"),
    ("amt_balances", ("balance_kind",), "ref_balance_kinds", ("balance_kind",), {}, "known_balance_kind"),
    ("amt_balances", ("fund_code",), "ref_funding_sources", ("fund_code",), {}, "known_fund"),
    ("amt_budget", UNIT_YEAR, "ref_unit_years", UNIT_YEAR, UNIT_REPORT, "known_unit_year"),
    ("amt_budget", ("subject_code",), "ref_function_subjects", ("subject_code",), {}, "known_function_subject"),
    ("amt_budget", ("fund_code",), "ref_funding_sources", ("fund_code",), {}, "known_fund"),
    ("amt_budget", ("expenditure_type",), "ref_expenditure_types", ("expenditure_type",), {}, "known_expenditure_type"),
    ("amt_reported_totals", UNIT_YEAR, "ref_unit_years", UNIT_YEAR, {"detail_level": "summary"}, "known_summary_year"),
    ("amt_reported_totals", ("measure_code",), "ref_total_measures", ("measure_code",), {}, "known_measure"),
    ("amt_procurement", UNIT_YEAR, "ref_unit_years", UNIT_YEAR, UNIT_REPORT, "known_unit_year"),
    ("amt_procurement", ("category_code",), "ref_procurement_categories", ("category_code",), {}, "known_category"),
    ("amt_assets", UNIT_YEAR, "ref_unit_years", UNIT_YEAR, UNIT_REPORT, "known_unit_year"),
    ("amt_assets", ("item_code",), "ref_asset_items", ("item_code",), {}, "known_asset_item"),
    ("ref_projects", ("unit_code",), "ref_units", ("unit_code",), {}, "known_unit"),
    ("ref_projects", ("subject_code",), "ref_function_subjects", ("subject_code",), {"subject_level": "项"}, "leaf_function_subject"),
    ("amt_project_performance", ("project_code",), "ref_projects", ("project_code",), {}, "known_project"),
    ("amt_performance_scores", ("project_code",), "ref_projects", ("project_code",), {}, "known_project"),
    ("ref_performance_indicators", ("project_code",), "ref_projects", ("project_code",), {}, "known_project"),
    ("ref_narrative_texts", UNIT_YEAR, "ref_unit_years", UNIT_YEAR, {}, "known_unit_year"),
    ("amt_overall_evaluations", UNIT_YEAR, "ref_unit_years", UNIT_YEAR, {}, "known_unit_year"),
    ("ref_report_outline", ("template_version",), "ref_template_versions", ("template_version",), {}, "known_template"),
    ("ref_glossary_terms", ("template_version",), "ref_template_versions", ("template_version",), {}, "known_template"),
    # an accepted finding names a rule of the registry (its unit may be an imported one, not in ref_units)
    ("ref_accepted_findings", ("rule_id",), "ref_reconciliation_rules", ("rule_id",), {}, "known_rule"),
]

# seed -> the columns that identify a row (a second row with the same key is an error)
KEYS: dict[str, tuple[str, ...]] = {
    "ref_function_subjects": ("subject_code",),
    "ref_economic_subjects": ("econ_code",),
    "ref_units": ("unit_code",),
    "ref_unit_years": ("unit_code", "fiscal_year"),
    "amt_revenue": ("unit_code", "fiscal_year", "subject_code", "source_code"),
    "amt_expenditure": ("unit_code", "fiscal_year", "subject_code", "fund_code", "expenditure_type"),
    "amt_basic_expenditure_economic": ("unit_code", "fiscal_year", "fund_code", "econ_code"),
    "amt_sangong": ("unit_code", "fiscal_year", "phase", "item_code"),
    "amt_balances": ("unit_code", "fiscal_year", "balance_kind", "fund_code", "subject_code"),
    "ref_unit_memberships": ("unit_code", "department_code", "from_year"),
    "amt_budget": ("unit_code", "fiscal_year", "subject_code", "fund_code", "expenditure_type"),
    "amt_reported_totals": ("unit_code", "fiscal_year", "measure_code"),
    "amt_procurement": ("unit_code", "fiscal_year", "category_code"),
    "amt_assets": ("unit_code", "fiscal_year", "item_code"),
    "ref_projects": ("project_code",),
    "amt_project_performance": ("project_code", "fiscal_year"),
    "amt_performance_scores": ("project_code", "fiscal_year", "level1", "level2"),
    "ref_performance_indicators": ("project_code", "fiscal_year", "indicator_no"),
    "ref_narrative_texts": ("unit_code", "fiscal_year", "section_code"),
    "amt_overall_evaluations": ("unit_code", "fiscal_year"),
    "ref_report_outline": ("template_version", "item_order"),
    "ref_glossary_terms": ("template_version", "entry_order"),
    "ref_template_rows": ("template_version", "table_code", "row_order"),
    "ref_template_columns": ("template_version", "table_code", "column_name"),
    "ref_accepted_findings": ("rule_id", "unit_code", "fiscal_year", "finding_key"),
    # a measure may name one cell per shape of the table (三公 items: columns of the 合计 row, or rows of SH2025 表7)
    "ref_narrative_measures": ("measure", "table_code", "row_key", "column_name"),
}

# the leaf-fact seeds whose `amount` is in the unit its unit-year names (ref_unit_years.amount_unit)
LEAF_SEEDS = ("amt_revenue", "amt_expenditure", "amt_basic_expenditure_economic", "amt_sangong", "amt_balances",
              "amt_budget")
AMOUNT_UNITS = {"": "万元", "万元": "万元", "元": "元"}
# facts are summed as exact 万元 in DECIMAL(18,6): a leaf in 万元 below 10^12, one in 元 below 10^16 (MONEY)
WAN_YUAN_BOUND = 10 ** 12

# the charts of accounts: seed -> (code column, level column, the level each code length is). A code's level is
# its length's, its parent is the code one level up (its last two digits cut) and is in the same chart, and
# `source` says which documents print the code.
CHARTS: dict[str, tuple[str, str, dict[int, str]]] = {
    "ref_function_subjects": ("subject_code", "subject_level", {3: "类", 5: "款", 7: "项"}),
    "ref_economic_subjects": ("econ_code", "econ_level", {3: "类", 5: "款"}),
}


# rows that share a key but are not one row by it must agree on these columns: table -> (key, columns). A narrative
# measure printed in more than one shape of table has one row per shape, binding the same labels the same way.
CONSISTENT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ref_narrative_measures": (("measure",), ("priority", "label_pattern", "section_pattern", "relation")),
}

# seed -> columns a row must have, each with the condition on the row's other columns under which it must
# (ref_unit_years: a summary year, known by its totals only, has no template)
REQUIRED: dict[str, list[tuple[str, dict[str, str]]]] = {
    # a table printing its codes over level columns names the header and the levels
    "ref_report_tables": [("orientation", {}), ("fit", {}), ("code_header_zh", {"code_columns": "spanned"}),
                          ("code_levels_zh", {"code_columns": "spanned"}), ("code_header_zh", {"code_columns": "split"}),
                          ("code_levels_zh", {"code_columns": "split"})],
    "ref_units": [("unit_name", {}), ("unit_kind", {})],
    # every item of a document has a level and a heading
    "ref_report_outline": [("level", {}), ("title_zh", {})],
    # a term is printed with its definition
    "ref_glossary_terms": [("number_style", {}), ("entry_kind", {}), ("term_zh", {"entry_kind": "term"}),
                           ("definition_zh", {"entry_kind": "term"})],
    "ref_unit_years": [("template_version", {"detail_level": "full"}), ("report_kind", {}), ("detail_level", {}),
                       ("data_origin", {})],
    "ref_unit_memberships": [("from_year", {})],
    "ref_function_subjects": [("subject_name", {}), ("subject_level", {})],
    "ref_economic_subjects": [("econ_name", {}), ("econ_level", {}), ("cost_type", {})],
}

# the leaf tables every full 单位决算 unit-year has rows in (its 收入, its 支出; a table it printed empty has
# 0.00 rows or none, so the other leaf tables may have none)
MUST_HAVE_FACTS = ("amt_revenue", "amt_expenditure")

YEAR_RANGE = (1990, 2100)

# the columns holding a year (each is checked to be from 1990 to 2100)
YEAR_COLUMNS = ("fiscal_year", "from_year", "to_year", "first_year")
