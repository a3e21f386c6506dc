#!/usr/bin/env python3
"""How fast the input validation layer is (scripts/validation/), against the targets of issue 20:

  - the shipped seeds: validated in under 1 s (the median of --repeat runs, in one process);
  - the catalogue of bad input (tests/pytest/fixtures/bad_input/catalogue.yml): every case validated;
  - a bulk batch of --unit-years synthetic unit-years (scripts/generate_synthetic.py): validated in at most 10 % of
    its build's time; with --build the build is run and timed too (scripts/build.py --full-refresh), else the
    build time is taken from --build-seconds (a figure of docs/benchmarks.md).

Prints a Markdown table to paste into docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests" / "pytest"))

from validation import run_validation  # noqa: E402


def seeds_seconds(repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        assert run_validation(ROOT / "seeds", ROOT / "bulk" / "empty").problems == []
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def catalogue_seconds(work: Path) -> tuple[int, float]:
    import test_input_catalogue as catalogue
    from conftest import copy_project

    pristine = copy_project(work / "pristine")
    started = time.perf_counter()
    for i, case in enumerate(catalogue.CASES):
        project, bulk = catalogue.case_project(pristine, work / f"case{i}", case)
        checked = run_validation(project / "seeds", bulk if bulk.exists() else None, project / "models")
        assert checked.errors, case["case"]
    return len(catalogue.CASES), time.perf_counter() - started


def bulk_seconds(unit_years: int, work: Path, build: bool) -> tuple[int, float, float | None]:
    bulk = work / "bulk"
    years = 10
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_synthetic.py"), "--units", str(unit_years // years),
                    "--years", f"2015-{2014 + years}", "--out", str(bulk)], check=True)
    started = time.perf_counter()
    checked = run_validation(ROOT / "seeds", bulk)
    seconds = time.perf_counter() - started
    assert not checked.errors, checked.errors[:5]
    import duckdb
    with duckdb.connect() as con:
        facts = con.execute(f"select sum(c) from (select count(*) as c from read_parquet('{bulk}/amt_*.parquet', "
                            "union_by_name = true))").fetchone()[0]
    built = None
    if build:
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), "--full-refresh", "--db",
                        str(work / "wh" / "juesuan.duckdb"), "--bulk-dir", str(bulk)], check=True,
                       stdout=subprocess.DEVNULL)
        built = time.perf_counter() - started
    return facts, seconds, built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs of the shipped seeds' validation (default 5)")
    parser.add_argument("--unit-years", type=int, default=300_000, help="size of the bulk batch (default 300000)")
    parser.add_argument("--build", action="store_true", help="also build the batch and time the build")
    parser.add_argument("--build-seconds", type=float, default=202.4,
                        help="the batch's build time when not --build (default 202.4: the 300k full build of "
                             "docs/benchmarks.md)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="juesuan-validation-"))
    work.mkdir(parents=True, exist_ok=True)

    seeds = seeds_seconds(args.repeat)
    cases, catalogue = catalogue_seconds(work / "catalogue")
    facts, bulk, built = bulk_seconds(args.unit_years, work, args.build)
    build_time = built if built is not None else args.build_seconds
    print("| measure | figure | target |")
    print("|---|---|---|")
    print(f"| shipped seeds (39 files), median of {args.repeat} | {seeds:.2f} s | < 1 s |")
    print(f"| catalogue: {cases} cases validated | {catalogue:.1f} s ({catalogue / cases:.2f} s a case) | — |")
    print(f"| bulk batch: {args.unit_years:,} unit-years, {facts:,} fact rows | {bulk:.1f} s = "
          f"{100 * bulk / build_time:.1f} % of its build ({build_time:.1f} s{'' if built else ', docs/benchmarks.md'}) "
          f"| ≤ 10 % |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
