"""The importer on a real PDF: the 2024 部门决算 of 上海市普陀区财政局 (25 pages, Shanghai layout, text layer).
Checked against a golden file transcribed from the page images, independently of the importer
(tests/fixtures/import/golden/shpt_caizhengju_2024.csv, with its notes in the .md beside it)."""
from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, SOURCE_DOCUMENTS

sys.path.insert(0, str(ROOT / "scripts"))
from importer.document import read_document  # noqa: E402
from importer.layouts import load_layouts, norm, norm_label  # noqa: E402
from importer.leaves import derive_leaves  # noqa: E402
from importer.tables import parse_report  # noqa: E402

SOURCE = SOURCE_DOCUMENTS / "shpt_caizhengju_2024_bumen_juesuan.pdf"
GOLDEN = ROOT / "tests" / "fixtures" / "import" / "golden" / "shpt_caizhengju_2024.csv"
pytestmark = pytest.mark.skipif(not SOURCE.exists(), reason="shared source document not available")
SIDES = {"收入": "income", "支出": "expenditure", "": ""}


@pytest.fixture(scope="module")
def report():
    return parse_report(read_document(SOURCE), load_layouts())


def column_of(table_no: str, side: str, golden_column: str, layout) -> str:
    """The layout column a golden column names (its header, or the header's last levels: 公务用车购置费/预算数)."""
    spec = next(t for t in layout.tables.values() if t.table_no == table_no)
    g = norm(golden_column.replace("/", "")).replace("小计", "合计")
    headers = {c.column_name: norm(c.header).replace("小计", "合计") for c in spec.columns_of(side)}
    found = [n for n, h in headers.items() if h == g] or [n for n, h in headers.items() if h.endswith(g)]
    assert len(found) == 1, (table_no, golden_column, found)
    return found[0]


def golden_figures(layout) -> set[tuple]:
    with open(GOLDEN, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = set()
    for g in rows:
        column = column_of(g["table_no"], SIDES[g["side"]], g["column"], layout)
        out.add((g["table_no"], SIDES[g["side"]], g["subject_code"] or norm_label(g["row_label"]),
                 int(g["page"]), column, Decimal(g["value"])))
    return out


def test_layout_and_cover(report):
    assert (report.unit_name, report.fiscal_year, report.report_kind, report.layout) == \
        ("上海市普陀区财政局", 2024, "部门决算", "SH2024")
    assert report.missing_tables == []
    assert [t.table_no for t in sorted(report.tables.values(), key=lambda t: t.first_page)] == \
        [f"表{n}" for n in range(1, 10)]
    assert "pages without a text layer (skipped): 14" in report.problems


def test_every_printed_figure_as_transcribed_from_the_page_images(report):
    layout = load_layouts()["SH2024"]
    def row(c) -> str:  # the golden file names coded rows by code, the others (and 表1/表4's 类) by label
        if c.table_code == "09":
            return "合计行"
        return norm_label(c.row_label) if c.side or not c.subject_code else c.subject_code

    read = {(c.table_no, c.side, row(c), c.page, c.column_name, c.amount) for c in report.cells if c.state == "number"}
    golden = {(t, s, "合计行" if t == "表7" else r, p, col, v) for t, s, r, p, col, v in golden_figures(layout)}
    assert sorted(read - golden) == [] and sorted(golden - read) == []
    assert len(read) == 195
    assert [c for c in report.cells if c.state not in ("number", "blank")] == []


def test_the_empty_tables_say_so(report):
    for code in ("07", "08"):
        assert report.tables[code].figures == 0
        assert report.tables[code].statement.endswith("故本表无数据。")


def test_the_print_s_own_inconsistencies_are_kept_as_printed(report):
    """208 社会保障和就业支出 is 326.71 in 表1/表4 and 326.72 in 表2/表3/表5 (its 款 add to 326.72): the importer
    records what each table prints, it corrects nothing."""
    by = {(c.table_no, c.subject_code, c.column_name): c.amount for c in report.cells if c.state == "number"}
    assert by[("表1", "208", "expenditure_amount")] == Decimal("326.71")
    assert by[("表4", "208", "expenditure_general_budget")] == Decimal("326.71")
    assert by[("表2", "208", "total_income")] == Decimal("326.72")
    assert by[("表6", "301", "amount")] == Decimal("2082.85")   # its 款 add to 2082.86


def test_leaves_of_the_pdf(report):
    leaves, problems = derive_leaves(report.cells)
    assert problems == []
    revenue = {(r["subject_code"], r["source_code"]): r["amount"] for r in leaves["amt_revenue"]}
    assert revenue[("2010601", "GPB")] == Decimal("1511.89") and revenue[("2010601", "OTH")] == Decimal("0.01")
    assert revenue[("2010602", "OTH")] == Decimal("6.19")
    expenditure = {(r["subject_code"], r["fund_code"], r["expenditure_type"]): r["amount"]
                   for r in leaves["amt_expenditure"]}
    assert expenditure[("2010601", "GPB", "BASIC")] == Decimal("1503.52")
    assert expenditure[("2010601", "GPB", "PROJECT")] == Decimal("8.37")
    assert sum(expenditure.values()) == Decimal("2940.06")   # the 项 add to 0.01 more than the printed 合计
    balances = {(r["balance_kind"], r["fund_code"]): r["amount"] for r in leaves["amt_balances"]}
    assert balances == {("OPENING", "GPB"): Decimal("21.63"), ("CLOSING", "GPB"): Decimal("21.63"),
                        ("OPENING", "NFS"): Decimal("27.51"), ("CLOSING", "NFS"): Decimal("33.71")}
    sangong = {(r["phase"], r["item_code"]): r["amount"] for r in leaves["amt_sangong"]}
    assert sangong == {("BUDGET", "RECEPTION"): Decimal("0.95")}


def test_the_shipped_chart_has_every_code_the_pdf_prints_and_an_import_adds_what_a_chart_lacks(report, tmp_path):
    """The shipped chart carries every code the PDF prints (its `source` names the PDF), so importing it adds
    nothing to the chart; against the chart of the 武汉 report's codes only (the chart shipped before), the import
    adds the PDF's others with their printed names, the parent their code gives, their 类's cost type and the PDF as
    their source."""
    import shutil
    from import_report import chart_rows

    assert chart_rows(report, ROOT) == ([], [])
    project = tmp_path / "project"
    shutil.copytree(ROOT / "seeds", project / "seeds")
    for name in ("ref_function_subjects.csv", "ref_economic_subjects.csv"):
        path = project / "seeds" / "reference" / name
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        kept = [r for r in rows if "000_421607ae11f0bf0a.txt" in r["source"]]
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(kept)
    function, economic = chart_rows(report, project)
    assert {r[0]: r[1:] for r in economic} == {
        "31001": ("房屋建筑物购建", "款", "310", "公用经费", SOURCE.name),
        "31019": ("其他交通工具购置", "款", "310", "公用经费", SOURCE.name),
        "31021": ("文物和陈列品购置", "款", "310", "公用经费", SOURCE.name)}
    added = {r[0]: r[1:4] for r in function}
    assert len(function) == 9 and {r[5] for r in function} == {SOURCE.name}
    assert added["20106"] == ("财政事务", "款", "201") and added["2010601"] == ("行政运行", "项", "20106")
    assert added["2080506"] == ("机关事业单位职业年金缴费支出", "项", "20805")
