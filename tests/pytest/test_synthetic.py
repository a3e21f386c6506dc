"""The synthetic generator (scripts/generate_synthetic.py) through the bulk load path: its output reconciles,
and a defect-injected set fails exactly the injected rules for exactly the injected unit-years (and the
departments that consolidate them)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, run_dbt

pytestmark = pytest.mark.slow  # builds whole warehouses; ./juesuan test -m "not slow" skips it

GENERATE = [sys.executable, str(ROOT / "scripts" / "generate_synthetic.py")]


def generate(out, units, defects=0):
    subprocess.run([*GENERATE, "--units", str(units), "--years", "2023-2024", "--per-department", "4",
                    "--out", str(out), "--inject-defects", str(defects)], check=True, capture_output=True)


def build(tmp_path, bulk):
    return run_dbt(["build", "--vars", json.dumps({"bulk_dir": str(bulk)})], ROOT, tmp_path / "juesuan.duckdb",
                   tmp_path)


def test_generated_data_reconciles(tmp_path):
    generate(tmp_path / "data", units=8)
    run = build(tmp_path, tmp_path / "data")
    assert run.returncode == 0, run.output[-4000:]
    with run.connect() as c:
        assert c.execute("select count(*) from marts.dim_unit_years where data_origin = 'synthetic'").fetchone() \
            == (20,)  # 8 units + 2 departments, 2 years
        assert c.execute("select count(distinct unit_code) from marts.gongkai_01 "
                         "where unit_code like 'S-%'").fetchone() == (10,)


def test_injected_defects_are_found_and_nothing_else(tmp_path):
    generate(tmp_path / "data", units=8, defects=3)
    run = build(tmp_path, tmp_path / "data")
    assert run.returncode == 1
    injected = json.loads((tmp_path / "data" / "defects.json").read_text(encoding="utf-8"))
    assert {d["defect"] for d in injected} == {"econ_detail", "sangong_econ", "missing_revenue"}
    expected = set()
    for d in injected:
        department = f"S-D{int(d['unit_code'][3:]) // 4:05d}"
        expected |= {(rule, unit, d["fiscal_year"]) for rule in d["rules"] for unit in (d["unit_code"], department)}
    with run.connect() as c:
        tables = [t for (t,) in c.execute("select table_name from information_schema.tables "
                                          "where table_schema = 'audit' and table_name like 'R0%'").fetchall()]
        found = {(t[:4], u, y) for t in tables
                 for u, y in c.execute(f'select distinct unit_code, fiscal_year from audit."{t}"').fetchall()}
    assert found == expected


def test_a_bulk_fact_on_an_unknown_subject_fails_its_staging_test_by_name(tmp_path):
    """Bulk files skip scripts/validate_seeds.py, and int_unit_facts / int_report_facts carry no reference
    tests of their own (docs/design.md, "Constraints and tests"): a fact booked on a subject code that is not in
    the chart must fail the staging model's relationships test, by name."""
    import duckdb

    generate(tmp_path / "data", units=4)
    revenue = tmp_path / "data" / "amt_revenue.parquet"
    with duckdb.connect() as con:
        con.execute(f"copy (select * replace (case when row_number() over () = 1 then '2999999' "
                    f"else subject_code end as subject_code) from '{revenue}') to '{revenue}.new' (format parquet)")
    (tmp_path / "data" / "amt_revenue.parquet.new").replace(revenue)
    run = build(tmp_path, tmp_path / "data")
    assert run.returncode != 0
    failing = [line for line in run.output.splitlines() if "FAIL" in line and "relationships_stg_revenue_subject_code" in line]
    assert failing, run.output[-4000:]
