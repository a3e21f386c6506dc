"""A printed column header the layout knows under another name: real 2025 普陀区 部门决算 head 表1's 决算数
columns 金额 in some prints. The other header is data (ref_template_columns.header_variants_zh), so a PDF of
表1 headed 金额 imports into the Shanghai layouts' 决算数 columns, and a header no layout row names does not.

The PDF is built here (matplotlib, CJK font embedded so the text layer is extractable): a cover page and
表1 laid out from the layout's own rows, income and expenditure side by side, 行次 where the layout prints
them."""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from importer.document import ImportProblem, read_document  # noqa: E402
from importer.layouts import load_layouts  # noqa: E402
from importer.tables import parse_report  # noqa: E402

# the figures printed (by row key, or by 类 for the expenditure side's subject rows)
FIGURES = {("income", "rev_GPB"): "100.00", ("income", "rev_OTH"): "5.00", ("income", "income_total"): "105.00",
           ("income", "income_grand_total"): "105.00",
           ("expenditure", "201"): "80.00", ("expenditure", "208"): "25.00",
           ("expenditure", "expenditure_total"): "105.00", ("expenditure", "expenditure_grand_total"): "105.00"}


def table1_pdf(dest: Path, version: str, year: int, header: str) -> Path:
    """A two-page PDF: the cover, then 表1 of layout `version` with its amount columns headed `header`."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.font_manager import FontProperties

    from report.charts import font_path

    matplotlib.rcParams["pdf.fonttype"] = 42
    font = FontProperties(fname=str(font_path()))
    spec = load_layouts()[version].tables["01"]
    sides = {s: [r for r in spec.rows if r.side == s] for s in ("income", "expenditure")}
    numbered = spec.has_line_numbers
    x = {"income": (0.03, 0.30, 0.40), "expenditure": (0.50, 0.80, 0.92)}   # label, 行次, amount (right edge)
    with PdfPages(dest) as pdf:
        cover = plt.figure(figsize=(11.69, 8.27))
        cover.text(0.3, 0.6, "上海市测试局", fontsize=20, fontproperties=font)
        cover.text(0.3, 0.5, f"{year}年度部门决算", fontsize=20, fontproperties=font)
        pdf.savefig(cover)
        plt.close(cover)
        fig = plt.figure(figsize=(11.69, 8.27))

        def put(xf: float, row: int, text: str, ha: str = "left") -> None:
            fig.text(xf, 0.95 - 0.024 * row, text, fontsize=7, fontproperties=font, ha=ha)

        put(0.4, 0, spec.title)
        put(0.85, 1, "单位：万元")
        put(0.2, 2, "收入")
        put(0.65, 2, "支出")
        for side, (label_x, line_x, amount_x) in x.items():
            put(label_x, 3, "项目")
            if numbered:
                put(line_x, 3, "行次")
            put(amount_x - 0.03, 3, header)
        for i in range(max(map(len, sides.values()))):
            for side, (label_x, line_x, amount_x) in x.items():
                if i >= len(sides[side]):
                    continue
                r = sides[side][i]
                if r.label:
                    put(label_x, 4 + i, r.label)
                if numbered and r.line_no:
                    put(line_x, 4 + i, str(r.line_no))
                figure = FIGURES.get((side, r.subject_code or r.row_key))
                if figure:
                    put(amount_x, 4 + i, figure, ha="right")
        pdf.savefig(fig)
        plt.close(fig)
    return dest


def figures_read(report) -> dict[tuple[str, str, str], Decimal]:
    return {(c.side, c.subject_code or c.row_key, c.column_name): c.amount
            for c in report.tables["01"].cells if c.state == "number"}


@pytest.mark.parametrize("version, year", [("SH2024", 2024), ("SH2025", 2025)])
@pytest.mark.parametrize("header", ["决算数", "金额"])
def test_table1_headed_jine_or_juesuanshu_imports_into_the_shanghai_layouts(tmp_path, version, year, header):
    report = parse_report(read_document(table1_pdf(tmp_path / "t.pdf", version, year, header)), load_layouts())
    assert (report.layout, report.fiscal_year, report.report_kind) == (version, year, "部门决算")
    expected = {(side, key, f"{side}_amount"): Decimal(v) for (side, key), v in FIGURES.items()}
    assert figures_read(report) == expected
    assert [p for p in report.problems if p.startswith("表1")] == []


def test_the_other_header_is_the_layout_s_data():
    """The layouts' 表1 columns print 决算数 and list 金额 as the header other prints use (no other table does)."""
    layouts = load_layouts()
    for version in ("SH2024", "SH2025"):
        assert [(c.column_name, c.header, c.header_variants) for c in layouts[version].tables["01"].columns] == \
            [("income_amount", "决算数", ("金额",)), ("expenditure_amount", "决算数", ("金额",))]
    assert {(v, code) for v, layout in layouts.items() for code, t in layout.tables.items()
            if any(c.header_variants for c in t.columns)} == {("SH2024", "01"), ("SH2025", "01")}


def test_a_header_no_layout_names_is_refused(tmp_path):
    with pytest.raises(ImportProblem) as exc:
        parse_report(read_document(table1_pdf(tmp_path / "t.pdf", "SH2025", 2025, "数额")), load_layouts())
    assert exc.value.rule == "columns_mismatch" and "column '决算数' of layout SH2025 not found" in exc.value.message
