"""Enforced contracts: the tables' own invariants (never NULL, a closed set of codes, never negative) are
declared as dbt constraints, which DuckDB enforces on every insert, full or incremental (docs/design.md,
"Constraints and tests"). Seeds and bulk files are still checked by tests on the staging views."""
from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, copy_project, run_dbt


def declared(manifest: dict) -> dict[str, Counter]:
    """Per contracted table: how many not_null and check constraints its YAML declares."""
    out: dict[str, Counter] = {}
    for node in manifest["nodes"].values():
        config = node.get("config", {})
        if node["resource_type"] != "model" or config.get("materialized") == "view" \
                or not config.get("contract", {}).get("enforced"):
            continue
        kinds = Counter(c["type"] for col in node["columns"].values() for c in col.get("constraints", []))
        kinds.update(c["type"] for c in node.get("constraints", []))
        out[node["name"]] = kinds
    return out


def test_declared_constraints_are_in_the_warehouse(warehouse):
    manifest = json.loads((warehouse.db_path.parent / "target" / "manifest.json").read_text(encoding="utf-8"))
    expected = declared(manifest)
    assert {"int_unit_facts", "int_report_cells", "audit_report_cells", "gongkai_01", "fct_revenue"} <= set(expected)
    with warehouse.connect() as con:
        rows = con.execute("select table_name, constraint_type, count(*) from duckdb_constraints() "
                           "where constraint_type in ('NOT NULL', 'CHECK') group by all").fetchall()
    built: dict[str, Counter] = {}
    for table, kind, n in rows:
        built.setdefault(table, Counter())[{"NOT NULL": "not_null", "CHECK": "check"}[kind]] = n
    assert {t: built.get(t, Counter()) for t in expected} == expected
    assert sum(c["not_null"] for c in expected.values()) > 300 and sum(c["check"] for c in expected.values()) > 80


@pytest.mark.parametrize("statement, message", [
    ("insert into intermediate.int_unit_facts select * replace ('DRAFT' as phase) "
     "from intermediate.int_unit_facts limit 1",
     """CHECK constraint failed on table "int_unit_facts" with expression CHECK((phase IN ('BUDGET', 'FINAL')))"""),
    ("insert into intermediate.int_unit_facts select * replace (null as source_code) "
     "from intermediate.int_unit_facts where measure = 'revenue' limit 1",
     "(source_code IS NOT NULL)"),
    ("insert into marts.gongkai_01 select * replace (null as unit_code) from marts.gongkai_01 limit 1",
     "NOT NULL constraint failed: gongkai_01.unit_code"),
    ("insert into intermediate.int_report_cells select * replace (null as amount) "
     "from intermediate.int_report_cells limit 1",
     "NOT NULL constraint failed: int_report_cells.amount"),
])
def test_a_row_breaking_a_constraint_is_refused(warehouse, tmp_path, statement, message):
    db = tmp_path / "copy.duckdb"
    shutil.copy(warehouse.db_path, db)
    table = statement.split()[2]  # the table the statement inserts into
    with duckdb.connect(str(db)) as con:
        before = con.execute(f"select count(*) from {table}").fetchone()
        with pytest.raises(duckdb.ConstraintException) as err:
            con.execute(statement)
        assert message in str(err.value)
        assert con.execute(f"select count(*) from {table}").fetchone() == before  # nothing half-written


def test_a_model_breaking_its_contract_fails_the_build_by_name(tmp_path):
    """dbt stops at the model whose rows break a constraint, names it and the constraint, and builds nothing
    downstream of it."""
    project = copy_project(tmp_path / "project")
    model = project / "models" / "intermediate" / "int_unit_facts.sql"
    sql = model.read_text(encoding="utf-8")
    assert sql.rstrip().endswith("select * from tagged")
    model.write_text(sql.rstrip().removesuffix("select * from tagged")
                     + "select * replace (if(measure = 'sangong', fund_code, null) as fund_code) from tagged\n",
                     encoding="utf-8")
    run = run_dbt(["build", "--select", "+int_report_facts", "--resource-type", "seed", "--resource-type",
                   "model"], project,
                  tmp_path / "broken.duckdb", tmp_path)
    assert run.returncode != 0
    assert "Failure in model int_unit_facts (models/intermediate/int_unit_facts.sql)" in run.output
    assert """CHECK constraint failed on table "int_unit_facts" with expression CHECK(((measure = 'sangong') OR """ \
        """(fund_code IS NOT NULL)))""" in run.output
    assert "SKIP relation intermediate.int_report_facts" in run.output
    assert "ERROR=1 SKIP=1" in run.output


def test_a_cell_id_shared_by_two_positions_fails_the_template_cell_tests(warehouse, tmp_path):
    """int_report_cells has no key test of its own (its group by makes (unit, year, cell_id) a key); what makes
    that a key of printed positions is tested on the small int_template_cells. Two positions with one cell_id
    (a hash collision, or a change to how the id is made) fail there, by name."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(warehouse.db_path, db)
    with duckdb.connect(str(db)) as con:
        cell_id = con.execute(
            "select cell_id from intermediate.int_template_cells where table_code = '02' "
            "order by row_order, column_name limit 1").fetchone()[0]
        con.execute("insert into intermediate.int_template_cells select * replace (row_order + 1000 as row_order) "
                    "from intermediate.int_template_cells where cell_id = ?", [cell_id])
    run = run_dbt(["test", "--select", "int_template_cells"], ROOT, db, tmp_path)
    assert run.returncode != 0
    assert "Failure in test unique_int_template_cells_cell_id" in run.output
    assert "Got 1 result, configured to fail if != 0" in run.output  # the one shared id
    assert "Done. PASS=1 WARN=0 ERROR=1 " in run.output  # the positions are still distinct
