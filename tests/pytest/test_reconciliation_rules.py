"""Each reconciliation rule, shown to fail on broken data with a message that names the unit, year, table,
row and column, the expected and actual amounts and the difference; and shown to pass on the real data.

Two ways of breaking data:
- a printed cell of a built mart is changed (a model or template bug), then audit_report_cells and every
  rule are re-run with the SQL that dbt compiled for them in the session build (fast: no dbt parse);
- a broken seed fixture (tests/pytest/fixtures/broken_*) replaces a seed file and the whole project is
  rebuilt with `dbt build`, which must fail on exactly the expected rules.
"""
from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_dbt

FIXTURES = Path(__file__).parent / "fixtures"
RULES = {
    "R001": "R001_function_hierarchy", "R002": "R002_economic_hierarchy",
    "R003": "R003_table_total_equals_classes", "R004": "R004_column_sums",
    "R005": "R005_gongkai01_balance", "R006": "R006_gongkai04_balance",
    "R007": "R007_gongkai01_vs_02_03", "R008": "R008_gongkai02_vs_04", "R009": "R009_gongkai04_vs_05",
    "R010": "R010_gongkai05_vs_06", "R011": "R011_gongkai06_cost_totals", "R012": "R012_gongkai07_vs_04",
    "R013": "R013_gongkai08_vs_04", "R014": "R014_sangong_06_within_09", "R015": "R015_gongkai05_within_03",
    "R016": "R016_department_consolidation", "R017": "R017_project_execution_within_05",
    "R018": "R018_procurement_within_expenditure", "R019": "R019_performance_scores",
}
SINGULAR = {"R017", "R018", "R019"}  # tests/dbt/reconciliation/, not tests of audit_report_cells

# rule -> (the UPDATE that breaks one printed cell, a fragment the failure must name, expected difference)
TAMPER = {
    "R001": ("update marts.gongkai_03 set basic_expenditure = basic_expenditure + 5 where subject_code = '20605'",
             "20605", Decimal("5.00")),
    "R002": ("update marts.gongkai_06 set amount = amount - 1.5 where subject_code = '302'", "302", Decimal("-1.50")),
    "R003": ("update marts.gongkai_02 set total_income = total_income + 0.01, fiscal_appropriation_income = "
             "fiscal_appropriation_income + 0.01 where item_name = '合计'", "行1 合计", Decimal("0.01")),
    "R004": ("update marts.gongkai_05 set project_expenditure = 400 where subject_code = '2060599'",
             "行5 其他科技条件与服务支出 [total_expenditure]", Decimal("87.82")),
    "R005": ("update marts.gongkai_01 set income_amount = 1600 where line_no = 30", "行30 总计", Decimal("46.03")),
    "R006": ("update marts.gongkai_04 set expenditure_total = 0, expenditure_general_budget = 0 where line_no = 64",
             "行64 总计", Decimal("-1553.97")),
    "R007": ("update marts.gongkai_01 set expenditure_amount = 60 where subject_code = '208'",
             "行38 八、社会保障和就业支出", Decimal("-9.23")),
    "R008": ("update marts.gongkai_04 set income_amount = 1500 where line_no in (1, 27, 32)",
             "行1 合计 [fiscal_appropriation_income]", Decimal("53.97")),
    "R009": ("update marts.gongkai_04 set expenditure_general_budget = 50, expenditure_gov_fund = 2.52 "
             "where subject_code = '210'", "行41 九、卫生健康支出", Decimal("-2.52")),
    "R010": ("update marts.gongkai_05 set basic_expenditure = 1000, project_expenditure = 553.97 "
             "where item_name = '合计'", "行1 合计 [basic_expenditure]", Decimal("-66.15")),
    "R011": ("update marts.gongkai_06 set amount = 900 where item_name = '人员经费合计'", "人员经费合计",
             Decimal("-39.79")),
    "R012": ("update marts.gongkai_07 set opening_balance = 3, closing_balance = 3 where item_name = '合计'",
             "公开07表 行1 合计 [opening_balance]", Decimal("3.00")),
    "R013": ("update marts.gongkai_08 set total_expenditure = 7, basic_expenditure = 7 where item_name = '合计'",
             "公开08表 行1 合计 [total_expenditure]", Decimal("7.00")),
    "R014": ("update marts.gongkai_06 set amount = 0.50 where subject_code = '30217'", "30217", Decimal("0.50")),
    "R015": ("update marts.gongkai_05 set project_expenditure = project_expenditure + 1, total_expenditure = "
             "total_expenditure + 1 where subject_code = '2060599'", "2060599", Decimal("1.00")),
}


def failing_rules(output: str) -> set[str]:
    """Rules whose test dbt reported as FAIL in its progress lines."""
    lines = [line for line in output.splitlines() if " FAIL " in line]
    return {rule for rule, test in RULES.items() if any(f" {test} " in line for line in lines)}


def stored_failures(con, rule: str) -> list[dict]:
    cur = con.execute(f"select * from audit.{RULES[rule]}")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def test_all_rules_pass_on_the_real_data(warehouse, con):
    for rule in RULES:
        assert stored_failures(con, rule) == [], rule
    # and the rules read every non-zero printed cell of the nine marts, and only those
    assert con.execute("select count(*) from audit.audit_report_cells where amount = 0").fetchone()[0] == 0
    printed_nonzero = 0
    for table in [f"{n:02d}" for n in range(1, 10)]:
        columns = con.execute("select column_name, side from staging.stg_template_columns "
                              "where table_code = ? and template_version = (select distinct template_version "
                              "from audit.audit_report_cells)", [table]).fetchall()
        for column, side in columns:
            printed_nonzero += con.execute(
                f"select count(*) from marts.gongkai_{table} where {column} <> 0"
                + (" and side = ?" if side else ""), [side] if side else []).fetchone()[0]
    n_cells = con.execute("select count(*) from audit.audit_report_cells").fetchone()[0]
    assert n_cells == printed_nonzero > 100


def rerun_rules(con, target: Path) -> dict[str, list[dict]]:
    """Rebuild audit_report_cells and run every rule with the SQL dbt compiled in the session build."""
    compiled = target / "compiled" / "juesuan" / "models" / "marts" / "audit"
    con.execute("create or replace table audit.audit_report_cells as (\n"
                + (compiled / "audit_report_cells.sql").read_text(encoding="utf-8") + "\n)")
    results = {}
    for rule, test in RULES.items():
        if rule in SINGULAR:
            continue
        cur = con.execute((compiled / "audit_report_cells.yml" / f"{test}.sql").read_text(encoding="utf-8"))
        names = [d[0] for d in cur.description]
        results[rule] = [dict(zip(names, row)) for row in cur.fetchall()]
    return results


@pytest.mark.parametrize("rule", sorted(TAMPER))
def test_rule_fails_on_a_broken_mart_cell(warehouse, tmp_path, rule):
    update, fragment, difference = TAMPER[rule]
    db = tmp_path / warehouse.db_path.name  # same file name: compiled SQL names the catalog after it
    shutil.copy(warehouse.db_path, db)
    import duckdb
    with duckdb.connect(str(db)) as c:
        assert all(rows == [] for rows in rerun_rules(c, warehouse.db_path.parent / "target").values())
        c.execute(update)
        results = rerun_rules(c, warehouse.db_path.parent / "target")
    rows = results[rule]
    assert rows, rule
    for row in rows:
        assert row["unit_code"] == "WH-KJJ-XMZX" and row["fiscal_year"] == 2024
        assert row["rule_id"] == rule and row["message_zh"]
        assert row["difference"] == row["actual_amount"] - row["expected_amount"]
    described = [" ".join(str(v) for v in row.values()) for row in rows]
    assert any(fragment in text for text in described), described
    assert difference in {row["difference"] for row in rows}, rows


def test_a_parent_printed_as_zero_is_named_with_its_row(warehouse, tmp_path):
    """audit_report_cells keeps no zero cells: a 类 row printed as 0.00 over non-zero 款 rows still fails R001
    with its 行次 and name (looked up in the failing unit-year's report rows), and R003 (总计 = Σ 类) names it too."""
    db = tmp_path / warehouse.db_path.name
    shutil.copy(warehouse.db_path, db)
    import duckdb
    with duckdb.connect(str(db)) as c:
        c.execute("update marts.gongkai_03 set total_expenditure = 0, basic_expenditure = 0, "
                  "project_expenditure = 0 where subject_code = '206'")
        results = rerun_rules(c, warehouse.db_path.parent / "target")
    failing = {(r["subject_code"], r["column_name"]): r for r in results["R001"]}
    assert set(failing) == {("206", c) for c in ("total_expenditure", "basic_expenditure", "project_expenditure")}
    row = failing[("206", "total_expenditure")]
    assert (row["line_no"], row["item_name"]) == (2, "科学技术支出")
    assert (row["actual_amount"], row["expected_amount"], row["difference"]) == (
        Decimal("0.00"), Decimal("1309.75"), Decimal("-1309.75"))
    assert any("公开03表 行2 科学技术支出 [total_expenditure]" in (r["expected_cells"] or "") for r in results["R003"]), \
        results["R004"]


def test_tolerance_var_allows_rounding_differences(warehouse, tmp_path):
    """尾数误差: a 0.01 difference passes with reconciliation_tolerance 0.01 and fails when exact."""
    db = tmp_path / "rounding.duckdb"
    shutil.copy(warehouse.db_path, db)
    import duckdb
    with duckdb.connect(str(db)) as c:
        c.execute("update marts.gongkai_01 set income_amount = income_amount + 0.01 where line_no = 30")
    exact = run_dbt(["build", "--select", "audit_report_cells"], ROOT, db, tmp_path)
    assert "R005" in failing_rules(exact.output)
    tolerant = run_dbt(["build", "--select", "audit_report_cells", "--vars", "{reconciliation_tolerance: 0.01}"],
                       ROOT, db, tmp_path)
    assert tolerant.returncode == 0, tolerant.output[-3000:]


# a broken seed fixture (its CSVs replace the seeds of the same name), the rules it must fail, a fragment of a failure
BROKEN_FIXTURES = [
    # 基本工资 10.00 higher in 公开06 than the function-side 基本支出 behind 公开05
    ("broken_econ_detail", {"R010"}, "行1 合计 [basic_expenditure]"),
    # one revenue line missing: income no longer equals expenditure
    ("broken_revenue_missing", {"R005", "R006", "R009"}, "行30 总计"),
    # 公务接待费 booked in 公开06 while 公开09 reports no 三公 spending
    ("broken_sangong_above_final", {"R010", "R014"}, "30217"),
    # 政府采购 services 2000.00: above the year's total expenditure; the self-evaluation claims 500.00 executed
    ("broken_disclosures", {"R017", "R018"}, "政府采购支出总额"),
]


def broken_project(dest: Path, fixture: str) -> Path:
    """A throw-away copy of the project whose seeds are replaced by the broken fixture's CSVs."""
    project = copy_project(dest)
    for csv_file in (FIXTURES / fixture).glob("*.csv"):
        shutil.copy(csv_file, next(project.glob(f"seeds/**/{csv_file.name}")))
    return project


@pytest.mark.slow
@pytest.mark.parametrize("fixture, expected_rules, fragment", BROKEN_FIXTURES)
def test_broken_seed_fixture_fails_the_right_rules(tmp_path, fixture, expected_rules, fragment):
    project = broken_project(tmp_path / "project", fixture)
    run = run_dbt(["build"], project, tmp_path / "broken.duckdb", tmp_path)
    assert run.returncode == 1, run.output[-3000:]
    assert failing_rules(run.output) == expected_rules, run.output[-4000:]
    with run.connect() as c:
        texts = [" ".join(str(v) for v in row.values()) for rule in expected_rules for row in stored_failures(c, rule)]
    assert any(fragment in t for t in texts), texts
