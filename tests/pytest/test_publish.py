"""The published snapshot (scripts/publish.py): what it holds, that DuckDB before 2.0 opens it, that Parquet and
DuckDB hold the same rows, that `current` only ever points at a whole snapshot, and that a failed publish
changes nothing."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

from publish import PublishError, STORAGE_VERSION, publish  # noqa: E402

# the DuckDB the BI tools here embed is older than ours; 1.4 is the oldest the storage version admits
OLD_DUCKDB = "duckdb==1.4.5"


@pytest.fixture(scope="module")
def published(warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("published")
    done = publish(warehouse.db_path, out, ROOT, docs=None, partition_rows=20)
    return out, done


def test_the_snapshot_holds_every_table_of_marts_and_audit_with_the_warehouse_rows(published, con):
    out, done = published
    snapshot = (out / "current").resolve()
    assert snapshot == done.snapshot and snapshot.parent == out / "snapshots"
    expected = con.execute("select table_schema, table_name from information_schema.tables where table_schema in "
                           "('marts', 'audit') order by 1, 2").fetchall()
    tables = {(t["schema"], t["table"]): t for t in done.manifest["tables"]}
    # every table but the rules' working table (the gongkai marts as cells), which the manifest names with why
    [left_out] = done.manifest["not_published"]
    assert (left_out["schema"], left_out["table"]) == ("audit", "audit_report_cells") and "gongkai" in left_out["why"]
    assert left_out["rows"] == con.execute("select count(*) from audit.audit_report_cells").fetchone()[0] > 0
    assert sorted(tables) == [t for t in expected if t != ("audit", "audit_report_cells")] and len(expected) > 50
    for (schema, table), t in tables.items():
        assert t["rows"] == con.execute(f'select count(*) from {schema}."{table}"').fetchone()[0]
    with duckdb.connect(str(snapshot / "juesuan.duckdb"), read_only=True) as pub:
        assert pub.execute("select count(*) from information_schema.tables where table_name = 'audit_report_cells'"
                           ).fetchone()[0] == 0
    # a real value, as printed: 公开01 line 1 of the seed document
    with duckdb.connect(str(snapshot / "juesuan.duckdb"), read_only=True) as pub:
        assert str(pub.execute("select income_amount from marts.gongkai_01 where unit_code = 'WH-KJJ-XMZX' and "
                               "fiscal_year = 2024 and side = 'income' and line_no = 1").fetchone()[0]) == "1553.97"
        assert pub.execute("select data_type from information_schema.columns where table_name = 'gongkai_01' "
                           "and column_name = 'income_amount'").fetchone()[0] == "DECIMAL(18,2)"
    m = done.manifest
    assert m["storage_version"] == STORAGE_VERSION and m["schemas"] == ["marts", "audit"]
    assert len(m["commit"] or "") == 40 and m["built_at"] and m["published_at"]


def test_every_file_of_the_manifest_has_its_size_and_checksum(published):
    out, done = published
    snapshot = (out / "current").resolve()
    files = {str(p.relative_to(snapshot)) for p in snapshot.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(done.manifest["files"]) == files
    for name, f in done.manifest["files"].items():
        data = (snapshot / name).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (f["bytes"], f["sha256"])


def test_parquet_holds_the_same_rows_and_large_tables_are_partitioned_by_year(published):
    out, done = published
    snapshot = (out / "current").resolve()
    con = duckdb.connect()
    con.execute(f"attach '{snapshot / 'juesuan.duckdb'}' as pub (read_only)")
    partitioned = [t for t in done.manifest["tables"] if t["partitioned_by"]]
    assert {"gongkai_01", "gongkai_06"} <= {t["table"] for t in partitioned}
    for t in done.manifest["tables"]:
        cols = ", ".join(f'"{c["name"]}"' for c in t["columns"])
        if t["partitioned_by"]:
            # the hive layout: one folder per year, one file in each, without the year column
            parts = sorted((snapshot / t["parquet"]).iterdir())
            assert t["parquet"].endswith("/") and [p.name for p in parts] == [
                f"fiscal_year={y}" for (y,) in con.execute(f'select distinct fiscal_year from pub.{t["schema"]}.'
                                                           f'"{t["table"]}" order by 1').fetchall()]
            assert all([f.name for f in p.iterdir()] == ["data_0.parquet"] for p in parts)
            assert "fiscal_year" not in {n for (n,) in con.execute(
                f"select name from parquet_schema('{parts[0] / 'data_0.parquet'}')").fetchall()}
            scan = f"read_parquet('{snapshot}/{t['parquet']}**/*.parquet', hive_partitioning = true)"
        else:
            scan = f"read_parquet('{snapshot / t['parquet']}')"
        # the same multiset of rows: the published table except the Parquet rows is empty, and the other way
        table = f'pub.{t["schema"]}."{t["table"]}"'
        for a, b in ((table, f"(select {cols} from {scan})"), (f"(select {cols} from {scan})", table)):
            assert con.execute(f"select count(*) from (select {cols} from {a} except all select {cols} from {b})"
                               ).fetchone()[0] == 0, t["table"]


def test_duckdb_before_2_opens_the_published_file(published, tmp_path_factory):
    """The reader a BI tool embeds: DuckDB 1.4.5, installed beside the tests (cached in .venv)."""
    out, done = published
    target = ROOT / ".venv" / "reader-duckdb-1.4"
    if not (target / "duckdb").is_dir():
        proc = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), OLD_DUCKDB],
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-2000:]
    script = ("import duckdb, json, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
              "print(json.dumps([duckdb.__version__] + [c.execute(f'select count(*) from {t}').fetchone()[0] "
              "for t in sys.argv[2:]]))")
    names = [f'{t["schema"]}."{t["table"]}"' for t in done.manifest["tables"]]
    proc = subprocess.run([sys.executable, "-c", script, str(out / "current" / "juesuan.duckdb"), *names],
                          env={**os.environ, "PYTHONPATH": str(target)}, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    version, *counts = json.loads(proc.stdout)
    assert version == "1.4.5" and counts == [t["rows"] for t in done.manifest["tables"]]


def test_a_failed_publish_leaves_current_as_it_was_and_no_half_snapshot(published, tmp_path):
    """Broken fixture: a DuckDB file that is not a built warehouse (no audit schema)."""
    out, done = published
    broken = tmp_path / "not_a_warehouse.duckdb"
    with duckdb.connect(str(broken)) as c:
        c.execute("create schema marts; create table marts.t as select 1 as a")
    before = os.readlink(out / "current")
    with pytest.raises(PublishError, match="no schema audit: is it a built warehouse"):
        publish(broken, out, ROOT)
    with pytest.raises(PublishError, match="no warehouse to publish"):
        publish(tmp_path / "missing.duckdb", out, ROOT)
    assert os.readlink(out / "current") == before
    assert [p.name for p in (out / "snapshots").iterdir() if p.name.startswith(".")] == []


def test_readers_see_only_whole_snapshots_while_five_publishes_run(warehouse, tmp_path):
    """A reader loop (resolve current, open it, count every table, compare with that snapshot's manifest) while
    five publishes run one after another: no error, no count that differs; two snapshots are left."""
    out = tmp_path / "published"
    first = publish(warehouse.db_path, out, ROOT)
    stop = threading.Event()
    seen: set[str] = set()
    errors: list[str] = []

    def read() -> None:
        while not stop.is_set():
            try:
                snapshot = (out / "current").resolve()
                manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
                with duckdb.connect(str(snapshot / "juesuan.duckdb"), read_only=True) as c:
                    for t in manifest["tables"][:12]:
                        n = c.execute(f'select count(*) from {t["schema"]}."{t["table"]}"').fetchone()[0]
                        if n != t["rows"]:
                            errors.append(f"{snapshot.name} {t['table']}: {n} != {t['rows']}")
                seen.add(manifest["snapshot"])
            except Exception as exc:  # noqa: BLE001 - any failure of a reader is the finding
                errors.append(repr(exc))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        ids = [publish(warehouse.db_path, out, ROOT).manifest["snapshot"] for _ in range(5)]
    finally:
        stop.set()
        reader.join()
    assert errors == []
    assert len(seen) >= 2 and seen <= {first.manifest["snapshot"], *ids}
    assert sorted(p.name for p in (out / "snapshots").iterdir()) == sorted(ids[-2:])
    assert (out / "current").resolve().name == ids[-1]


def test_publish_command_says_what_it_wrote(warehouse, tmp_path):
    proc = subprocess.run([str(ROOT / "juesuan"), "publish", "--db", str(warehouse.db_path), "--out", "pub"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("publish: ") and f"-> {tmp_path / 'pub' / 'current'} (snapshot " in proc.stdout
    bad = subprocess.run([str(ROOT / "juesuan"), "publish", "--db", "nothing.duckdb", "--out", "pub"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert bad.returncode == 1 and "nothing.duckdb: no warehouse to publish" in bad.stderr
