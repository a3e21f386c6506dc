"""Our own exports import back to the same cells: the xlsx and the PDF that scripts/render_report.py writes
from the session's warehouse, imported, give every figure the marts print (and no other), in the same
table, row and column."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from importer.document import read_document  # noqa: E402
from importer.layouts import load_layouts  # noqa: E402
from importer.tables import parse_report  # noqa: E402

UNIT, YEAR = "WH-KJJ-XMZX", 2024


def export(warehouse, out: Path, fmt: str) -> Path:
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "render_report.py"), "--unit", UNIT, "--year",
                           str(YEAR), "--format", fmt, "--out", str(out), "--db", str(warehouse.db_path)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out / f"{UNIT}_{YEAR}.{fmt}"


def mart_figures(con) -> set[tuple]:
    """Every figure the nine marts print for the unit-year (the exports leave 0.00 blank)."""
    return set(con.execute("""
        select table_code, coalesce(side, ''), row_key, coalesce(subject_code, ''), column_name, amount
        from audit.audit_report_cells where unit_code = ? and fiscal_year = ? and amount <> 0""",
                           [UNIT, YEAR]).fetchall())


def imported_figures(path: Path) -> set[tuple]:
    report = parse_report(read_document(path), load_layouts())
    assert (report.unit_name, report.fiscal_year, report.report_kind, report.layout) == \
        ("武汉市科技项目管理服务中心", YEAR, "单位决算", "CN2024")
    assert report.problems == [] and report.missing_tables == []
    assert {c.state for c in report.cells} == {"number", "blank"}
    return {(c.table_code, c.side, c.row_key, c.subject_code, c.column_name, c.amount)
            for c in report.cells if c.state == "number"}


def test_our_xlsx_imports_back_to_the_marts_figures(warehouse, con, tmp_path):
    figures = imported_figures(export(warehouse, tmp_path, "xlsx"))
    assert figures == mart_figures(con)
    assert len(figures) == 168


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_our_pdf_imports_back_to_the_marts_figures(warehouse, con, tmp_path):
    """Our PDF prints the tables on landscape pages: header labels on one line (一般公共预算财政拨款 over its
    figures, not a row of that name), and 公开01/公开04 continued on a second page under their repeated header
    (栏次 included), which the importer skips."""
    pdf = export(warehouse, tmp_path, "pdf")
    doc = read_document(pdf)
    lanci_pages = {p for p, _, text in doc.ordered_lines() if text.startswith("栏次")}
    title_pages = {p for p, _, text in doc.ordered_lines() if "年度" in text and text.endswith("决算总表")}
    assert lanci_pages - title_pages, "no table continues on a page under its repeated header"
    figures = imported_figures(pdf)
    assert figures == mart_figures(con)
