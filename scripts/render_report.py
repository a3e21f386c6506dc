#!/usr/bin/env python3
"""Render unit-year reports from a built warehouse: the nine tables as .xlsx, or the report as HTML / PDF;
with --audit, the audit of imported published reports (findings and checklist, HTML and xlsx per report, and
audit_summary.html/.xlsx over them).

    ./juesuan report --unit WH-KJJ-XMZX --year 2024 --format xlsx --out out/
    ./juesuan report --all --format xlsx --format pdf --out out/
    ./juesuan report --unit WH-KJJ-XMZX --year 2024 --format pdf --final --out out/   # no 待填写 lines
    ./juesuan report --audit --all --format html --format xlsx --out audit/

Files are named <unit_code>_<year>.<ext>. One progress line per unit-year goes to stderr. A unit-year that
fails is reported by unit and year and the others are still rendered; the exit status is then 1.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report.data import (Report, audited_unit_years, connect, load_audit, load_audit_summary,  # noqa: E402
                         load_report, unit_years)

FORMATS = ("xlsx", "html", "pdf")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Render unit-year reports (the nine 公开 tables; HTML/PDF with the 情况说明) from the warehouse.",
        epilog="Example: ./juesuan report --unit WH-KJJ-XMZX --year 2024 --format xlsx --out out/")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--unit", action="append", metavar="CODE",
                       help="unit or department code (marts.dim_units.unit_code); may be repeated")
    which.add_argument("--all", action="store_true",
                       help="every unit-year with full detail (marts.dim_unit_years), departments included")
    parser.add_argument("--year", action="append", type=int, metavar="YYYY",
                        help="fiscal year; may be repeated. Without it: every full year of each unit")
    parser.add_argument("--format", action="append", choices=FORMATS, dest="formats", metavar="FORMAT",
                        help=f"output format, one of {'|'.join(FORMATS)}; may be repeated (default xlsx)")
    parser.add_argument("--final", action="store_true",
                        help="HTML/PDF: the final document, without the placeholder lines a draft prints where a "
                             "person-written text is missing (主要职责, 重点工作 …); default: a draft")
    parser.add_argument("--audit", action="store_true",
                        help="render the audit of imported reports (audit.findings, audit.checklist) instead: "
                             "<unit>_<year>_audit.html/.xlsx and audit_summary.html/.xlsx (formats html, xlsx)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder (created if missing)")
    parser.add_argument("--db", type=Path, default=ROOT / "warehouse" / "juesuan.duckdb",
                        help="warehouse file (default: %(default)s)")
    args = parser.parse_args(argv)
    args.formats = list(dict.fromkeys(args.formats or ["xlsx"]))
    if args.audit and "pdf" in args.formats:
        parser.error("--audit writes html and xlsx; print the HTML page to PDF if one is needed")
    return args


def select_unit_years(con: duckdb.DuckDBPyConnection, units: list[str] | None,
                      years: list[int] | None, audit: bool = False) -> list[tuple[str, int]]:
    """The unit-years to render. An explicitly named unit-year that has no full report is kept, so that
    rendering it fails with its own message; a named unit with no full year at all is an error."""
    available = audited_unit_years(con) if audit else unit_years(con)
    if units is None:
        return [(u, y) for u, y in available if not years or y in years]
    chosen: list[tuple[str, int]] = []
    for unit in dict.fromkeys(units):
        if years:
            chosen += [(unit, y) for y in dict.fromkeys(years)]
        else:
            found = [(u, y) for u, y in available if u == unit]
            if not found:
                raise LookupError(f"unit {unit!r} has no full report in the warehouse (see marts.dim_unit_years)")
            chosen += found
    return chosen


def render_xlsx(report: Report, con: duckdb.DuckDBPyConnection, out: Path, stem: str) -> list[Path]:
    from report.xlsx import write_xlsx
    return [write_xlsx(report, out / f"{stem}.xlsx")]


def _html_module() -> ModuleType:
    try:
        from report import html  # written separately; imported only when HTML or PDF is asked for
    except ImportError as exc:
        raise RuntimeError(f"HTML/PDF output needs scripts/report/html.py: {exc}") from exc
    return html


def render_html_pdf(report: Report, out: Path, stem: str, formats: list[str], final: bool = False) -> list[Path]:
    html = _html_module()
    written: list[Path] = []
    if "html" in formats:
        html_path = out / f"{stem}.html"
        html.render_html(report, html_path, final=final)
        written.append(html_path)
        if "pdf" in formats:
            html.render_pdf(html_path, out / f"{stem}.pdf")
            written.append(out / f"{stem}.pdf")
    elif "pdf" in formats:  # PDF only: the HTML it is printed from goes to a temporary folder
        with tempfile.TemporaryDirectory(prefix="juesuan-html-") as tmp:
            html_path = Path(tmp) / f"{stem}.html"
            html.render_html(report, html_path, final=final)
            html.render_pdf(html_path, out / f"{stem}.pdf")
        written.append(out / f"{stem}.pdf")
    return written


def render_audit(con: duckdb.DuckDBPyConnection, unit: str, year: int, formats: list[str], out: Path) -> list[Path]:
    """One imported report's audit in every requested format (html, xlsx)."""
    from report.audit import render_audit_html, write_audit_xlsx
    audit = load_audit(con, unit, year)
    stem = f"{unit}_{year}_audit"
    written = []
    if "html" in formats:
        written.append(render_audit_html(audit, out / f"{stem}.html"))
    if "xlsx" in formats:
        written.append(write_audit_xlsx(audit, out / f"{stem}.xlsx"))
    return written


def render_audit_summary(con: duckdb.DuckDBPyConnection, reports: list[tuple[str, int]], formats: list[str],
                         out: Path) -> list[Path]:
    """The batch summary over the reports rendered (findings by rule and by report)."""
    from report.audit import render_summary_html, write_summary_xlsx
    summary = load_audit_summary(con, reports)
    written = []
    if "html" in formats:
        written.append(render_summary_html(summary, out / "audit_summary.html"))
    if "xlsx" in formats:
        written.append(write_summary_xlsx(summary, out / "audit_summary.xlsx"))
    return written


def render_one(con: duckdb.DuckDBPyConnection, unit: str, year: int, formats: list[str], out: Path,
               final: bool = False) -> list[Path]:
    """Render one unit-year in every requested format; return the files written."""
    report = load_report(con, unit, year, narrative="html" in formats or "pdf" in formats)
    stem = f"{unit}_{year}"
    written: list[Path] = []
    if "xlsx" in formats:
        written += render_xlsx(report, con, out, stem)
    if "html" in formats or "pdf" in formats:
        written += render_html_pdf(report, out, stem, formats, final)
    return written


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        con = connect(args.db)
    except (FileNotFoundError, duckdb.Error) as exc:
        print(f"error: cannot open the warehouse: {exc}", file=sys.stderr)
        return 2
    try:
        try:
            todo = select_unit_years(con, args.unit, args.year, args.audit)
        except (LookupError, duckdb.Error) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if not todo:
            print(f"error: no {'imported report to audit' if args.audit else 'unit-year to render'} in {args.db}"
                  + (f" for year(s) {', '.join(map(str, args.year))}" if args.year else ""), file=sys.stderr)
            return 2
        args.out.mkdir(parents=True, exist_ok=True)
        fmt = "+".join(args.formats)
        failed: list[str] = []
        for i, (unit, year) in enumerate(todo, start=1):
            start = time.monotonic()
            try:
                if args.audit:
                    render_audit(con, unit, year, args.formats, args.out)
                else:
                    render_one(con, unit, year, args.formats, args.out, args.final)
            except Exception as exc:  # report by unit-year, carry on with the others
                failed.append(f"{unit} {year}: {type(exc).__name__}: {exc}")
                print(f"[{i}/{len(todo)}] {unit} {year} {fmt} … FAILED: {exc}", file=sys.stderr)
                continue
            print(f"[{i}/{len(todo)}] {unit} {year} {fmt} … ok ({time.monotonic() - start:.1f} s)", file=sys.stderr)
        if args.audit:
            render_audit_summary(con, todo, args.formats, args.out)
    finally:
        con.close()
    if failed:
        print(f"error: {len(failed)} of {len(todo)} unit-year(s) failed:", file=sys.stderr)
        for line in failed:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(f"{len(todo)} unit-year(s) written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
