#!/usr/bin/env python3
"""Check every seed CSV before anything is loaded, and report each problem as file:row: rule: message.

Types come from the seeds' YAML (`config.column_types`); the code references below are the rules the
facts must follow (a fact names a known unit-year, a 项-level function subject, a 款-level economic
subject, …). Exit status 0 when clean, 1 when any problem is found; nothing is written either way.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

MONEY = re.compile(r"^-?\d{1,16}(\.\d{1,2})?$")
INTEGER = re.compile(r"^-?\d+$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
BOOLEAN = {"true", "false", ""}

# (seed, columns) -> (referenced seed, columns, optional filter on the referenced rows, rule id)
UNIT_YEAR = ("unit_code", "fiscal_year")
# Facts are seeded for units only (a department's figures are the sum of its members: report_kind 部门决算),
# and only for years whose detail is known (detail_level full; a summary year has totals only).
UNIT_REPORT = {"report_kind": "单位决算", "detail_level": "full"}
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
    "ref_template_rows": ("template_version", "table_code", "row_order"),
    "ref_template_columns": ("template_version", "table_code", "column_name"),
    "ref_accepted_findings": ("rule_id", "unit_code", "fiscal_year", "finding_key"),
    "ref_narrative_measures": ("measure",),
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

@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}"


def column_types(seeds_dir: Path) -> dict[str, dict[str, str]]:
    types: dict[str, dict[str, str]] = {}
    for yml in sorted(seeds_dir.rglob("*.yml")):
        for seed in (yaml.safe_load(yml.read_text(encoding="utf-8")) or {}).get("seeds", []):
            types[seed["name"]] = {k: str(v).lower() for k, v in (seed.get("config", {}).get("column_types") or {}).items()}
    return types


def read_seeds(seeds_dir: Path) -> dict[str, tuple[Path, list[dict[str, str]], list[str]]]:
    seeds = {}
    for path in sorted(seeds_dir.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            seeds[path.stem] = (path, rows, list(reader.fieldnames or []))
    return seeds


def check_types(name: str, path: Path, rows: list[dict[str, str]], header: list[str], types: dict[str, str]) -> list[Problem]:
    problems = []
    if set(header) != set(types):
        missing, unknown = sorted(set(types) - set(header)), sorted(set(header) - set(types))
        problems.append(Problem(path, 1, "header", f"columns differ from the seed's YAML: missing {missing}, unknown {unknown}"))
    for line, row in enumerate(rows, start=2):
        if None in row or any(v is None for v in row.values()):
            problems.append(Problem(path, line, "row_shape", f"expected {len(header)} fields"))
            continue
        for column, kind in types.items():
            value = (row.get(column) or "").strip()
            if kind.startswith("decimal"):
                if column == "amount" and value == "":
                    problems.append(Problem(path, line, "amount_required", f"{column} is empty (a blank printed cell is 0.00)"))
                elif value and not MONEY.match(value):
                    problems.append(Problem(path, line, "money_format", f"{column} {value!r} is not an amount with at most two decimals (万元, or 元 where the unit-year's amount_unit is 元)"))
            elif kind == "date" and value and not DATE.match(value):
                problems.append(Problem(path, line, "date_format", f"{column} {value!r} is not a date YYYY-MM-DD"))
            elif kind == "integer" and value and not INTEGER.match(value):
                problems.append(Problem(path, line, "integer_format", f"{column} {value!r} is not an integer"))
            elif kind == "boolean" and value.lower() not in BOOLEAN:
                problems.append(Problem(path, line, "boolean_format", f"{column} {value!r} is not true/false"))
    return problems


def check_keys(name: str, path: Path, rows: list[dict[str, str]]) -> list[Problem]:
    key = KEYS.get(name)
    if not key:
        return []
    seen: dict[tuple[str, ...], int] = {}
    problems = []
    for line, row in enumerate(rows, start=2):
        value = tuple((row.get(c) or "").strip() for c in key)
        if value in seen:
            problems.append(Problem(path, line, "unique_key", f"{dict(zip(key, value))} already on line {seen[value]}"))
        else:
            seen[value] = line
    return problems


def check_references(seeds: dict) -> list[Problem]:
    problems = []
    for seed, cols, target, target_cols, where, rule in REFERENCES:
        if seed not in seeds or target not in seeds:
            continue
        path, rows, _ = seeds[seed]
        allowed = {
            tuple((r.get(c) or "").strip() for c in target_cols)
            for r in seeds[target][1]
            if all((r.get(k) or "").strip() == v for k, v in where.items())
        }
        for line, row in enumerate(rows, start=2):
            value = tuple((row.get(c) or "").strip() for c in cols)
            if all(value) and value not in allowed:
                having = f" with {where}" if where else ""
                problems.append(Problem(path, line, rule, f"{dict(zip(cols, value))} is not in {target}{having}"))
    return problems


def check_amount_units(seeds: dict) -> list[Problem]:
    """A unit-year's amount_unit is 万元 (or blank) or 元; a leaf entered in 万元 fits the exact 万元 type."""
    problems = []
    units: dict[tuple[str, str], str] = {}
    if "ref_unit_years" in seeds:
        path, rows, _ = seeds["ref_unit_years"]
        for line, row in enumerate(rows, start=2):
            value = (row.get("amount_unit") or "").strip()
            if value not in AMOUNT_UNITS:
                problems.append(Problem(path, line, "amount_unit",
                                        f"amount_unit {value!r} is neither 万元 (or blank) nor 元"))
            units[((row.get("unit_code") or "").strip(), (row.get("fiscal_year") or "").strip())] = AMOUNT_UNITS.get(value, "万元")
    for seed in LEAF_SEEDS:
        if seed not in seeds:
            continue
        path, rows, _ = seeds[seed]
        for line, row in enumerate(rows, start=2):
            value = (row.get("amount") or "").strip()
            unit = units.get(((row.get("unit_code") or "").strip(), (row.get("fiscal_year") or "").strip()), "万元")
            if unit == "万元" and MONEY.match(value) and abs(int(value.split(".")[0])) >= WAN_YUAN_BOUND:
                problems.append(Problem(path, line, "amount_bound",
                                        f"amount {value} 万元 is beyond the bound 999999999999.99 万元 "
                                        "(leaves are summed as exact 万元, DECIMAL(18,6))"))
    return problems


def check_charts(seeds: dict) -> list[Problem]:
    problems = []
    for seed, (code_col, level_col, levels) in CHARTS.items():
        if seed not in seeds:
            continue
        path, rows, _ = seeds[seed]
        codes = {(r.get(code_col) or "").strip(): r for r in rows}
        for line, row in enumerate(rows, start=2):
            code = (row.get(code_col) or "").strip()
            level = (row.get(level_col) or "").strip()
            parent = (row.get("parent_code") or "").strip()
            if not code.isdigit() or levels.get(len(code)) != level:
                want = levels.get(len(code)) if code.isdigit() else None
                problems.append(Problem(path, line, "chart_level", f"{code_col} {code!r} is {level_col} {want or 'no level'}"
                                        f" by its length, not {level!r}"))
            elif len(code) == min(levels):
                if parent:
                    problems.append(Problem(path, line, "chart_parent", f"{code} is a {level} and has no parent, not {parent!r}"))
            elif parent != code[:-2] or parent not in codes:
                problems.append(Problem(path, line, "chart_parent", f"{code}'s parent is {code[:-2]}, in the chart; "
                                        f"parent_code is {parent!r}" + ("" if parent in codes else " (not in the chart)")))
            if "source" in row and not (row.get("source") or "").strip():
                problems.append(Problem(path, line, "chart_source", f"{code} has no source (the documents that print it)"))
            # an economic 款 has the cost type (人员经费 / 公用经费) its 类's own row gives (the chart is the data;
            # scripts/import_report.py gives an added 款 its parent's the same way)
            if "cost_type" in row and len(code) > min(levels) and parent in codes:
                want = (codes[parent].get("cost_type") or "").strip()
                if (row.get("cost_type") or "").strip() != want:
                    problems.append(Problem(path, line, "chart_cost_type", f"{code} is {want} (类 {parent}), "
                                            f"not {(row.get('cost_type') or '').strip()!r}"))
    return problems


def validate(seeds_dir: Path) -> list[Problem]:
    types = column_types(seeds_dir)
    seeds = read_seeds(seeds_dir)
    problems: list[Problem] = []
    for name, (path, rows, header) in seeds.items():
        if name not in types:
            problems.append(Problem(path, 1, "declared", "seed has no column_types in a YAML beside it"))
            continue
        problems += check_types(name, path, rows, header, types[name])
        problems += check_keys(name, path, rows)
    return problems + check_charts(seeds) + check_references(seeds) + check_amount_units(seeds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds-dir", type=Path, default=Path(__file__).resolve().parents[1] / "seeds",
                        help="folder of seed CSVs and their YAML (default: the project's seeds/)")
    args = parser.parse_args(argv)
    problems = validate(args.seeds_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"validate_seeds: {len(problems)} problem(s); nothing was loaded.", file=sys.stderr)
        return 1
    print(f"validate_seeds: {sum(1 for _ in args.seeds_dir.rglob('*.csv'))} seed files OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
