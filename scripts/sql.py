#!/usr/bin/env python3
"""Run one read-only query on the published marts (warehouse/published/current): ./juesuan sql "select …".

The statement must be one query over the published schemas (marts, audit); it is checked by the SQL guard
(scripts/sqlguard.py: no table functions, files, settings, ATTACH/COPY/PRAGMA …), run on a read-only
connection with file access disabled, at most --max-rows rows and --timeout seconds. A refused statement
exits 2 with the reason; nothing is written anywhere.

  ./juesuan sql "select unit_code, fiscal_year, amount from marts.mart_totals_trend where measure_code = 'TOTAL_EXP'"
  ./juesuan sql --format csv "select * from marts.gongkai_01" > gongkai_01.csv
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from published import DEFAULT_DIR, NotPublished, Result, plain, query  # noqa: E402
from sqlguard import Refused  # noqa: E402


def as_text(result: Result) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(result.columns, widths)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(v.ljust(w) for v, w in zip(r, widths)) for r in cells]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("statement", help="one SELECT (CTEs allowed); '-' reads it from standard input")
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
    parser.add_argument("--max-rows", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds (default 10)")
    parser.add_argument("--published", type=Path, default=DEFAULT_DIR,
                        help="the publish folder (default: warehouse/published)")
    args = parser.parse_args(argv)
    statement = sys.stdin.read() if args.statement == "-" else args.statement
    try:
        result = query(statement, args.published, args.max_rows, args.timeout)
    except Refused as exc:
        print(f"sql: refused: {exc}", file=sys.stderr)
        return 2
    except NotPublished as exc:
        print(f"sql: {exc}", file=sys.stderr)
        return 1
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([["" if v is None else str(v) for v in row] for row in result.rows])
    elif args.format == "json":
        print(json.dumps({"snapshot": result.snapshot, "columns": result.columns, "types": result.types,
                          "rows": [[plain(v) for v in row] for row in result.rows], "truncated": result.truncated},
                         ensure_ascii=False))
    else:
        print(as_text(result))
    if result.truncated:
        print(f"sql: only the first {args.max_rows} rows are shown (--max-rows)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
