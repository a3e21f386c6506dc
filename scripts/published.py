"""The published snapshot as readers open it (./juesuan sql, the HTTP API): read-only, file access disabled,
configuration locked, a memory cap; and a query run under the SQL guard with a row and a time limit."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from sqlguard import Guarded, Refused, check

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT / "warehouse" / "published"
READER_CONFIG = {
    "access_mode": "READ_ONLY",
    "enable_external_access": "false",      # no file, URL or extension can be read by a query
    "autoload_known_extensions": "false",
    "autoinstall_known_extensions": "false",
    "max_memory": "2GB",
    "threads": "2",
    "lock_configuration": "true",           # nor can a statement turn the above back
}


class NotPublished(RuntimeError):
    pass


@dataclass(frozen=True)
class Snapshot:
    folder: Path          # the snapshot folder `current` points at, resolved
    manifest: dict

    @property
    def db(self) -> Path:
        return self.folder / "juesuan.duckdb"

    @property
    def tables(self) -> set[tuple[str, str]]:
        return {(t["schema"], t["table"]) for t in self.manifest["tables"]}


def current(published: Path = DEFAULT_DIR) -> Snapshot:
    """The snapshot `current` points at now (resolved once: a publish that switches it afterwards does not change
    what this reader reads)."""
    link = published / "current"
    folder = link.resolve()
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        raise NotPublished(f"{link}: nothing published (./juesuan build publishes after every build)")
    return Snapshot(folder, json.loads(manifest.read_text(encoding="utf-8")))


def connect(snapshot: Snapshot) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(snapshot.db), read_only=True, config=dict(READER_CONFIG))


@dataclass(frozen=True)
class Result:
    columns: list[str]
    types: list[str]
    rows: list[tuple]
    truncated: bool       # more rows than the limit
    seconds: float
    snapshot: str


def run(con: duckdb.DuckDBPyConnection, guarded: Guarded, timeout: float, snapshot: str) -> Result:
    """Run guarded SQL; interrupted after `timeout` seconds (Refused then, saying so)."""
    started = time.perf_counter()
    cur = con.cursor()
    timer = threading.Timer(timeout, cur.interrupt)
    timer.start()
    try:
        cur.execute(guarded.sql)
        rows = cur.fetchmany(guarded.limit + 1)
        columns = [d[0] for d in cur.description]
        types = [str(d[1]) for d in cur.description]
    except duckdb.InterruptException:
        raise Refused(f"the query ran longer than the time limit of {timeout:g} s and was stopped") from None
    except duckdb.Error as exc:
        raise Refused(f"DuckDB: {str(exc).splitlines()[0]}") from None
    finally:
        timer.cancel()
        cur.close()
    return Result(columns, types, rows[:guarded.limit], len(rows) > guarded.limit, time.perf_counter() - started,
                  snapshot)


def query(sql: str, published: Path = DEFAULT_DIR, max_rows: int = 10_000, timeout: float = 10.0) -> Result:
    """One reader's statement against the current snapshot: guarded, read-only, limited."""
    snap = current(published)
    guarded = check(sql, snap.tables, max_rows)
    con = connect(snap)
    try:
        return run(con, guarded, timeout, snap.manifest["snapshot"])
    finally:
        con.close()


def plain(value: Any) -> Any:
    """A value for JSON: an amount keeps its decimals as text ("1553.97"), never a float."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)
