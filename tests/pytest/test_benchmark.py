"""scripts/benchmark.py end to end on the smallest ladder (100 unit-years): it builds, replays the compiled SQL of
the full build and of the add in DuckDB, adds one unit-year, checks the injected defects, and writes its report.
No timing is asserted here (the figures are the benchmark's output, not a test's); what is asserted is that
every step ran and what the data decides: which builds passed, how many unit-years the add rebuilt, and that
the defects found are exactly the injected ones; and that the replayed add is checked against the rows dbt
built (a replay that does other work fails)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # builds warehouses; ./juesuan test -m "not slow" skips it


def table_rows(text: str, header_start: str) -> list[dict[str, str]]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    names = [c.strip() for c in lines[start].strip("|").split("|")]
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(names, (c.strip() for c in line.strip("|").split("|")))))
    return rows


def test_the_benchmark_runs_every_measurement_on_a_small_ladder(tmp_path):
    out = tmp_path / "benchmarks.md"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "benchmark.py"), "--sizes", "100",
                           "--work", str(tmp_path / "work"), "--out", str(out)],
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-4000:]
    text = out.read_text(encoding="utf-8")

    (row,) = table_rows(text, "| unit-years")
    assert row["unit-years"] == "100"
    assert row["builds"] == "ok, ok"  # the full build and the incremental add both passed every test
    # the new unit, the 10 units of its department S-D00000 (10 units × 10 years at this size), the department
    assert row["unit-years rebuilt"] == "12"
    for measured in ("full build (s, all tests)", "same SQL in DuckDB (s)", "add one unit-year (s)",
                     "add: same SQL in DuckDB (s)", "trend query median (ms)", "department roll-up median (ms)"):
        assert float(row[measured]) > 0, measured

    assert re.search(r"Defect detection: 6 defects injected .*: exactly the injected defects\.", text)
    targets = {r["target"]: r for r in table_rows(text, "| target")}
    assert targets["injected defects found, nothing else"]["met"] == "yes"
    assert re.search(r"replayed directly in DuckDB.*: \d+\.\d s\. The same replay on a copy whose incremental "
                     r"tables were first rewritten in \(fiscal_year, unit_code\) order.*: \d+\.\d s\.", text)
    # the add's breakdown names the nodes it ran, by kind
    kinds = {r["nodes"]: int(r["count"]) for r in table_rows(text, "| nodes")}
    assert kinds["model"] > 0 and kinds["reconciliation rule"] > 0

    # the add's replay is checked against the warehouse dbt left: replayed as a full build (create each table
    # from SQL that dbt compiled for an incremental run, so only the scope's rows), it no longer agrees and fails
    sys.path.insert(0, str(ROOT / "scripts"))
    import benchmark

    work = tmp_path / "work" / "100"
    db = work / "juesuan.duckdb"
    with pytest.raises(RuntimeError, match=r"replay of .* differs from .*: .* rows replayed, .* built by dbt"):
        benchmark.raw_sql_seconds(db, work, incremental=False, same_rows_as=db)
    assert not (work / "raw").exists()  # the failed replay's copy of the warehouse is removed all the same
