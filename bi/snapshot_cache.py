"""Superset's chart data cache, keyed by the published snapshot (loaded by superset_config.py).

The published warehouse is `<published>/current/juesuan.duckdb`, and a publish switches `current` to a new snapshot
folder in one rename. A request resolves `current` once (`pinned_snapshot`, kept in `flask.g` for the request):
its DuckDB connections open that folder's file (`pin_connection`, Superset's DB_CONNECTION_MUTATOR) and its cache
entries are filed under that folder's name (`SnapshotCache`). So a cached answer is always the answer of the
snapshot it is filed under, the first request after a publish misses the cache and reads the new snapshot, and
what was cached for an older snapshot is never served again (the files are pruned as the cache fills).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import g, has_app_context
from flask_caching.backends.filesystemcache import FileSystemCache

HOME = Path(os.environ.get("JUESUAN_BI_HOME") or Path(__file__).resolve().parents[1] / "warehouse" / "bi")
# the published DuckDB file as `bi.py init --db` gave it (through the `current` link); written by init
PUBLISHED_DB_FILE = HOME / "published_db"


def published_db() -> str | None:
    try:
        return PUBLISHED_DB_FILE.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def pinned_snapshot() -> str | None:
    """The published file `current` points at, resolved once per request (the same for its cache lookups and its
    connections); None when init wrote no published file."""
    db = published_db()
    if db is None:
        return None
    if not has_app_context():
        return os.path.realpath(db)
    pinned = g.get("juesuan_snapshot")
    if pinned is None or pinned[0] != db:
        pinned = (db, os.path.realpath(db))
        g.juesuan_snapshot = pinned
    return pinned[1]


def pin_connection(uri: Any, params: dict, username: str | None, security_manager: Any, source: Any) -> tuple:
    """DB_CONNECTION_MUTATOR: a connection to the published file opens the snapshot this request pinned."""
    db = published_db()
    if db is not None and uri.database == db:
        uri = uri.set(database=pinned_snapshot())
    return uri, params


class SnapshotCache(FileSystemCache):
    """flask-caching's file cache (shared by the gunicorn workers) with every key filed under the snapshot."""

    def _get_filename(self, key: str) -> str:
        snapshot = pinned_snapshot()
        return super()._get_filename(f"{Path(snapshot).parent.name if snapshot else '-'}/{key}")
