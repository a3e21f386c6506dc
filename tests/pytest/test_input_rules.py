"""The input rules' registry and the checks agree; what is read instead of refused (GB18030, a BOM, another column
order) loads as the same data; a negative amount is accepted only where ref_negative_allowances lets it."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, copy_project

sys.path.insert(0, str(ROOT / "scripts"))
from validation import load_rules, run_validation  # noqa: E402

SCRIPTS = ROOT / "scripts"


def test_every_rule_of_the_registry_is_checked_and_every_check_is_registered():
    """Each rule id the validation code raises is in seeds/validation/ref_input_rules.csv with a severity
    (error or warning), and each registered rule is raised somewhere in the code."""
    rules = load_rules(ROOT / "seeds")
    assert all(r.severity in ("error", "warning") and r.message for r in rules.values())
    code = "\n".join(p.read_text(encoding="utf-8") for p in (SCRIPTS / "validation").glob("*.py"))
    code += (SCRIPTS / "validation" / "declarations.py").read_text(encoding="utf-8")
    raised = set(re.findall(r"[\"']([a-z_]+)[\"']", code)) & set(rules)
    assert raised == set(rules), sorted(set(rules) - raised)
    quoted = set(re.findall(r'Problem\([^,]+, [^,]+, "([a-z_]+)"', code))
    assert quoted <= set(rules), sorted(quoted - set(rules))


def test_the_shipped_seeds_and_the_empty_bulk_files_are_clean():
    """(How fast: scripts/benchmark_validation.py, docs/benchmarks.md.)"""
    checked = run_validation(ROOT / "seeds", ROOT / "bulk" / "empty")
    assert checked.problems == [] and len(checked.seeds) == len(list((ROOT / "seeds").rglob("*.csv")))


def test_a_negative_amount_is_accepted_where_an_allowance_lists_it(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "seeds" / "amounts" / "amt_expenditure.csv"
    text = path.read_text(encoding="utf-8").replace("2089999,GPB,BASIC,2.66", "2089999,GPB,BASIC,-2.66")
    path.write_text(text, encoding="utf-8")
    [problem] = run_validation(project / "seeds").problems
    assert (problem.rule, problem.line, problem.value) == ("amount_negative", 5, "-2.66")
    with open(project / "seeds" / "validation" / "ref_negative_allowances.csv", "a", encoding="utf-8") as f:
        f.write("amt_expenditure,amount,subject_code,2089999,收回以前年度支出 (test)\n")
    assert run_validation(project / "seeds").problems == []
    # the allowance is for that subject only
    path.write_text(text.replace("2080505,GPB,BASIC,66.57", "2080505,GPB,BASIC,-66.57"), encoding="utf-8")
    assert [(p.rule, p.line) for p in run_validation(project / "seeds").problems] == [("amount_negative", 4)]


def test_a_bulk_batch_is_checked_with_the_seeds(tmp_path):
    """A synthetic batch passes; the same batch with one negative 三公 amount is refused naming the Parquet file
    and the row."""
    bulk = tmp_path / "bulk"
    subprocess.run([sys.executable, str(SCRIPTS / "generate_synthetic.py"), "--units", "20", "--out", str(bulk)],
                   check=True, capture_output=True)
    assert run_validation(ROOT / "seeds", bulk).problems == []
    with duckdb.connect() as con:
        con.execute(f"copy (select * replace (case when item_code = 'RECEPTION' and phase = 'FINAL' "
                    f"and unit_code = 'S-U0000003' and fiscal_year = 2023 then -amount - 1 else amount end::decimal(18,2) as amount) "
                    f"from read_parquet('{bulk}/amt_sangong.parquet')) to '{bulk}/amt_sangong.fixed.parquet' (format parquet)")
        (bulk / "amt_sangong.parquet").unlink()
        rows = con.execute(f"select file_row_number + 1 from read_parquet('{bulk}/amt_sangong.fixed.parquet', "
                           f"file_row_number = true) where amount < 0").fetchall()
    problems = run_validation(ROOT / "seeds", bulk).problems
    assert [(p.path.name, p.line, p.rule) for p in problems] == [("amt_sangong.fixed.parquet", rows[0][0], "amount_negative")]
    assert f"amt_sangong.fixed.parquet:row {rows[0][0]}: [amount_negative]" in str(problems[0])


@pytest.mark.slow
def test_a_gb18030_seed_and_another_column_order_build_the_same_warehouse(warehouse, tmp_path):
    """ref_units.csv (Chinese names) saved as GB18030 with its columns in another order, and amt_revenue.csv with
    a BOM, are read (said as warnings), loaded from a UTF-8 copy, and build a warehouse whose marts equal the
    seeded one's; the user's files are not rewritten."""
    project = copy_project(tmp_path / "project")
    units = project / "seeds" / "reference" / "ref_units.csv"
    with open(units, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    order = [1, 0, 2, 3, 6, 5, 4]
    units.write_bytes("".join(",".join(r[i] for i in order) + "\r\n" for r in rows).encode("gb18030"))
    revenue = project / "seeds" / "amounts" / "amt_revenue.csv"
    revenue.write_bytes(b"\xef\xbb\xbf" + revenue.read_bytes())
    revenue_bytes, units_bytes = revenue.read_bytes(), units.read_bytes()
    db = tmp_path / "wh" / "juesuan.duckdb"
    proc = subprocess.run([sys.executable, str(SCRIPTS / "build.py"), "--project-dir", str(project), "--db", str(db)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "[encoding_read]" in proc.stderr and "read as GB18030 (GBK)" in proc.stderr
    assert "[column_order]" in proc.stderr and "UTF-8 with a BOM" in proc.stderr
    assert revenue.read_bytes() == revenue_bytes and units.read_bytes() == units_bytes
    # the staging views read the bulk files by an absolute path: they work from another working directory
    query = (f"import duckdb; print(duckdb.connect({str(db)!r}, read_only=True)"
             ".execute('select count(*) from staging.stg_units').fetchone()[0])")
    elsewhere = subprocess.run([sys.executable, "-c", query], cwd=tmp_path, capture_output=True, text=True)
    assert elsewhere.returncode == 0 and elsewhere.stdout.strip() == "2", elsewhere.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        con.execute(f"attach '{warehouse.db_path}' as seeded (read_only)")
        for mart in ("fct_revenue", "gongkai_01", "gongkai_03", "dim_units"):
            mine = con.execute(f"select * from marts.{mart} order by all").fetchall()
            assert mine and mine == con.execute(f"select * from seeded.marts.{mart} order by all").fetchall(), mart


def test_a_rate_of_amounts_within_the_bounds_fits_its_type(tmp_path):
    """The largest amounts validation lets through (a sum below 10^12 万元) over the smallest non-zero one
    (0.01) give a rate of 10^16 %: percent() returns DECIMAL(18, d), as the rate columns of the marts declare,
    instead of DECIMAL(9, d), which failed the build with a cast error (issue 20)."""
    from conftest import run_dbt

    run = run_dbt(["show", "--inline", "select {{ percent('999999999999.99', '0.01') }} as rate, "
                   "{{ percent('1553.97', '1629.93') }} as usual", "--output", "json"], ROOT,
                  tmp_path / "show.duckdb", tmp_path)
    assert run.returncode == 0, run.output[-2000:]
    assert '"rate": 9999999999999900.0' in run.output and '"usual": 95.3' in run.output
