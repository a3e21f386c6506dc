"""The synthetic generator (scripts/generate_synthetic.py) through the bulk load path: its output reconciles,
and a defect-injected set fails exactly the injected rules for exactly the injected unit-years (and the
departments that consolidate them)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, run_dbt

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
