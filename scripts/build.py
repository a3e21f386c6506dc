#!/usr/bin/env python3
"""Build the warehouse: validate the seeds, run `dbt build` (seeds, models, every test) into a fresh
DuckDB file beside the target, and only when everything passed, move it over the target in one rename.

A failed build leaves the existing warehouse as it was; the failed file is kept as <db>.failed.duckdb
and the failing reconciliation rows (unit, year, table, row, column, expected, actual, difference) are
printed from its `audit` schema.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from validate_seeds import validate  # noqa: E402


def print_failures(db: Path, limit: int) -> None:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'audit' "
            "and table_name <> 'audit_report_cells' order by table_name").fetchall()]
        for table in tables:
            cur = con.execute(f'select * from audit."{table}" limit {limit}')
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
            if rows:
                print(f"\n--- {table}: failing rows (first {limit}) ---", file=sys.stderr)
                for row in rows:
                    print("  " + " | ".join(f"{n}={v}" for n, v in zip(names, row) if v is not None), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project-dir", type=Path, default=ROOT,
                        help="the dbt project to build (default: this repository)")
    parser.add_argument("--db", type=Path, default=ROOT / "warehouse" / "juesuan.duckdb",
                        help="the warehouse file to (re)build (default: warehouse/juesuan.duckdb)")
    parser.add_argument("--dbt-arg", action="append", default=[],
                        help="extra argument passed to dbt build, e.g. --dbt-arg=--vars={reconciliation_tolerance: 0.01}")
    parser.add_argument("--show", type=int, default=20, help="failing rows to print per rule (default 20)")
    args = parser.parse_args(argv)

    project = args.project_dir.resolve()
    problems = validate(project / "seeds")
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(f"build: {len(problems)} seed problem(s); the warehouse {args.db} was not touched.", file=sys.stderr)
        return 1

    db = args.db.resolve()
    db.parent.mkdir(parents=True, exist_ok=True)
    building = db.with_name(db.stem + ".building.duckdb")
    failed = db.with_name(db.stem + ".failed.duckdb")
    for stale in (building, Path(str(building) + ".wal")):
        stale.unlink(missing_ok=True)

    env = {**os.environ, "JUESUAN_DB": str(building), "DBT_PROFILES_DIR": str(project),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = str(Path(sys.executable).with_name("dbt"))
    started = time.perf_counter()
    proc = subprocess.run([dbt, "build", "--project-dir", str(project), *args.dbt_arg], env=env, cwd=project)
    elapsed = time.perf_counter() - started

    if proc.returncode != 0:
        os.replace(building, failed)
        print_failures(failed, args.show)
        print(f"\nbuild: dbt build failed after {elapsed:.1f}s; {db} is unchanged, the failed build is in {failed}",
              file=sys.stderr)
        return proc.returncode
    os.replace(building, db)
    failed.unlink(missing_ok=True)
    print(f"build: warehouse ready at {db} ({elapsed:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
