#!/usr/bin/env python3
"""Benchmark of publishing and serving (issue 19): at --size synthetic unit-years, the full build's time
(scripts/build.py --no-publish), the docs site's (dbt docs generate --static --no-compile) and the publish's
(scripts/publish.py: DuckDB file for DuckDB 1.4+, Parquet, manifest); then the HTTP API's latency for one printed
table of a random unit-year (GET /api/units/U/years/Y/tables/NN, all nine tables in turn) and for a guarded
POST /api/sql, over --requests requests each, one client at a time, a new connection per request.

Prints a Markdown table to paste into docs/benchmarks.md. Targets: publish (with docs) at most 20 % of the full
build's time; the printed-table endpoint's p95 at most 100 ms.

  ./juesuan bench-serve --size 300000
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import serve  # noqa: E402
from benchmark import DBT, ROOT, YEARS, build, generate  # noqa: E402
from publish import publish  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def timed_requests(make, n: int) -> list[float]:
    out = []
    for i in range(n):
        req = make(i)
        started = time.perf_counter()
        with urllib.request.urlopen(req, timeout=60) as r:
            r.read()
            assert r.status == 200
        out.append((time.perf_counter() - started) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="unit-years (units × 10 years; default 10000)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/juesuan-bench-serve"), help="scratch folder")
    parser.add_argument("--requests", type=int, default=500, help="requests per endpoint (default 500)")
    args = parser.parse_args(argv)
    work = (args.work / str(args.size)).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    generate(max(1, args.size // YEARS), work / "data")
    build_s, _, out, db = build(work / "data", work)
    if " ERROR=0 " not in out:
        print(out[-3000:], file=sys.stderr)
        return 1
    env = {**os.environ, "JUESUAN_DB": str(db), "DBT_PROFILES_DIR": str(ROOT), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    started = time.perf_counter()
    subprocess.run([DBT, "docs", "generate", "--static", "--no-compile", "--project-dir", str(ROOT),
                    "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
                    "--vars", json.dumps({"bulk_dir": str(work / "data")})],
                   env=env, cwd=ROOT, check=True, capture_output=True)
    docs_s = time.perf_counter() - started
    done = publish(db, work / "published", ROOT, docs=work / "target")
    rows = sum(t["rows"] for t in done.manifest["tables"])
    size_mb = sum(f["bytes"] for f in done.manifest["files"].values()) / 1e6

    with duckdb.connect(str(db), read_only=True) as con:
        unit_years = con.execute("select unit_code, fiscal_year from marts.dim_unit_years where detail_level = 'full' "
                                 "order by 1, 2").fetchall()
    rng = random.Random(19)
    server = serve(work / "published", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        timed_requests(lambda i: f"{base}/api/units", 5)  # the connection to the snapshot is opened once
        picks = [rng.choice(unit_years) for _ in range(args.requests)]
        table = timed_requests(lambda i: f"{base}/api/units/{picks[i][0]}/years/{picks[i][1]}/tables/0{i % 9 + 1}",
                               args.requests)
        sql = timed_requests(lambda i: urllib.request.Request(
            f"{base}/api/sql", method="POST", headers={"Content-Type": "application/json"},
            data=json.dumps({"sql": "select fiscal_year, measure_code, amount, growth_rate_pct from "
                                    f"marts.mart_totals_trend where unit_code = '{picks[i][0]}' order by 1, 2"}).encode()),
            args.requests)
    finally:
        server.shutdown()
        server.server_close()
    publish_total = done.seconds + docs_s
    print(f"| unit-years | full build (s) | docs (s) | publish (s) | publish + docs / build | published rows | "
          f"snapshot MB | table p50 / p95 / max (ms) | sql p50 / p95 / max (ms) |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| {len(unit_years):,} | {build_s:.1f} | {docs_s:.1f} | {done.seconds:.1f} | "
          f"{100 * publish_total / build_s:.1f} % | {rows:,} | {size_mb:,.0f} | "
          f"{statistics.median(table):.1f} / {percentile(table, 95):.1f} / {max(table):.1f} | "
          f"{statistics.median(sql):.1f} / {percentile(sql, 95):.1f} / {max(sql):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
