"""The reconciliation registry, the dbt tests that implement it, the report templates and the mart
contracts must agree with one another."""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

SEEDS = ROOT / "seeds"
MACRO_OF_KIND = {"equation": "reconcile_equations", "subject_hierarchy": "reconcile_subject_hierarchy",
                 "consolidation": "reconcile_consolidation"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def audit_tests() -> list[tuple[str, dict]]:
    spec = yaml.safe_load((ROOT / "models/marts/audit/audit_report_cells.yml").read_text(encoding="utf-8"))
    tests = []
    for test in spec["models"][0]["data_tests"]:
        [(macro, body)] = test.items()
        tests.append((macro, body))
    return tests


RULES = read_csv(SEEDS / "reconciliation/ref_reconciliation_rules.csv")


def test_every_registered_rule_has_exactly_one_test_with_its_severity():
    tests = audit_tests()
    by_rule = Counter(body["arguments"]["rule_id"] for _, body in tests)
    # published-report rules are not tests: they are audit.findings' data (test below)
    generic = [r for r in RULES if r["check_kind"] not in ("singular", "published", "narrative")]
    assert set(by_rule) == {r["rule_id"] for r in generic}
    assert all(n == 1 for n in by_rule.values())
    singular = {p.stem: p for p in (ROOT / "tests/dbt/reconciliation").glob("R*.sql")}
    assert set(singular) == {f"{r['rule_id']}_{r['rule_name']}" for r in RULES if r["check_kind"] == "singular"}
    for rule in RULES:
        if rule["check_kind"] == "singular":
            sql = singular[f"{rule['rule_id']}_{rule['rule_name']}"].read_text(encoding="utf-8")
            assert f"severity='{rule['severity']}'" in sql and "store_failures=true" in sql
            assert f"rule_id = '{rule['rule_id']}'" in sql
            continue
        if rule["check_kind"] in ("published", "narrative"):
            continue
        macro, body = next((m, b) for m, b in tests if b["arguments"]["rule_id"] == rule["rule_id"])
        assert macro == MACRO_OF_KIND[rule["check_kind"]], rule["rule_id"]
        assert body["name"] == f"{rule['rule_id']}_{rule['rule_name']}"
        assert body["config"]["severity"] == rule["severity"]
        assert body["config"]["store_failures"] is True
        # the classification a hierarchy rule walks is the registry's (int_printed_rule_checks reads it there)
        assert body["arguments"].get("subject_dimension", "") == rule["subject_dimension"], rule["rule_id"]


def test_every_rule_of_published_reports_has_its_one_piece_of_sql():
    """A `published` rule is one file in macros/audit/ (P001_tables_printed.sql) with audit_rule_P001 (its failing
    rows, read by audit.findings) and audit_scope_P001 (what it looked at, read by audit.checklist), listed once
    in published_rules(); a `narrative` rule is one CTE of int_narrative_checks (n001 …); the arithmetic rules
    also run on printed figures (int_printed_rule_checks reads every equation and hierarchy rule)."""
    import re

    narrative = (ROOT / "models/intermediate/int_narrative_checks.sql").read_text(encoding="utf-8")
    helpers = (ROOT / "macros/audit/audit_helpers.sql").read_text(encoding="utf-8")
    listed = re.search(r"macro published_rules\(\).*?return\((\[.*?\])\)", helpers, re.S).group(1)
    assert sorted(eval(listed)) == sorted(r["rule_id"] for r in RULES if r["check_kind"] == "published")
    for model in ("fct_audit_findings", "fct_audit_checklist"):
        assert "published_rules()" in (ROOT / f"models/marts/audit/{model}.sql").read_text(encoding="utf-8")
    for rule in RULES:
        if rule["check_kind"] == "published":
            macro = ROOT / "macros" / "audit" / f"{rule['rule_id']}_{rule['rule_name']}.sql"
            text = macro.read_text(encoding="utf-8")
            assert f"macro audit_rule_{rule['rule_id']}()" in text, rule["rule_id"]
            assert f"macro audit_scope_{rule['rule_id']}()" in text, rule["rule_id"]
        elif rule["check_kind"] == "narrative":
            assert f"{rule['rule_id'].lower()} as (" in narrative and f"'{rule['rule_id']}' as rule_id" in narrative
    published = {p.stem.split("_")[0] for p in (ROOT / "macros" / "audit").glob("P*.sql")}
    assert published == {r["rule_id"] for r in RULES if r["check_kind"] == "published"}


def test_every_equation_belongs_to_an_equation_rule():
    kinds = {r["rule_id"]: r["check_kind"] for r in RULES}
    equations = read_csv(SEEDS / "reconciliation/ref_reconciliation_equations.csv")
    assert {kinds[e["rule_id"]] for e in equations} == {"equation"}
    used = {e["rule_id"] for e in equations}
    assert used == {r for r, k in kinds.items() if k == "equation"}, "an equation rule without equations"


def mart_yaml(table: str) -> dict:
    spec = yaml.safe_load((ROOT / f"models/marts/reports/gongkai_{table}.yml").read_text(encoding="utf-8"))
    return spec["models"][0]


@pytest.mark.parametrize("table", [f"{n:02d}" for n in range(1, 10)])
def test_mart_contract_matches_the_template_columns(table):
    model = mart_yaml(table)
    assert model["config"]["contract"]["enforced"] is True
    amount_cols = [c for c in model["columns"] if "meta" in c]
    columns = [c for c in read_csv(SEEDS / "templates/ref_template_columns.csv") if c["table_code"] == table]
    template = [c for c in columns if c["template_version"] == "CN2024"]
    # the national columns in their order, then each column another layout prints (SH2024 表9's 年初/本年收入/年末)
    extra = list(dict.fromkeys(c["column_name"] for c in columns if c["column_name"] not in
                               {t["column_name"] for t in template}))
    assert [c["name"] for c in amount_cols] == [c["column_name"] for c in template] + extra
    for col in amount_cols[len(template):]:
        first = next(c for c in columns if c["column_name"] == col["name"])
        assert (col["meta"]["header_zh"], col["meta"].get("column_no")) == (first["header_zh"], int(first["column_no"]))
    for col, tpl in zip(amount_cols, template):
        assert col["data_type"] == "decimal(18,2)"
        assert col["meta"]["header_zh"] == tpl["header_zh"]
        assert col["meta"].get("column_no") == (int(tpl["column_no"]) if tpl["column_no"] else None)
    key = [c["name"] for c in model["columns"] if "meta" not in c]
    expected = ["fiscal_year", "unit_code"] + (["side"] if table in ("01", "04") else []) + \
        ["line_no", "subject_code", "item_name"] + (["cost_type"] if table == "06" else []) + ["derived_columns"]
    assert key == expected
    assert all(c.get("description") for c in model["columns"])


@pytest.mark.parametrize("table", [f"{n:02d}" for n in range(1, 10)])
def test_built_mart_types(con, table):
    types = dict(con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and table_name = ?", [f"gongkai_{table}"]).fetchall())
    for col in mart_yaml(table)["columns"]:
        if "meta" in col:
            assert types[col["name"]] == "DECIMAL(18,2)", col["name"]
    assert types["fiscal_year"] == "INTEGER" and types["line_no"] == "INTEGER"


def test_every_model_has_a_yaml_beside_it():
    missing = [p for p in (ROOT / "models").rglob("*.sql") if not p.with_suffix(".yml").exists()]
    assert missing == []


def test_marts_never_read_seeds():
    seeds = {p.stem for p in SEEDS.rglob("*.csv")}
    offenders = [p.name for p in (ROOT / "models/marts").rglob("*.sql")
                 if any(f"ref('{s}')" in p.read_text(encoding="utf-8") for s in seeds)]
    assert offenders == []
