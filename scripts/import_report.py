#!/usr/bin/env python3
"""Import published 决算 reports (PDF with a text layer, or text extracted from one) into the warehouse.

    ./juesuan import REPORT.pdf [REPORT.txt ...] [--unit CODE] [--no-build]

Each report becomes printed cells (every cell of its nine tables: table as printed, row, column, state
number / blank / dash / unreadable, page and line) and the leaf facts they imply, written as one bulk batch
per unit-year in warehouse/imports/ (importing a unit-year again replaces its batch); then the warehouse is
built (scripts/build.py, incremental). The unit is matched to ref_units by its printed name, or given a
stable new code (IMP-…) ; --unit overrides.

A file that cannot be read, is not a 决算, has no text layer, or duplicates another report's unit-year in
the same batch is reported (file, page, rule) and nothing from it is written. The batches then pass the same
validation as the seeds (scripts/validation/: a unit-year the seeds already have, a negative figure, …), with
--no-build too; if it or the build fails, every batch file is put back as it was: the warehouse and the
imports folder are unchanged.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from importer.document import ImportProblem, read_document  # noqa: E402
from importer.layouts import load_layouts  # noqa: E402
from importer.leaves import derive_leaves  # noqa: E402
from importer.numbers import UNREADABLE  # noqa: E402
from importer.store import Swap, batch_name, columns, ensure_folder, unit_batch_name, write_batch  # noqa: E402
from importer.narrative import Claim, load_measures, parse_narrative  # noqa: E402
from importer.tables import Report, parse_report  # noqa: E402

AMOUNT_TABLES = ["amt_revenue", "amt_expenditure", "amt_basic_expenditure_economic", "amt_sangong", "amt_balances"]


def seeded_units(project: Path = ROOT) -> dict[str, str]:
    """Printed name -> unit_code of the units in seeds/reference/ref_units.csv."""
    with open(project / "seeds" / "reference" / "ref_units.csv", encoding="utf-8", newline="") as f:
        return {row["unit_name"].strip(): row["unit_code"].strip() for row in csv.DictReader(f)}


def known_units(folder: Path, project: Path = ROOT) -> dict[str, str]:
    """Printed name -> unit_code, from the seeds and earlier imports."""
    names = seeded_units(project)
    files = sorted(folder.glob("ref_units.imp_*.parquet"))
    if files:
        import duckdb
        con = duckdb.connect()
        for code, name in con.execute(f"select unit_code, unit_name from read_parquet({[str(p) for p in files]})").fetchall():
            names.setdefault(name, code)
        con.close()
    return names


def shipped_chart(project: Path) -> tuple[dict[str, dict], dict[str, dict]]:
    charts = []
    for name, key in (("ref_function_subjects.csv", "subject_code"), ("ref_economic_subjects.csv", "econ_code")):
        with open(project / "seeds" / "reference" / name, encoding="utf-8", newline="") as f:
            charts.append({row[key]: row for row in csv.DictReader(f)})
    return charts[0], charts[1]


def chart_rows(report: Report, project: Path) -> tuple[list[tuple], list[tuple]]:
    """Every subject code the report prints that the shipped chart lacks, with its printed name and the parent
    its code's structure gives (类 3 digits, 款 5, 项 7; economic 类 3, 款 5)."""
    function, economic = shipped_chart(project)
    source = Path(report.path).name
    levels = {3: "类", 5: "款", 7: "项"}
    new_f: dict[str, tuple] = {}
    new_e: dict[str, tuple] = {}
    for c in sorted(report.cells, key=lambda c: (c.table_code, c.row_order)):
        code, name = c.subject_code, "".join(c.row_label.split())
        if not code or not name:
            continue
        if c.subject_dimension == "function" and code not in function and code not in new_f and len(code) in levels:
            new_f[code] = (code, name, levels[len(code)], code[:-2] if len(code) > 3 else None, None, source)
        elif c.subject_dimension == "economic" and code not in economic and code not in new_e and len(code) in (3, 5):
            parent = economic.get(code[:3], {})
            new_e[code] = (code, name, "类" if len(code) == 3 else "款", code[:3] if len(code) == 5 else None,
                           parent.get("cost_type") or ("人员经费" if code[:3] in ("301", "303") else "公用经费"), source)
    return list(new_f.values()), list(new_e.values())


def new_unit_code(name: str) -> str:
    return "IMP-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8].upper()


def batch_rows(report: Report, unit_code: str, project: Path = ROOT,
               claims: list[Claim] | None = None) -> tuple[dict[str, list[tuple]], list[str]]:
    key = (unit_code, report.fiscal_year)
    source = Path(report.path).name
    rows: dict[str, list[tuple]] = {}
    rows["ref_function_subjects"], rows["ref_economic_subjects"] = chart_rows(report, project)
    rows["ref_unit_years"] = [(*key, report.layout, report.report_kind, source, "imported", "full", "万元")]
    leaves, problems = derive_leaves(report.cells)
    for table in AMOUNT_TABLES:
        names = columns(table)[2:]
        rows[table] = [(*key, *(leaf.get(n) for n in names)) for leaf in leaves.get(table, [])]
    rows["imp_printed_tables"] = [
        (*key, source, report.layout, t.table_code, t.table_no, t.printed_no, t.title, t.heading_year,
         t.first_page, t.last_page, t.statement or None, t.figures, t.heading_unit or None, report.unit_name)
        for t in report.tables.values()]
    rows["imp_printed_cells"] = [
        (*key, source, c.table_code, c.table_no, c.side or None, c.row_order, c.row_key, c.row_label, c.line_no,
         c.subject_dimension or None, c.subject_code or None, c.column_name, c.column_no, c.column_header,
         c.state, c.amount, c.raw_text or None, c.page, c.line, c.template_row_order) for c in report.cells]
    # a claim's fields in the bulk table's order (its columns are the Claim's, claim_kind being its kind)
    claim_fields = ["kind" if n == "claim_kind" else n for n in columns("imp_narrative_claims")[3:]]
    rows["imp_narrative_claims"] = [(*key, source, *(getattr(c, f) for f in claim_fields)) for c in claims or []]
    return rows, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path, help="published reports: PDF, or text extracted from a PDF")
    parser.add_argument("--unit", help="the unit_code of the report (one file only); default: matched by name")
    parser.add_argument("--imports", type=Path, default=ROOT / "warehouse" / "imports",
                        help="the folder of import batches (default warehouse/imports)")
    parser.add_argument("--db", type=Path, default=ROOT / "warehouse" / "juesuan.duckdb",
                        help="the warehouse to build (default warehouse/juesuan.duckdb)")
    parser.add_argument("--project-dir", type=Path, default=ROOT, help="the dbt project (default: this repository)")
    parser.add_argument("--no-build", action="store_true", help="write the batches only; do not build")
    args = parser.parse_args(argv)
    if args.unit and len(args.files) > 1:
        parser.error("--unit names the unit of one report; give one file")

    project = args.project_dir.resolve()
    layouts = load_layouts(project / "seeds" / "templates")
    measures = load_measures(project / "seeds" / "audit")
    folder = args.imports.resolve()
    ensure_folder(folder)
    units = known_units(folder, project)
    seeded = seeded_units(project)
    parsed: list[tuple[Path, Report, list[Claim], float]] = []
    failures = 0
    for i, path in enumerate(args.files, start=1):
        started = time.perf_counter()
        try:
            document = read_document(path)
            report = parse_report(document, layouts)
            claims = parse_narrative(document, measures, report.unit_name)
        except ImportProblem as problem:
            print(f"import [{i}/{len(args.files)}] {problem}  -- nothing imported from this file", file=sys.stderr)
            failures += 1
            continue
        parsed.append((path, report, claims, time.perf_counter() - started))

    by_key: dict[tuple[str, int], list[Path]] = {}
    plans = []
    for path, report, claims, seconds in parsed:
        code = args.unit or units.get(report.unit_name) or new_unit_code(report.unit_name)
        by_key.setdefault((code, report.fiscal_year), []).append(path)
        plans.append((path, report, claims, seconds, code))
    duplicated = {k for k, paths in by_key.items() if len(paths) > 1}
    for key in sorted(duplicated):
        names = ", ".join(p.name for p in by_key[key])
        print(f"import: {names}: [duplicate_unit_year] {len(by_key[key])} reports of {key[0]} {key[1]} in one "
              f"batch; none of them imported", file=sys.stderr)
        failures += len(by_key[key])

    swap = Swap(folder)
    imported = 0
    for path, report, claims, seconds, code in plans:
        if (code, report.fiscal_year) in duplicated:
            continue
        rows, leaf_problems = batch_rows(report, code, project, claims)
        swap.replace(batch_name(code, report.fiscal_year), write_batch(folder, batch_name(code, report.fiscal_year), rows))
        if code not in seeded.values():
            # a unit the seeds do not have: its row is a batch of its own (one per unit, whatever its years)
            unit_batch = unit_batch_name(code)
            swap.replace(unit_batch, write_batch(folder, unit_batch, {"ref_units": [
                (code, report.unit_name, report.unit_kind, None, None, None, None)]}))
        imported += 1
        cells = report.cells
        unreadable = [c for c in cells if c.state == UNREADABLE]
        print(f"import [{imported}/{len(plans)}] {path.name}: {report.unit_name} ({code}) {report.fiscal_year} {report.report_kind}, "
              f"layout {report.layout}; {len(report.tables)} tables, {sum(t.figures for t in report.tables.values())} "
              f"printed figures, {len(unreadable)} unreadable; {seconds:.2f}s")
        if rows["ref_function_subjects"] or rows["ref_economic_subjects"]:
            print(f"    chart: {len(rows['ref_function_subjects'])} function and {len(rows['ref_economic_subjects'])} "
                  f"economic subjects added with their printed names")
        bound = sum(1 for c in claims if c.measure)
        print(f"    narrative: {len(claims)} claims ({bound} bound to a printed figure)")
        for t in report.tables.values():
            print(f"    {t.table_no} p{t.first_page}: {t.figures} figures" + (f"; says: {t.statement}" if t.statement else ""))
        for c in unreadable:
            print(f"    unreadable: {c.table_no} page {c.page} line {c.line}: {c.row_label} {c.column_header} "
                  f"'{c.raw_text}'")
        for p in report.problems + leaf_problems:
            print(f"    note: {p}")
    if not imported:
        swap.rollback()
        print("import: nothing imported", file=sys.stderr)
        return 1
    if args.no_build:
        # not built, but validated as a build would (seeds and every batch of the folder together)
        from validation import run_validation
        checked = run_validation(project / "seeds", folder, project / "models")
        for p in checked.problems:
            print(p, file=sys.stderr)
        if checked.errors:
            swap.rollback()
            print(f"import: {len(checked.errors)} input problem(s); the import batches were put back as they were",
                  file=sys.stderr)
            return 1
        swap.commit()
        return 1 if failures else 0
    import build  # noqa: E402
    code = build.main(["--project-dir", str(project), "--db", str(args.db), "--bulk-dir", str(folder)])
    if code != 0:
        swap.rollback()
        print("import: the build failed; the import batches were put back as they were", file=sys.stderr)
        return code
    swap.commit()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
