#!/usr/bin/env python3
"""Build the warehouse: validate the seeds, run `dbt build` (seeds, models, every test) into a DuckDB file
beside the target, and only when everything passed, move it over the target in one rename.

Incremental by default: when the warehouse exists and was built by the same code (models, macros, tests,
dbt_project.yml; recorded in <db>.build.json), the build starts from a copy of it and the per-unit-year
models rebuild only the unit-years whose inputs changed (int_build_scope). Otherwise, or with
--full-refresh, it starts from an empty file.

A failed build leaves the existing warehouse as it was; the failed file is kept as <db>.failed.duckdb
and the failing reconciliation rows (unit, year, table, row, column, expected, actual, difference) are
printed from its `audit` schema.

After a successful build the marts are published (scripts/publish.py): warehouse/published/current holds them as
a DuckDB file that DuckDB 1.4+ opens, as Parquet, with the dbt docs site and a manifest; --no-publish skips it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from publish import PublishError, publish, summary  # noqa: E402
from validation import Validation, run_validation  # noqa: E402


def print_failures(db: Path, limit: int) -> None:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'audit' "
            "and table_name not like 'audit\\_%' escape '\\' order by table_name").fetchall()]  # the rules' tables
        for table in tables:
            cur = con.execute(f'select * from audit."{table}" limit {limit}')
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
            if rows:
                print(f"\n--- {table}: failing rows (first {limit}) ---", file=sys.stderr)
                for row in rows:
                    print("  " + " | ".join(f"{n}={v}" for n, v in zip(names, row) if v is not None), file=sys.stderr)


def dbt_option(dbt_args: list[str], name: str) -> str | None:
    """The value of one option of the dbt arguments (`--name VALUE` or `--name=VALUE`), None if absent."""
    for i, arg in enumerate(dbt_args):
        if arg == name and i + 1 < len(dbt_args):
            return dbt_args[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def dbt_vars(dbt_args: list[str]) -> dict:
    """The --vars of the dbt arguments (YAML or JSON), {} if none."""
    import yaml

    given = dbt_option(dbt_args, "--vars")
    return (yaml.safe_load(given) or {}) if given is not None else {}


def with_dbt_var(dbt_args: list[str], name: str, value: str) -> list[str]:
    """The dbt arguments with `name: value` among their --vars (one --vars: dbt keeps only the last of several)."""
    merged = {**dbt_vars(dbt_args), name: value}
    out, skip = [], False
    for i, arg in enumerate(dbt_args):
        if skip:
            skip = False
            continue
        if arg == "--vars":
            skip = True
            continue
        if arg.startswith("--vars="):
            continue
        out.append(arg)
    return [*out, "--vars", json.dumps(merged, ensure_ascii=False, sort_keys=True)]


SHARED_OPTIONS = ("--vars", "--target-path", "--log-path", "--target", "--profiles-dir")


def shared_options(dbt_args: list[str]) -> list[str]:
    """The options of `dbt build`'s arguments that `dbt docs generate` must get too (not --select, --fail-fast …)."""
    out, i = [], 0
    while i < len(dbt_args):
        name = dbt_args[i].split("=", 1)[0]
        if name in SHARED_OPTIONS:
            takes_next = "=" not in dbt_args[i] and i + 1 < len(dbt_args)
            out += dbt_args[i:i + 2] if takes_next else [dbt_args[i]]
            i += 2 if takes_next else 1
        else:
            i += 1
    return out


def normalised_seeds(project: Path, checked: Validation) -> str:
    """The seed folder dbt loads: the project's own, or, when a seed is not plain UTF-8 (a BOM, GB18030) or its
    columns are in another order than its YAML, a copy under target/ with those files rewritten as UTF-8 in the
    YAML's order (the validator read them; dbt reads UTF-8 and loads columns by position). The user's files are
    never rewritten. Returned relative to the project: dbt writes a seed's compiled SQL to
    target/run/<project>/<seed path>, which for an absolute seed path would be the seed file itself."""
    import csv

    from validation import column_types

    redo = {name: seed for name, seed in checked.seeds.items()
            if seed.encoding != "utf-8" or any(p.rule == "column_order" and p.path == seed.path for p in checked.problems)}
    seeds = project / "seeds"
    if not redo:
        return "seeds"
    copy = project / "target" / "juesuan_seeds"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(seeds, copy)
    types = column_types(seeds)
    for name, seed in redo.items():
        order = list(types[name])
        with open(copy / seed.path.relative_to(seeds), "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(order)
            writer.writerows([row.get(c, "") for c in order] for row in seed.rows)
        print(f"build: {seed.path.relative_to(project)} is loaded from a UTF-8 copy in the YAML's column order "
              f"({copy.relative_to(project)})", flush=True)
    return str(copy.relative_to(project))


CODE_PARTS = ["dbt_project.yml", "models", "macros", "tests/dbt"]
SEED_PARTS = ["seeds"]


def code_fingerprint(project: Path, parts: list[str] = CODE_PARTS) -> str:
    """sha256 over the files that decide what the models compute (not the data: that is int_build_scope's)."""
    digest = hashlib.sha256()
    for part in parts:
        root = project / part
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for f in files:
            digest.update(str(f.relative_to(project)).encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


def seed_shape_fingerprint(project: Path) -> str:
    """sha256 over the seeds' shape (their YAML and each CSV's header), not their rows: a seed that gains a
    column cannot be reloaded into its table of the last build (dbt seeds an existing table in place)."""
    digest = hashlib.sha256()
    for f in sorted((project / "seeds").rglob("*")):
        if f.suffix in (".yml", ".yaml"):
            digest.update(str(f.relative_to(project)).encode() + b"\0" + f.read_bytes() + b"\0")
        elif f.suffix == ".csv":
            with f.open("rb") as handle:
                digest.update(str(f.relative_to(project)).encode() + b"\0" + handle.readline() + b"\0")
    return digest.hexdigest()


def build_fingerprint(project: Path) -> str:
    """What decides whether a build can be incremental: the code and the seeds' shape."""
    return code_fingerprint(project) + seed_shape_fingerprint(project)


def read_record(record: Path) -> dict:
    try:
        return json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def can_build_incrementally(db: Path, built: dict, fingerprint: str) -> tuple[bool, str]:
    if not db.exists():
        return False, "no warehouse yet"
    if not built:
        return False, "no record of the last build"
    if built.get("code_fingerprint") != fingerprint:
        return False, "models, macros, tests or the seeds' columns changed since the last build"
    return True, "same code as the last build"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project-dir", type=Path, default=ROOT,
                        help="the dbt project to build (default: this repository)")
    parser.add_argument("--db", type=Path, default=ROOT / "warehouse" / "juesuan.duckdb",
                        help="the warehouse file to (re)build (default: warehouse/juesuan.duckdb)")
    parser.add_argument("--dbt-arg", action="append", default=[],
                        help="extra argument passed to dbt build, e.g. --dbt-arg=--vars={reconciliation_tolerance: 0.01}")
    parser.add_argument("--show", type=int, default=20, help="failing rows to print per rule (default 20)")
    parser.add_argument("--full-refresh", action="store_true",
                        help="rebuild everything from an empty file instead of incrementally")
    parser.add_argument("--bulk-dir", type=Path, default=None,
                        help="the bulk-load folder (dbt var bulk_dir); default: warehouse/imports beside the "
                             "warehouse when it exists (the batches of ./juesuan import), else none")
    parser.add_argument("--no-publish", action="store_true", default=os.environ.get("JUESUAN_PUBLISH") == "0",
                        help="do not publish the marts (warehouse/published: a DuckDB file older readers open, "
                             "Parquet, docs, manifest; scripts/publish.py) after the build (also: JUESUAN_PUBLISH=0)")
    args = parser.parse_args(argv)
    project = args.project_dir.resolve()
    db = args.db.resolve()
    imports = db.parent / "imports"
    given = dbt_vars(args.dbt_arg).get("bulk_dir")
    bulk = Path(given) if given else (args.bulk_dir or (imports if imports.is_dir() else project / "bulk" / "empty"))
    bulk = bulk.resolve()
    if bulk != (project / "bulk" / "empty").resolve():
        # a folder written before a bulk table existed gets that table's zero-row file (e.g. imp_narrative_claims)
        from importer.store import ensure_folder
        ensure_folder(bulk)
    # the staging views read the bulk files by this absolute path, so that they work from any working directory
    args.dbt_arg = with_dbt_var(args.dbt_arg, "bulk_dir", str(bulk))

    failed = db.with_name(db.stem + ".failed.duckdb")
    checked = run_validation(project / "seeds", bulk, project / "models")
    for p in checked.problems:
        print(p, file=sys.stderr)
    if checked.errors:
        stale = failed.exists()
        failed.unlink(missing_ok=True)  # it would be taken for this build's
        print(f"build: {len(checked.errors)} input problem(s); nothing was loaded and the warehouse {args.db} was not "
              f"touched" + (f" (the older {failed.name} of an earlier failed build was removed)" if stale else "") + ".",
              file=sys.stderr)
        return 1
    seeds_for_dbt = normalised_seeds(project, checked)

    db.parent.mkdir(parents=True, exist_ok=True)
    building = db.with_name(db.stem + ".building.duckdb")
    record = db.with_name(db.name + ".build.json")
    for stale in (building, Path(str(building) + ".wal")):
        stale.unlink(missing_ok=True)

    # the code and the seeds' shape decide whether a build can be incremental; the seeds' rows only what it selects
    fingerprint = build_fingerprint(project)
    seeds = code_fingerprint(project, SEED_PARTS)
    built = read_record(record)
    incremental, why = can_build_incrementally(db, built, fingerprint)
    if args.full_refresh:
        incremental, why = False, "--full-refresh"
    select: list[str] = []
    if incremental and built.get("seed_fingerprint") == seeds and built.get("dbt_args") == args.dbt_arg:
        # same code, same seeds, same options: only the bulk files can have changed
        select, why = ["--select", "source:bulk+"], why + ", same seeds: only what the bulk files feed"
    started = time.perf_counter()
    if incremental:
        shutil.copyfile(db, building)
    print(f"build: {'incremental' if incremental else 'full'} ({why})", flush=True)

    env = {**os.environ, "JUESUAN_DB": str(building), "DBT_PROFILES_DIR": str(project),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "JUESUAN_SEEDS": seeds_for_dbt}
    dbt = str(Path(sys.executable).with_name("dbt"))
    proc = subprocess.run([dbt, "build", "--project-dir", str(project), *select, *args.dbt_arg], env=env, cwd=project)
    elapsed = time.perf_counter() - started

    if proc.returncode != 0:
        if not building.exists():  # dbt stopped before it opened the warehouse (e.g. a project parse error)
            print(f"\nbuild: dbt build failed after {elapsed:.1f}s, before it wrote anything; {db} is unchanged",
                  file=sys.stderr)
            return proc.returncode
        os.replace(building, failed)
        print_failures(failed, args.show)
        print(f"\nbuild: dbt build failed after {elapsed:.1f}s; {db} is unchanged, the failed build is in {failed}",
              file=sys.stderr)
        return proc.returncode
    docs = None
    if not args.no_publish:
        # the docs site's catalog is read from the file just built, before it is the warehouse (no lock on it)
        # in the build's own target folder (its manifest is there: no compile), which --dbt-arg may have moved
        given_target = dbt_option(args.dbt_arg, "--target-path")
        target = Path(given_target) if given_target else project / "target"
        target = target if target.is_absolute() else project / target
        docs_started = time.perf_counter()
        docs_run = subprocess.run([dbt, "docs", "generate", "--static", "--no-compile", "--project-dir", str(project),
                                   *shared_options(args.dbt_arg)], env=env, cwd=project, capture_output=True, text=True)
        docs = target if docs_run.returncode == 0 else None
        if docs is None:
            print(docs_run.stdout[-3000:], docs_run.stderr[-3000:], file=sys.stderr)
        else:
            print(f"build: docs site generated ({time.perf_counter() - docs_started:.1f}s)")
    os.replace(building, db)
    # written after the swap: a crash in between leaves an old record, which only forces a full build
    record.write_text(json.dumps({"code_fingerprint": fingerprint, "seed_fingerprint": seeds,
                                  "dbt_args": args.dbt_arg}, indent=2), encoding="utf-8")
    failed.unlink(missing_ok=True)
    print(f"build: warehouse ready at {db} ({elapsed:.1f}s)")
    if args.no_publish:
        return 0
    out = db.parent / "published"
    try:
        if docs is None:
            raise PublishError("dbt docs generate failed (its output is above)")
        done = publish(db, out, project, docs)
    except PublishError as exc:
        print(f"build: the warehouse is built but not published: {exc}; {out / 'current'} is as it was",
              file=sys.stderr)
        return 1
    print("build: " + summary(done, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
