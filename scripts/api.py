#!/usr/bin/env python3
"""A small read-only HTTP API on the published marts (warehouse/published/current), on 127.0.0.1.

  GET  /api                                          the endpoints
  GET  /api/snapshot                                 the snapshot served: id, build and publish time, commit, tables
  GET  /api/units                                    units, each with its years (report kind, detail level)
  GET  /api/units/{unit}/years/{year}/tables/{nn}    one printed table (公开nn) of a unit-year; ?format=csv
  GET  /api/trend?unit=U[&measure=M]                 a unit's totals over the years (mart_totals_trend)
  POST /api/sql                                      one guarded read-only query: a JSON body {"sql": "…"} or the
                                                     SQL as text/plain; ?format=csv; at most --max-rows rows

Amounts are JSON strings with their two decimals ("1553.97"), never floats. Each request reads the snapshot
`current` points at when it arrives: a publish in between switches later requests to the new one, an
answer is never a mix of two. Refused SQL answers 400 with the reason; nothing is written anywhere.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import re
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import parse_qs, unquote, urlsplit

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from published import DEFAULT_DIR, NotPublished, Snapshot, connect, current, plain, run  # noqa: E402
from sqlguard import Refused, check  # noqa: E402

MAX_BODY = 2 * 1024 * 1024
ENDPOINTS = ["GET /api/snapshot", "GET /api/units", "GET /api/units/{unit}/years/{year}/tables/{nn}[?format=csv]",
             "GET /api/trend?unit=U[&measure=M][&format=csv]", "POST /api/sql[?format=csv] (JSON {\"sql\": …} or text)"]
TABLE_PATH = re.compile(r"^/api/units/(?P<unit>[^/]+)/years/(?P<year>\d{4})/tables/(?:公开)?(?P<nn>\d{2})(?:表)?$")


class ApiError(Exception):
    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status


class Readers:
    """One read-only connection per snapshot folder, opened when `current` first points there. A request reads
    through a cursor of the connection of the snapshot `current` pointed at when it began, however many publishes
    happen meanwhile; a connection is closed once `current` points elsewhere and no request reads through it."""

    def __init__(self, published: Path):
        self.published = published
        self.lock = threading.Lock()
        self.open: dict[Path, list] = {}   # snapshot folder -> [snapshot, connection, requests reading it]

    @contextlib.contextmanager
    def reading(self) -> Iterator[tuple[Snapshot, duckdb.DuckDBPyConnection]]:
        try:
            snap = current(self.published)
        except NotPublished as exc:
            raise ApiError(HTTPStatus.SERVICE_UNAVAILABLE, str(exc)) from None
        with self.lock:
            entry = self.open.get(snap.folder)
            if entry is None:
                entry = self.open[snap.folder] = [snap, connect(snap), 0]
            entry[2] += 1
            cur = entry[1].cursor()
            self._close_unused()
        try:
            yield entry[0], cur
        finally:
            cur.close()
            with self.lock:
                entry[2] -= 1
                self._close_unused()

    def _close_unused(self) -> None:
        """Under the lock: close every connection that no request reads through but the newest one opened (the
        snapshot `current` points at, kept for the next request)."""
        for folder in list(self.open)[:-1]:
            if self.open[folder][2] == 0:
                self.open.pop(folder)[1].close()


def rows_of(cur: duckdb.DuckDBPyConnection, sql: str, params: list) -> tuple[list[str], list[tuple]]:
    cur.execute(sql, params)
    return [d[0] for d in cur.description], cur.fetchall()


def records(columns: list[str], rows: list[tuple]) -> list[dict]:
    return [{c: plain(v) for c, v in zip(columns, r)} for r in rows]


def units(cur: duckdb.DuckDBPyConnection) -> dict:
    cols, rows = rows_of(cur, "select u.unit_code, u.unit_name, u.unit_kind, u.department_code, u.parent_unit_code, "
                              "list({'fiscal_year': y.fiscal_year, 'report_kind': y.report_kind, "
                              "'detail_level': y.detail_level, 'template_version': y.template_version} "
                              "order by y.fiscal_year) filter (where y.fiscal_year is not null) as years "
                              "from marts.dim_units u left join marts.dim_unit_years y using (unit_code) "
                              "group by all order by u.unit_code", [])
    return {"units": [dict(zip(cols, r)) for r in rows]}


def printed_table(cur: duckdb.DuckDBPyConnection, snap: Snapshot, unit: str, year: int, nn: str) -> dict:
    mart = f"gongkai_{nn}"
    if ("marts", mart) not in snap.tables:
        raise ApiError(HTTPStatus.NOT_FOUND, f"no printed table 公开{nn} (the published ones: marts.gongkai_01 … 09)")
    found = cur.execute("select template_version, report_kind from marts.dim_unit_years where unit_code = ? "
                        "and fiscal_year = ?", [unit, year]).fetchone()
    if found is None:
        raise ApiError(HTTPStatus.NOT_FOUND, f"no unit-year {unit} {year} (GET /api/units lists them)")
    title = cur.execute("select printed_table_no, title, note_zh from marts.dim_report_tables "
                        "where template_version = ? and table_code = ?", [found[0], nn]).fetchone()
    names = [c for s, t, c in ((t["schema"], t["table"], [x["name"] for x in t["columns"]])
                               for t in snap.manifest["tables"]) if (s, t) == ("marts", mart)][0]
    order = ", ".join(c for c in ("line_no", "side") if c in names) or "1"
    cols, rows = rows_of(cur, f"select * exclude (unit_code, fiscal_year) from marts.{mart} "
                              f"where unit_code = ? and fiscal_year = ? order by {order}", [unit, year])
    return {"unit_code": unit, "fiscal_year": year, "template_version": found[0], "report_kind": found[1],
            "table_no": title[0] if title else f"公开{nn}表", "title": title[1] if title else None,
            "note": title[2] if title else None, "amount_unit": "万元", "columns": cols,
            "rows": records(cols, rows)}


def trend(cur: duckdb.DuckDBPyConnection, query: dict[str, list[str]]) -> dict:
    unit = (query.get("unit") or [None])[0]
    if not unit:
        raise ApiError(HTTPStatus.BAD_REQUEST, "give ?unit=UNIT_CODE (and optionally &measure=MEASURE_CODE)")
    measure = (query.get("measure") or [None])[0]
    cols, rows = rows_of(cur, "select fiscal_year, measure_code, measure_name_zh, amount, prior_year_amount, "
                              "change_amount, growth_rate_pct from marts.mart_totals_trend where unit_code = ? "
                              "and (? is null or measure_code = ?) order by measure_code, fiscal_year",
                         [unit, measure, measure])
    if not rows:
        raise ApiError(HTTPStatus.NOT_FOUND, f"no trend for unit {unit}" + (f", measure {measure}" if measure else ""))
    return {"unit_code": unit, "amount_unit": "万元", "columns": cols, "rows": records(cols, rows)}


def as_csv(columns: list[str], rows: list[dict]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([["" if r[c] is None else r[c] for c in columns] for r in rows])
    return text.getvalue()


def make_handler(readers: Readers, max_rows: int, timeout: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "juesuan-api"

        def log_message(self, fmt: str, *args) -> None:  # quiet; the test and benchmark loops are long
            pass

        def reply(self, status: HTTPStatus, body: dict | str, csv_text: bool = False) -> None:
            data = (body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/csv; charset=utf-8" if csv_text else "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def answer(self, work) -> None:
            url = urlsplit(self.path)
            path = unquote(url.path)
            query = parse_qs(url.query)
            want_csv = (query.get("format") or ["json"])[0] == "csv"
            try:
                with readers.reading() as (snap, cur):
                    body = work(path, query, snap, cur)
                body.setdefault("snapshot", snap.manifest["snapshot"])
                if want_csv and "rows" in body:
                    self.reply(HTTPStatus.OK, as_csv(body["columns"], body["rows"]), csv_text=True)
                else:
                    self.reply(HTTPStatus.OK, body)
            except ApiError as exc:
                self.reply(exc.status, {"error": str(exc)})
            except Refused as exc:
                self.reply(HTTPStatus.BAD_REQUEST, {"error": f"refused: {exc}"})

        def do_GET(self) -> None:
            def work(path: str, query: dict, snap: Snapshot, cur: duckdb.DuckDBPyConnection) -> dict:
                path = path.rstrip("/") or "/"
                if path in ("/", "/api"):
                    return {"endpoints": ENDPOINTS}
                if path == "/api/snapshot":
                    m = snap.manifest
                    return {k: m[k] for k in ("built_at", "published_at", "commit", "storage_version")} | {
                        "tables": [{"table": f"{t['schema']}.{t['table']}", "rows": t["rows"]} for t in m["tables"]]}
                if path == "/api/units":
                    return units(cur)
                if path == "/api/trend":
                    return trend(cur, query)
                m = TABLE_PATH.match(path)
                if m:
                    return printed_table(cur, snap, m["unit"], int(m["year"]), m["nn"])
                raise ApiError(HTTPStatus.NOT_FOUND, f"no endpoint {path} (GET /api lists them)")
            self.answer(work)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                # read what was sent (up to 8 times the limit, then the connection is dropped) so that the client
                # gets the answer instead of a broken pipe while it is still sending
                left = min(length, 8 * MAX_BODY)
                while left > 0:
                    chunk = self.rfile.read(min(left, 1 << 16))
                    if not chunk:
                        break
                    left -= len(chunk)
                self.close_connection = True
                self.reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": f"a body of {length} bytes; at most {MAX_BODY}"})
                return
            raw = self.rfile.read(length).decode("utf-8", errors="replace")

            def work(path: str, query: dict, snap: Snapshot, cur: duckdb.DuckDBPyConnection) -> dict:
                if path.rstrip("/") != "/api/sql":
                    raise ApiError(HTTPStatus.NOT_FOUND, f"no endpoint POST {path} (POST /api/sql is the one)")
                sql = raw
                if (self.headers.get("Content-Type") or "").startswith("application/json"):
                    try:
                        sql = json.loads(raw)["sql"]
                    except (ValueError, KeyError, TypeError):
                        raise ApiError(HTTPStatus.BAD_REQUEST, 'a JSON body must be {"sql": "select …"}') from None
                    if not isinstance(sql, str):
                        raise ApiError(HTTPStatus.BAD_REQUEST, '"sql" must be a string')
                result = run(cur, check(sql, snap.tables, max_rows), timeout, snap.manifest["snapshot"])
                return {"columns": result.columns, "types": result.types,
                        "rows": records(result.columns, result.rows), "truncated": result.truncated}
            self.answer(work)

    return Handler


def serve(published: Path, port: int, max_rows: int = 10_000, timeout: float = 10.0) -> ThreadingHTTPServer:
    """The server, bound to 127.0.0.1 (port 0: any free port; server.server_address says which)."""
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(Readers(published), max_rows, timeout))
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--published", type=Path, default=DEFAULT_DIR,
                        help="the publish folder (default: warehouse/published)")
    parser.add_argument("--max-rows", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds a POST /api/sql query may run")
    args = parser.parse_args(argv)
    server = serve(args.published.resolve(), args.port, args.max_rows, args.timeout)
    host, port = server.server_address[:2]
    print(f"api: serving {args.published.resolve() / 'current'} on http://{host}:{port}/api (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
