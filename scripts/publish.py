#!/usr/bin/env python3
"""Publish the marts of a built warehouse for readers: the schemas `marts` and `audit` as a DuckDB file that
DuckDB 1.4 and later open (the warehouse itself is written by DuckDB 2.0, whose storage no earlier DuckDB reads),
as Parquet files (a table of --partition-rows rows or more partitioned by fiscal_year), the dbt docs site, and
a manifest (build and publish time, commit, per table its rows, columns and a content hash that the DuckDB file
and the Parquet files both give, per file its size and SHA-256).

Layout (under --out, default warehouse/published):
  current -> snapshots/<id>      the snapshot readers open: current/juesuan.duckdb, current/parquet/…,
                                 current/docs/index.html, current/manifest.json
  snapshots/<id>/                this publish and the one before it; older ones are removed

A reader never sees half a publish: the snapshot is written aside (snapshots/.<id>.partial), checked, renamed,
and only then is `current` switched, in one rename of a symlink. The previous snapshot stays until the next
publish is complete (a reader that opened it keeps reading it). A failed publish leaves `current` as it was.

`./juesuan build` publishes after every successful build; this command publishes an existing warehouse again.
"""
from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from validation.relational import ident, lit  # noqa: E402  (the SQL quoting the validation layer uses)
SCHEMAS = ("marts", "audit")
# the oldest DuckDB that must open the file: BI tools here embed 1.4/1.5 (duckdb-engine pins duckdb<2)
STORAGE_VERSION = "v1.4.0"
PARTITION_ROWS = 100_000
# tables of the published schemas that readers do not get, and why (the manifest lists them with their rows)
NOT_PUBLISHED = {
    ("audit", "audit_report_cells"): "the reconciliation rules' working table: the gongkai_NN marts unpivoted to "
                                     "one row per non-zero cell; every value is in marts.gongkai_01 … gongkai_09",
}
DOCS_FILES = {"static_index.html": "index.html", "manifest.json": "manifest.json", "catalog.json": "catalog.json"}


class PublishError(RuntimeError):
    """A publish that could not be completed; `current` is as it was."""


@dataclass(frozen=True)
class Published:
    snapshot: Path
    manifest: dict
    seconds: float


def git_commit(project: Path) -> dict:
    """The commit the code was built from, and whether the work tree had changes (None outside git)."""
    try:
        head = subprocess.run(["git", "-C", str(project), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(project), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip() != ""
        return {"commit": head, "work_tree_changed": dirty}
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "work_tree_changed": None}


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def content_hash(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[int, str]:
    """Rows and an order-free hash of a relation's rows (the sum of each row's hash), the same for the DuckDB
    table and its Parquet files when they hold the same values."""
    rows, total = con.execute(f"select count(*), coalesce(sum(hash(t)::hugeint), 0) from {relation} t").fetchone()
    return int(rows), str(total)


def tables_of(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return [(s, t) for s, t in con.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = ? "
        f"and table_schema in ({', '.join(lit(s) for s in SCHEMAS)}) order by table_schema, table_name",
        [catalog]).fetchall()]


def write_parquet(con: duckdb.DuckDBPyConnection, relation: str, target: Path, partitioned: bool) -> None:
    """One zstd Parquet file, or one per fiscal_year as target/fiscal_year=<year>/data_0.parquet (the hive layout
    DuckDB's partition_by writes; a COPY per year is a third faster than partition_by here)."""
    options = "format parquet, compression zstd"
    if not partitioned:
        con.execute(f"copy (select * from {relation}) to {lit(str(target))} ({options})")
        return
    for (year,) in con.execute(f"select distinct fiscal_year from {relation} order by 1").fetchall():
        part = target / f"fiscal_year={'NULL' if year is None else year}"
        part.mkdir(parents=True)
        where = "fiscal_year is null" if year is None else f"fiscal_year = {int(year)}"
        con.execute(f"copy (select * exclude (fiscal_year) from {relation} where {where}) "
                    f"to {lit(str(part / 'data_0.parquet'))} ({options})")


def write_snapshot(db: Path, partial: Path, partition_rows: int) -> tuple[list[dict], list[dict]]:
    """The DuckDB file and the Parquet files of every table of the published schemas; the manifest rows of
    those published and of those left out (NOT_PUBLISHED)."""
    # as the build's profile: insertion order is not kept (a table's rows have no order), which lets DuckDB
    # write in parallel with less memory (publishing at 300k unit-years: 148 s with the order kept)
    con = duckdb.connect(config={"preserve_insertion_order": False})
    try:
        con.execute(f"attach {lit(str(db))} as src (read_only)")
        con.execute(f"attach {lit(str(partial / 'juesuan.duckdb'))} as pub (storage_version {lit(STORAGE_VERSION)})")
        found = tables_of(con, "src")
        missing = [s for s in SCHEMAS if s not in {schema for schema, _ in found}]
        if missing:
            raise PublishError(f"{db}: no schema {', '.join(missing)}: is it a built warehouse?")
        tables, left_out = [], []
        for schema in SCHEMAS:
            con.execute(f"create schema pub.{schema}")
        for schema, table in found:
            name = f"{ident(schema)}.{ident(table)}"
            if (schema, table) in NOT_PUBLISHED:
                [(rows,)] = con.execute(f"select count(*) from src.{name}").fetchall()
                left_out.append({"schema": schema, "table": table, "rows": int(rows),
                                 "why": NOT_PUBLISHED[schema, table]})
                continue
            con.execute(f"create table pub.{name} as select * from src.{name}")
            columns = con.execute("select column_name, data_type from information_schema.columns where "
                                  "table_catalog = 'pub' and table_schema = ? and table_name = ? "
                                  "order by ordinal_position", [schema, table]).fetchall()
            rows, digest = content_hash(con, f"pub.{name}")
            partitioned = rows >= partition_rows and any(c == "fiscal_year" for c, _ in columns)
            target = partial / "parquet" / schema / (table if partitioned else table + ".parquet")
            target.parent.mkdir(parents=True, exist_ok=True)
            write_parquet(con, f"pub.{name}", target, partitioned)
            pattern = str(target / "**" / "*.parquet") if partitioned else str(target)
            year_type = dict(columns).get("fiscal_year", "integer")
            scan = (f"read_parquet({lit(pattern)}, hive_partitioning = true, hive_types = {{'fiscal_year': {year_type}}})"
                    if partitioned else f"read_parquet({lit(pattern)})")
            # the Parquet files give back the same rows (a partition column comes back as the type it had)
            parquet_rows, parquet_digest = content_hash(
                con, f"(select {', '.join(ident(c) for c, _ in columns)} from {scan})")
            if (parquet_rows, parquet_digest) != (rows, digest):
                raise PublishError(f"{schema}.{table}: the Parquet files hold {parquet_rows} rows (hash "
                                   f"{parquet_digest}), the DuckDB file {rows} (hash {digest})")
            tables.append({"schema": schema, "table": table, "rows": rows, "content_hash": digest,
                           "columns": [{"name": c, "type": t} for c, t in columns],
                           "parquet": str(target.relative_to(partial)) + ("/" if partitioned else ""),
                           "partitioned_by": ["fiscal_year"] if partitioned else []})
        con.execute("detach pub")
        return tables, left_out
    finally:
        con.close()


def copy_docs(docs: Path | None, partial: Path) -> list[str]:
    """dbt's static docs site (one HTML file with the manifest and catalog inside) and the two JSON files."""
    if docs is None:
        return []
    copied = []
    (partial / "docs").mkdir()
    for name, as_name in DOCS_FILES.items():
        if (docs / name).is_file():
            shutil.copyfile(docs / name, partial / "docs" / as_name)
            copied.append("docs/" + as_name)
    if "docs/index.html" not in copied:
        raise PublishError(f"{docs}: no static_index.html (dbt docs generate --static did not run?)")
    return copied


def snapshot_id(commit: str | None) -> str:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    return stamp + ("-" + commit[:7] if commit else "")


def switch_current(out: Path, snapshot: Path) -> Path | None:
    """Point `current` at the snapshot in one rename; the snapshot it pointed at before, if any."""
    current = out / "current"
    before = (out / os.readlink(current)).resolve() if current.is_symlink() else None
    link = out / ".current.new"
    link.unlink(missing_ok=True)
    link.symlink_to(snapshot.relative_to(out))
    os.replace(link, current)
    return before


def prune(snapshots: Path, keep: set[Path]) -> list[Path]:
    removed = []
    for path in sorted(snapshots.iterdir()):
        if path.resolve() not in keep:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def publish(db: Path, out: Path, project: Path = ROOT, docs: Path | None = None,
            partition_rows: int = PARTITION_ROWS, built_at: str | None = None) -> Published:
    """Write a snapshot of `db`'s published schemas under out/snapshots, switch out/current to it, keep the one
    before, remove older ones. Raises PublishError (current unchanged) when any step fails."""
    started = time.perf_counter()
    db, out = db.resolve(), out.resolve()
    if not db.is_file():
        raise PublishError(f"{db}: no warehouse to publish (build it first: ./juesuan build)")
    snapshots = out / "snapshots"
    snapshots.mkdir(parents=True, exist_ok=True)
    with (out / ".publish.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one publish at a time; readers take no lock
        for stale in snapshots.glob(".*.partial"):  # an earlier publish that died half-way
            shutil.rmtree(stale, ignore_errors=True)
        code = git_commit(project)
        sid = snapshot_id(code["commit"])
        partial = snapshots / f".{sid}.partial"
        partial.mkdir()
        try:
            tables, left_out = write_snapshot(db, partial, partition_rows)
            docs_files = copy_docs(docs, partial)
            files = {str(p.relative_to(partial)): {"bytes": p.stat().st_size, "sha256": sha256(p)}
                     for p in sorted(partial.rglob("*")) if p.is_file()}
            manifest = {
                "snapshot": sid,
                "built_at": built_at or dt.datetime.fromtimestamp(db.stat().st_mtime, dt.timezone.utc).isoformat(),
                "published_at": dt.datetime.now(dt.timezone.utc).isoformat(),
                **code,
                "warehouse": str(db),
                "written_by_duckdb": duckdb.__version__,
                "storage_version": STORAGE_VERSION,
                "schemas": list(SCHEMAS),
                "tables": tables,
                "not_published": left_out,
                "docs": docs_files,
                "files": files,
            }
            (partial / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                                   encoding="utf-8")
            snapshot = snapshots / sid
            os.rename(partial, snapshot)
        except BaseException as exc:
            shutil.rmtree(partial, ignore_errors=True)
            if isinstance(exc, (duckdb.Error, OSError)):
                raise PublishError(f"publishing {db}: {exc}") from exc
            raise
        before = switch_current(out, snapshot)
        prune(snapshots, {snapshot.resolve()} | ({before} if before else set()))
    return Published(snapshot, manifest, time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=ROOT / "warehouse" / "juesuan.duckdb",
                        help="the built warehouse (default: warehouse/juesuan.duckdb)")
    parser.add_argument("--out", type=Path, default=None,
                        help="the publish folder (default: published/ beside the warehouse)")
    parser.add_argument("--docs", type=Path, default=None,
                        help="a folder with dbt's static_index.html, manifest.json, catalog.json "
                             "(default: the project's target/ when it has them)")
    parser.add_argument("--partition-rows", type=int, default=PARTITION_ROWS,
                        help=f"tables with this many rows or more are partitioned by fiscal_year (default {PARTITION_ROWS})")
    args = parser.parse_args(argv)
    docs = args.docs or (ROOT / "target" if (ROOT / "target" / "static_index.html").is_file() else None)
    out = args.out or args.db.resolve().parent / "published"
    try:
        done = publish(args.db, out, ROOT, docs, args.partition_rows)
    except PublishError as exc:
        print(f"publish: {exc}; the published snapshot was not changed", file=sys.stderr)
        return 1
    print(summary(done, out))
    return 0


def summary(done: Published, out: Path) -> str:
    rows = sum(t["rows"] for t in done.manifest["tables"])
    return (f"publish: {len(done.manifest['tables'])} tables, {rows} rows -> {out.resolve() / 'current'} "
            f"(snapshot {done.manifest['snapshot']}, {done.seconds:.1f}s)")


if __name__ == "__main__":
    sys.exit(main())
