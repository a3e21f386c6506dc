"""The importer on the project's first document, text extracted from the PDF of the 2024 单位决算 of
武汉市科技项目管理服务中心: a pure parse, checked against the golden file transcribed from the document
(tests/pytest/golden/) and against today's hand-made leaf seeds."""
from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, SOURCE_DOCUMENTS

sys.path.insert(0, str(ROOT / "scripts"))
from importer.document import read_document  # noqa: E402
from importer.layouts import load_layouts, match_label  # noqa: E402
from importer.leaves import derive_leaves  # noqa: E402
from importer.tables import parse_report  # noqa: E402

SOURCE = SOURCE_DOCUMENTS / "000_421607ae11f0bf0a.txt"
GOLDEN = Path(__file__).parent / "golden" / "gongkai_2024_unit_421607.csv"
pytestmark = pytest.mark.skipif(not SOURCE.exists(), reason="shared source document not available")


@pytest.fixture(scope="module")
def report():
    return parse_report(read_document(SOURCE), load_layouts())


def row_id(table: str, side: str, subject: str, label: str, layout) -> tuple:
    """A golden row's identity: its subject code, else the template row its label names."""
    if subject:
        return table, side, subject, ""
    spec = layout.tables[table]
    rows = [r for r in spec.rows if r.label and r.row_kind != "blank" and (not spec.two_sided or r.side == side)]
    match = match_label(label, rows) if label else next(r for r in spec.rows if r.row_kind != "blank")
    return table, side, "", match.row_key if match else label


def test_cover_and_layout(report):
    assert (report.unit_name, report.fiscal_year, report.report_kind, report.layout) == \
        ("武汉市科技项目管理服务中心", 2024, "单位决算", "CN2024")
    assert report.missing_tables == []
    assert report.unit_kind == "事业单位"  # its 概况: 公益一类正处级规格事业单位
    assert {t.printed_no for t in report.tables.values()} == {f"公开{n:02d}表" for n in range(1, 10)}
    assert {t.heading_year for t in report.tables.values()} == {2024}
    # every heading names the unit (单位: …), never the unit of amounts printed on the same line (单位:万元)
    assert {t.heading_unit for t in report.tables.values()} == {"武汉市科技项目管理服务中心"}


def test_every_printed_figure_is_read_and_only_those(report):
    """Every non-zero figure of the golden file is a printed cell with that value, and every figure read is
    in the golden file; the one exception is the 公用经费合计 the extraction truncated to '126'."""
    layout = load_layouts()["CN2024"]
    golden = {}
    with open(GOLDEN, encoding="utf-8", newline="") as f:
        for g in csv.DictReader(f):
            if Decimal(g["amount"]) != 0:
                golden[(*row_id(g["table_code"], g["side"], g["subject_code"], g["item_name"], layout),
                        g["column_name"])] = Decimal(g["amount"])
    read = {}
    for c in report.cells:
        if c.state == "number":
            key = (c.table_code, c.side, c.subject_code, "" if c.subject_code else c.row_key, c.column_name)
            read[key] = c.amount
    truncated = ("06", "", "", "public_total", "amount")
    assert golden.pop(truncated) == Decimal("126.36")
    assert read == golden
    assert len(read) == 167


def test_the_truncated_figure_is_unreadable_not_a_number(report):
    [cell] = [c for c in report.cells if c.state == "unreadable"]
    assert (cell.table_no, cell.row_key, cell.raw_text, cell.amount, cell.line) == \
        ("公开06表", "public_total", "126", None, 275)


def test_blank_cells_are_kept_as_blank(report):
    cells = {(c.table_code, c.side, c.row_key, c.subject_code, c.column_name): c for c in report.cells}
    assert cells[("01", "income", "rev_GFB", "", "income_amount")].state == "blank"
    assert cells[("03", "", "subject", "2060501", "project_expenditure")].state == "blank"
    assert cells[("09", "", "total", "", "final_total")].state == "blank"


def test_empty_tables_say_so(report):
    assert report.tables["07"].figures == 0 and "无政府性基金" in report.tables["07"].statement
    assert report.tables["08"].figures == 0 and "无国有资本经营" in report.tables["08"].statement


def test_leaf_facts_equal_the_hand_made_seeds(report):
    leaves, problems = derive_leaves(report.cells)
    assert problems == []
    keys = {"amt_revenue": ["subject_code", "source_code"],
            "amt_expenditure": ["subject_code", "fund_code", "expenditure_type"],
            "amt_basic_expenditure_economic": ["fund_code", "econ_code"],
            "amt_sangong": ["phase", "item_code"],
            "amt_balances": ["balance_kind", "fund_code"]}
    for table, cols in keys.items():
        with open(ROOT / "seeds" / "amounts" / f"{table}.csv", encoding="utf-8", newline="") as f:
            seeded = {tuple(r[c] for c in cols): Decimal(r["amount"]) for r in csv.DictReader(f)
                      if r["unit_code"] == "WH-KJJ-XMZX" and r["fiscal_year"] == "2024" and Decimal(r["amount"])}
        derived = {tuple(leaf[c] for c in cols): leaf["amount"] for leaf in leaves.get(table, [])}
        assert derived == seeded, table
