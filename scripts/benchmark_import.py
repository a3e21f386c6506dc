#!/usr/bin/env python3
"""Measure the import of published reports and write its section of docs/benchmarks.md.

    ./juesuan bench-import [--batch 100] [--out docs/benchmarks.md]

1. One report, on one core: the time to read, parse, derive the leaves and read the narrative's claims of the shared 25-page PDF (the
   2024 部门决算 of 上海市普陀区财政局) and of the shared extracted text (武汉市科技项目管理服务中心), median of 5;
   the text layer's extraction alone (pypdfium2, as the importer reads it) is reported beside it.
2. A batch: `--batch` copies of the extracted text, each under another unit name (so N new units), and the
   shared PDF, imported in one call of scripts/import_report.py with one build on a throw-away copy of the
   project: wall time of the whole command and of the build, and the audit of all of them in that build: the
   time of its models (dbt's run_results.json), per report, and its error findings against the golden list
   (tests/fixtures/audit/golden_findings.csv): an error that is not a true defect there is a false error.
The section between the markers <!-- import benchmark --> … <!-- /import benchmark --> is replaced; the rest of
the file (scripts/benchmark.py's ladder) is left as it is.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from importer.document import read_document  # noqa: E402
from importer.layouts import load_layouts  # noqa: E402
from importer.leaves import derive_leaves  # noqa: E402
from importer.narrative import load_measures, parse_narrative  # noqa: E402
from importer.tables import parse_report  # noqa: E402

DOCS = next((p for p in [Path(os.environ.get("JUESUAN_SOURCE_DOCUMENTS", "/nonexistent")),
                         ROOT.parent / "shared" / "source-documents", Path("/work/shared/source-documents")]
             if p.is_dir()), ROOT.parent / "shared" / "source-documents")
PDF = DOCS / "shpt_caizhengju_2024_bumen_juesuan.pdf"
TEXT = DOCS / "000_421607ae11f0bf0a.txt"
START, END = "<!-- import benchmark -->", "<!-- /import benchmark -->"
PROJECT_PARTS = ["dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests/dbt", "bulk/empty"]


def median_seconds(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def extraction_only(path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    for i in range(len(pdf)):
        textpage = pdf[i].get_textpage()
        for k in range(textpage.count_rects()):
            textpage.get_text_bounded(*textpage.get_rect(k))
    pdf.close()


def one_report(path: Path) -> None:
    document = read_document(path)
    report = parse_report(document, load_layouts())
    derive_leaves(report.cells)
    parse_narrative(document, load_measures(), report.unit_name)


def batch(n: int, work: Path) -> dict[str, float]:
    project = work / "project"
    for part in PROJECT_PARTS:
        src, dest = ROOT / part, project / part
        dest.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest)
    text = TEXT.read_text(encoding="utf-8")
    files = []
    for i in range(n):
        path = work / "reports" / f"report_{i:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("武汉市科技项目管理服务中心", f"武汉市测试单位{i:03d}"), encoding="utf-8")
        files.append(path)
    files.append(PDF)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "import_report.py"), *map(str, files),
                           "--project-dir", str(project), "--imports", str(work / "wh" / "imports"),
                           "--db", str(work / "wh" / "juesuan.duckdb")], capture_output=True, text=True)
    total = time.perf_counter() - started
    if proc.returncode != 0:
        failed = [line for line in (proc.stdout + proc.stderr).splitlines() if "Failure in" in line or "ERROR" in line]
        raise RuntimeError("the batch import failed:\n" + "\n".join(failed[:20]) + "\n" + proc.stderr[-1500:])
    built = re.search(r"build: warehouse ready at .* \(([\d.]+)s\)", proc.stdout)
    progress = len(re.findall(r"^import \[\d+/\d+\]", proc.stdout, re.M))
    return {"total": total, "build": float(built.group(1)) if built else float("nan"), "reports": progress,
            **audit_figures(project, work / "wh" / "juesuan.duckdb")}


AUDIT_MODELS = ("int_printed_rule_cells", "int_printed_rule_checks", "int_narrative_checks", "fct_audit_findings",
                "fct_audit_checklist")


def audit_figures(project: Path, db: Path) -> dict[str, float]:
    """The audit in the batch's build: its models' time, the reports it checked, its findings, and its false
    errors (an error finding that the golden list does not explain as a true defect of the print)."""
    import duckdb

    results = json.loads((project / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    seconds = sum(r["execution_time"] for r in results if r["unique_id"].split(".")[-1] in AUDIT_MODELS)
    with open(ROOT / "tests" / "fixtures" / "audit" / "golden_findings.csv", encoding="utf-8") as f:
        true_defects = {(r["unit_code"], r["rule_id"], r["finding_key"]) for r in csv.DictReader(f)
                        if r["severity"] == "error"}
    con = duckdb.connect(str(db), read_only=True)
    reports = con.execute("select count(distinct (unit_code, fiscal_year)) from audit.checklist").fetchone()[0]
    findings = con.execute("select count(*) from audit.findings").fetchone()[0]
    errors = con.execute("select unit_code, rule_id, finding_key from audit.findings where severity = 'error'").fetchall()
    con.close()
    false_errors = [e for e in errors if tuple(e) not in true_defects]
    return {"audit": seconds, "audited": reports, "findings": findings, "errors": len(errors),
            "false_errors": len(false_errors)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=100, help="reports in the batch (default 100)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    extract = median_seconds(lambda: extraction_only(PDF))
    pdf_s, text_s = median_seconds(lambda: one_report(PDF)), median_seconds(lambda: one_report(TEXT))
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    with tempfile.TemporaryDirectory() as tmp:
        b = batch(args.batch, Path(tmp))
    lines = [
        START, "## Import of published reports", "",
        f"Command: `./juesuan bench-import --batch {args.batch}` ({date.today().isoformat()}).", "",
        "| what | time |", "|---|---|",
        f"| text layer of the 25-page PDF (pypdfium2 text runs with their boxes), one core, median of 5 | {extract:.2f} s |",
        f"| one report imported (read, parse, leaves, narrative claims): the 25-page PDF, one core, median of 5 | {pdf_s:.2f} s |",
        f"| one report imported: the extracted text of the seed document, one core, median of 5 | {text_s:.2f} s |",
        f"| {b['reports']} reports ({b['reports'] - 1} copies of the text, each a new unit, and the PDF) imported in one call, with one build of the warehouse | "
        f"{b['total']:.1f} s, of which the build {b['build']:.1f} s |",
        f"| the audit of those {b['audited']} reports (its five models in that build) | {b['audit']:.1f} s, "
        f"{1000 * b['audit'] / max(b['audited'], 1):.0f} ms per report |",
        f"| findings of the {b['audited']} reports / errors / false errors (an error the golden list does not "
        f"explain as a true defect) | {b['findings']} / {b['errors']} / {b['false_errors']} |", "",
        "Extraction libraries measured once on the same PDF (2026-12-01, one core, all 25 pages): pypdfium2 5.15 "
        "text runs 0.16 s, pdfplumber 0.11 `extract_words` 2.47 s, PyMuPDF 2.0 words 0.08 s. The importer uses "
        "pypdfium2 (Apache-2.0 / BSD-3-Clause; PyMuPDF is AGPL).", END, ""]
    text = args.out.read_text(encoding="utf-8") if args.out.exists() else "# Benchmarks\n"
    if START in text:
        text = text[:text.index(START)] + "\n".join(lines) + text[text.index(END) + len(END) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines)
    args.out.write_text(text, encoding="utf-8")
    print("\n".join(lines[5:-2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
