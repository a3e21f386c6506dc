#!/usr/bin/env python3
"""Benchmark of publishing and serving (issue 19): at --size synthetic unit-years, one scripts/build.py as
`./juesuan build` runs it, timed by phase: the build (input validation and dbt build), the docs site (dbt docs
generate --static --no-compile) and the publish (scripts/publish.py: DuckDB file for DuckDB 1.4+, Parquet,
manifest); then the HTTP API's latency for one printed
table of a random unit-year (GET /api/units/U/years/Y/tables/NN, all nine tables in turn) and for a guarded
POST /api/sql, over --requests requests each, one client at a time, a new connection per request; then, when
Superset is installed (scripts/bi.py install), the dashboard's load time in headless Chromium on the published
snapshot: from opening the dashboard's address (logged in, a fresh browser profile) to every chart of its first tab
drawn, the first load after the server started (its workers warmed up) and the median of --dashboard-loads more;
then each other tab's time from its click to its charts drawn.

Prints a Markdown table to paste into docs/benchmarks.md. Targets: publish (with docs) at most 20 % of the full
build's time; the printed-table endpoint's p95 at most 100 ms; the dashboard's first load at most 3 s.

  ./juesuan bench-serve --size 300000
"""
from __future__ import annotations

import argparse
import json
import random
import re
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

import bi  # noqa: E402
from api import serve  # noqa: E402
from benchmark import ROOT, YEARS, build, generate  # noqa: E402


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
    parser.add_argument("--dashboard-loads", type=int, default=5,
                        help="dashboard loads after the first (default 5; 0 skips the dashboard)")
    parser.add_argument("--reuse-build", action="store_true",
                        help="keep the warehouse, the snapshot and the measured times of an earlier run at this "
                             "size (the API and the dashboard are measured again)")
    args = parser.parse_args(argv)
    work = (args.work / str(args.size)).resolve()
    measured = work / "build.json"
    db = work / "juesuan.duckdb"
    if not (args.reuse_build and measured.is_file() and (work / "published" / "current").is_dir()):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        generate(max(1, args.size // YEARS), work / "data")
        wall, _, out, db = build(work / "data", work, publish=True)
        if " ERROR=0 " not in out or "build: publish: " not in out:
            print(out[-3000:], file=sys.stderr)
            return 1
        # as a user's ./juesuan build runs them: dbt build, then the docs site, then the publish
        docs_s = float(re.search(r"build: docs site generated \(([0-9.]+)s\)", out).group(1))
        publish_s = float(re.search(r"build: publish: .*, ([0-9.]+)s\)", out).group(1))
        measured.write_text(json.dumps({"wall": wall, "build": wall - docs_s - publish_s, "docs": docs_s,
                                        "publish": publish_s}))
    times = json.loads(measured.read_text())
    build_s, docs_s, publish_s = times["build"], times["docs"], times["publish"]
    manifest = json.loads((work / "published" / "current" / "manifest.json").read_text(encoding="utf-8"))
    rows = sum(t["rows"] for t in manifest["tables"])
    size_mb = sum(f["bytes"] for f in manifest["files"].values()) / 1e6

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
    dashboard = dashboard_loads(work, args.dashboard_loads) if args.dashboard_loads and bi.installed() else []
    publish_total = publish_s + docs_s
    print(f"| unit-years | full build (s) | docs (s) | publish (s) | publish + docs / build | published rows | "
          f"snapshot MB | table p50 / p95 / max (ms) | sql p50 / p95 / max (ms) |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| {len(unit_years):,} | {build_s:.1f} | {docs_s:.1f} | {publish_s:.1f} | "
          f"{100 * publish_total / build_s:.1f} % | {rows:,} | {size_mb:,.0f} | "
          f"{statistics.median(table):.1f} / {percentile(table, 95):.1f} / {max(table):.1f} | "
          f"{statistics.median(sql):.1f} / {percentile(sql, 95):.1f} / {max(sql):.1f} |")
    if dashboard:
        firsts = [load["load_seconds"] for load in dashboard]
        print(f"\ndashboard ({len(dashboard)} loads): first {firsts[0]:.2f} s, then median "
              f"{statistics.median(firsts[1:] or firsts):.2f} s, max {max(firsts):.2f} s (the first tab, "
              f"{dashboard[0]['first_view_charts']} charts, from opening the address)")
        for i, tab in enumerate(dashboard[0]["tabs"][1:], 1):
            times = [load["tabs"][i]["seconds"] for load in dashboard]
            print(f"  then tab {tab['title']} ({tab['charts']} charts) opened: "
                  f"median {statistics.median(times):.2f} s, max {max(times):.2f} s")
    else:
        print("\ndashboard: not measured (--dashboard-loads 0, or Superset not installed: ./juesuan bi install)")
    return 0


def dashboard_loads(work: Path, more: int) -> list[dict]:
    """Superset initialised on the published snapshot and served; 1 + `more` dashboard loads, each in a new
    headless Chromium (bi.py screenshot), the first right after the server started (and its workers warmed up):
    each load's time to the first tab drawn (`load_seconds`) and every other tab's from its click (`tabs`)."""
    home = work / "bi"
    shutil.rmtree(home, ignore_errors=True)
    script = str(ROOT / "scripts" / "bi.py")
    subprocess.run([sys.executable, script, "init", "--home", str(home), "--db",
                    str(work / "published" / "current" / "juesuan.duckdb")], check=True, capture_output=True)
    loads = []
    with bi.serving(home, bi.free_port(), home / "serve.log") as base:
        for i in range(1 + more):
            proc = subprocess.run([sys.executable, script, "screenshot", "--url", base, "--out",
                                   str(work / f"dashboard-{i}.png"), "--timeout", "120"],
                                  capture_output=True, text=True, check=False)
            state = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.stdout.strip() else {}
            if proc.returncode != 0 or not state.get("ready") or state.get("errors"):
                raise RuntimeError(f"dashboard load {i} failed: {proc.stdout[-2000:]} {proc.stderr[-2000:]}")
            loads.append(state)
    return loads


if __name__ == "__main__":
    sys.exit(main())
