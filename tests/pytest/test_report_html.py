"""The HTML report (scripts/report/html.py) of WH-KJJ-XMZX 2024, rendered from the warehouse built by the
session fixture: every printed amount of the nine tables against its mart cell, the 情况说明's figures against
the published document's own, person-written texts left out when missing, and — when Debian's chromium is
installed (./juesuan test installs it) — a screenshot, the DOM as the browser builds it, and the PDF."""
from __future__ import annotations

import io
import re
import shutil
import struct
import sys
import warnings
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, SOURCE_DOCUMENTS

sys.path.insert(0, str(ROOT))
from scripts.report import html as report_html
from scripts.report.charts import render_charts
from scripts.report.data import load_report
from scripts.report.document import build_document
from scripts.report.data import amount as amount_text
from scripts.report.narrative import build_sections, money

UNIT, YEAR = "WH-KJJ-XMZX", 2024
ARTIFACTS = ROOT / "artifacts"
TABLE_IDS = [f"table-{n:02d}" for n in range(1, 10)]
CHART_IDS = [f"chart-{n}" for n in range(1, 5)]


class ReportParser(HTMLParser):
    """Collects ids, amount cells (table id, side, 行次, mart column -> text), the text of each narrative section,
    the section each chart sits in, and the header cells of each table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.cells: dict[tuple[str, str | None, int, str], str] = {}
        self.headers: dict[str, list[tuple[str, int, int]]] = {}
        self.section_text: dict[str, str] = {}
        self.chart_section: dict[str, str] = {}
        self.paragraphs: list[str] = []
        self._section: str | None = None
        self._cell: tuple | None = None
        self._th: list | None = None
        self._p: list[str] | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "section":
            self._section = a.get("id")
            self.section_text.setdefault(self._section, "")
        elif tag == "figure" and self._section:
            self.chart_section[a.get("id")] = self._section
        elif tag == "td" and "data-col" in a:
            self._cell = (self._section, a.get("data-side"), int(a["data-line"]), a["data-col"])
            self._buf = []
        elif tag == "th" and self._section:
            self._th = [int(a.get("colspan", 1)), int(a.get("rowspan", 1))]
            self._buf = []
        elif tag in ("p", "h4"):
            self._p = []

    def handle_endtag(self, tag):
        if tag == "section":
            self._section = None
        elif tag == "td" and self._cell:
            self.cells[self._cell] = "".join(self._buf).strip()
            self._cell = None
        elif tag == "th" and self._th is not None:
            self.headers.setdefault(self._section, []).append(("".join(self._buf).strip(), *self._th))
            self._th = None
        elif tag in ("p", "h4") and self._p is not None:
            self.paragraphs.append("".join(self._p))
            self._p = None

    def handle_data(self, data):
        self._buf.append(data)
        if self._p is not None:
            self._p.append(data)
        if self._section and self._section.startswith("section-"):
            self.section_text[self._section] += data


@pytest.fixture(scope="module")
def report(con):
    return load_report(con, UNIT, YEAR)


@pytest.fixture(scope="module")
def rendered(con, report, tmp_path_factory) -> Path:
    return report_html.render_html(report, tmp_path_factory.mktemp("report") / f"{UNIT}-{YEAR}.html")


@pytest.fixture(scope="module")
def page(rendered) -> str:
    return rendered.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def parsed(page) -> ReportParser:
    p = ReportParser()
    p.feed(page)
    return p


# ------------------------------------------------------------------------------------------------ tables

def test_every_amount_of_every_table_is_its_mart_cell(con, parsed):
    columns = con.execute("select table_code, column_name, side from marts.dim_report_columns "
                          "where template_version = 'CN2024'").fetchall()
    expected: dict[tuple, Decimal] = {}
    for table_code in sorted({c[0] for c in columns}):
        cols = [(name, side) for code, name, side in columns if code == table_code]
        cur = con.execute(f"select * from marts.gongkai_{table_code} where unit_code = ? and fiscal_year = ?",
                          [UNIT, YEAR])
        names = [d[0] for d in cur.description]
        for row in map(lambda r: dict(zip(names, r)), cur.fetchall()):
            for name, side in cols:
                if side is not None and row["side"] != side:
                    continue   # the other side of a two-sided table: not a printed cell
                expected[(f"table-{table_code}", side, row["line_no"], name)] = row[name]
    nonzero = {k: v for k, v in expected.items() if v != 0}
    assert len(nonzero) > 150   # 01…06 and 09's 预算数 carry figures
    printed = {k: v for k, v in parsed.cells.items() if v}
    missing = sorted(set(nonzero) - set(parsed.cells))
    assert not missing, f"mart cells not printed: {missing[:10]}"
    wrong = {k: (printed.get(k), str(v)) for k, v in nonzero.items()
             if Decimal(printed.get(k, "0").replace(",", "")) != v or printed.get(k) != f"{v:,.2f}"}
    assert not wrong, wrong
    extra = sorted(set(printed) - set(nonzero))
    assert not extra, f"printed amounts that are zero or unknown in the marts: {extra[:10]}"
    zero_cells = [k for k, v in expected.items() if v == 0]
    assert all(parsed.cells.get(k) == "" for k in zero_cells), "a zero cell is printed (must be blank)"


def test_tables_in_order_with_layout_headers_and_statements(parsed, page, report):
    order = [i for i in parsed.ids if i.startswith("table-")]
    assert order == TABLE_IDS
    assert '<h1 id="title">2024年度武汉市科技项目管理服务中心单位决算</h1>' in page
    h = parsed.headers
    # two-sided 04: 收入 | 支出 on top, 决算数 over its four columns, the 栏次 row
    assert ("支出", 6, 1) in h["table-04"] and ("决算数", 4, 1) in h["table-04"]
    assert ("项目", 1, 2) in h["table-04"] and ("行次", 1, 2) in h["table-04"] and ("栏次", 1, 1) in h["table-04"]
    texts = [t for t, *_ in h["table-04"]]
    assert texts[-9:] == ["栏次", "", "1", "栏次", "", "2", "3", "4", "5"]
    # 三公: 预算数/决算数 over six columns, 公务用车购置及运行费 over three, leaves reaching down
    assert ("预算数", 6, 1) in h["table-09"] and ("决算数", 6, 1) in h["table-09"]
    assert ("公务用车购置及运行费", 3, 1) in h["table-09"] and ("因公出国(境)费", 1, 2) in h["table-09"]
    assert [t for t, *_ in h["table-09"]][-12:] == [str(n) for n in range(1, 13)]
    assert ("本年支出", 3, 1) in h["table-05"] and ("栏次", 1, 1) in h["table-05"]
    # the code header over 类 | 款 | 项, the whole code across them (CN2024, as the seed document prints it)
    assert ("功能分类科目编码", 3, 1) in h["table-05"] and ("科目名称", 1, 2) in h["table-05"]
    assert all((level, 1, 1) in h["table-05"] for level in ("类", "款", "项"))
    assert re.search(r'<td colspan="3" class="code lvl3">2060501</td>', page)
    assert re.findall(r'data-table-code="(\d\d)" data-orientation="(\w+)"', page) == [
        (f"{n:02d}", "landscape") for n in range(1, 10)]
    for statement in ("本单位2024年度无政府性基金预算财政拨款收入支出。", "本部门2024年度无国有资本经营预算财政拨款支出。",
                      "本单位2024年度无财政拨款“三公”经费支出。"):
        assert statement in page
    assert "注：本表反映部门本年度各项支出情况。" in page
    assert page.count('class="empty-statement"') == 3


# --------------------------------------------------------------------------------------------- narrative

# (section, the figure as the document's sentence has it)
DOCUMENT_FIGURES = [
    (1, "2024年度收、支总计1553.97万元。"),
    (1, "与2023年度相比，收、支总计各增加130.03万元，增长9.1%，主要原因是单位基本支出增加。"),
    (2, "收入合计增加130.03万元，增长9.1%"),
    (2, "财政拨款收入1553.97万元，占本年收入100%。"),
    (3, "基本支出1066.15万元，占本年支出68.6%"),
    (3, "项目支出487.82万元，占本年支出31.4%。"),
    (4, "财政拨款收、支总计各增加130.03万元，增长9.1%。主要原因是2024年基本支出较2023年增加。"),
    (4, "一般公共预算财政拨款收入1553.97万元，比2023年度决算数增加130.03万元。增加主要原因是"),
    (5, "2024年度一般公共预算财政拨款支出1553.97万元，占本年支出合计的100%。"),
    (5, "科学技术(类)支出1309.75万元，占84.3%"),
    (5, "社会保障和就业(类)支出69.23万元，占4.4%"),
    (5, "卫生健康(类)支出52.52万元，占3.4%"),
    (5, "住房保障(类)支出122.47万元，占7.9%"),
    (5, "年初预算为1629.93万元，支出决算为1553.97万元，完成年初预算的95.3%。"),
    (5, "其中：基本支出1066.15万元，项目支出487.82万元。"),
    (5, "1、科学技术支出(类)。年初预算为1311.27万元，支出决算为1309.75万元，完成年初预算的99.9%。"),
    (5, "年初预算为100万元，支出决算为69.23万元，完成年初预算的69.2%，支出决算数小于年初预算数的主要原因是人员调整支出减少。"),
    (5, "年初预算为83万元，支出决算为52.52万元，完成年初预算的63.3%"),
    (5, "年初预算为135.66万元，支出决算为122.47万元，完成年初预算的90.3%"),
    (6, "2024年度一般公共预算财政拨款基本支出1066.15万元"),
    (6, "人员经费939.79万元，主要包括：基本工资、津贴补贴、绩效工资、机关事业单位基本养老保险缴费、职工基本医疗保险缴费、"
        "其他社会保障缴费、住房公积金、其他工资福利支出、退休费、其他对个人和家庭的补助；"),
    (6, "公用经费126.36万元，主要包括：办公费、印刷费、电费、邮电费、物业管理费、差旅费、维修(护)费、劳务费、委托业务费、"
        "工会经费、福利费、其他交通费用、其他商品和服务支出。"),
    (7, "本单位2024年度没有政府性基金预算财政拨款收入支出。"),
    (8, "本单位2024年度没有国有资本经营预算财政拨款支出。"),
    (9, "本单位2024年度没有财政拨款“三公”经费支出。"),
    (10, "本单位属事业单位，没有机关运行经费支出。"),
    (11, "政府采购支出总额265.14万元，其中：政府采购货物支出33.13万元、政府采购服务支出232.01万元。"),
    (12, "截至2024年12月31日，武汉市科技项目管理服务中心共有车辆0辆；单价50万元(含)以上通用设备2台(套)，"
         "单价100万元(含)以上专用设备0台(套)。"),
    (13, "共涉及项目1个，资金487.82万元，占一般公共预算项目支出总额的100%。"),
]


@pytest.mark.parametrize("section, figure", DOCUMENT_FIGURES, ids=[f"{s}:{f[:18]}" for s, f in DOCUMENT_FIGURES])
def test_narrative_states_the_documents_figures(parsed, section, figure):
    assert figure in parsed.section_text[f"section-{section}"]


def test_sections_and_charts_in_the_documents_order(parsed):
    sections = [i for i in parsed.ids if re.fullmatch(r"section-\d+", i)]
    assert sections == [f"section-{n}" for n in range(1, 14)]
    headings = [text for key, text in parsed.section_text.items() if key.startswith("section-")]
    assert headings[0].lstrip().startswith("一、收入支出决算总体情况说明")
    assert headings[12].lstrip().startswith("十三、预算绩效情况说明")
    # 图1 after 一, 图2 after 二, 图3 after 三, 图4 after 四
    assert parsed.chart_section == {f"chart-{n}": f"section-{n}" for n in range(1, 5)}
    assert "图1：收、支决算总计变动情况" in parsed.section_text["section-1"]
    assert "图4：财政拨款收、支决算总计变动情况" in parsed.section_text["section-4"]


def test_glossary_from_the_dimensions(page, parsed):
    part5 = page[page.index('id="part-5"'):page.index('id="part-6"')]
    # the seed document's 第五部分, entry by entry: (一) its 一般公共预算财政拨款收入 (市级: the unit's admin level),
    # (二) the 项 used, (三) 基本支出, (四) 项目支出
    entries = re.findall(r"<p>(（[一二三四五六]）[^：<]+)", part5)
    assert entries == ["（一）一般公共预算财政拨款收入", "（二）本单位使用的支出功能分类科目（到项级）", "（三）基本支出",
                       "（四）项目支出"]
    assert "（一）一般公共预算财政拨款收入：指市级财政一般公共预算当年拨付的资金。" in part5
    assert "1. 科学技术(类)科技条件与服务(款)机构运行(项): 反映科技服务机构的基本支出。" in part5
    assert "8. 住房保障(类)住房改革支出(款)购房补贴(项): " in part5 and "9. " not in part5
    assert "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。" in part5
    assert "项目支出：指在基本支出之外为完成特定行政任务或事业发展目标所发生的支出。" in part5


def test_missing_person_written_texts_are_left_out(con, report):
    texts = report.narrative.texts
    assert "class_reason:208" in texts and "overview_reason" in texts
    # one text deleted: its sentence ends at the figure; the others keep theirs
    partial = dict(texts)
    del partial["class_reason:208"]
    s5 = build_sections(report, texts=partial)[4].paragraphs
    line_208 = next(p for p in s5 if p.startswith("2、社会保障和就业支出(类)"))
    assert line_208.endswith("完成年初预算的69.2%。") and "原因" not in line_208
    assert next(p for p in s5 if p.startswith("3、卫生健康支出(类)")).endswith("主要原因是人员调整支出减少。")
    # no text at all: no 主要原因, no 主要成效, no 机关运行经费 sentence — and every figure still there
    bare = build_sections(report, texts={})
    text = "\n".join(p for s in bare for p in s.paragraphs)
    assert "原因" not in text and "成效" not in text and "改进措施" not in text
    assert bare[9].heading == "十、机关运行经费支出说明" and bare[9].paragraphs == []
    assert "与2023年度相比，收、支总计各增加130.03万元，增长9.1%。" in text
    assert "完成年初预算的95.3%。其中：基本支出1066.15万元，项目支出487.82万元。" in text
    assert "共涉及项目1个，资金487.82万元，占一般公共预算项目支出总额的100%。" in text


def test_no_missing_glyphs(con, page, report):
    """The embedded CJK font covers every character of the page; matplotlib finds every glyph of the charts."""
    from fontTools.ttLib import TTFont
    import base64

    data = re.search(r"url\(data:font/otf;base64,([A-Za-z0-9+/=]+)\)", page)
    assert data, "no embedded @font-face"
    cmap = TTFont(io.BytesIO(base64.b64decode(data.group(1)))).getBestCmap()
    text = re.sub(r"<style>.*?</style>|<[^>]+>|data:[^\"')]+", "", page, flags=re.S)
    missing = {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}
    assert not missing, sorted(missing)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts = render_charts(report)
    assert sorted(charts) == [1, 2, 3, 4]
    assert not [w for w in caught if "missing from" in str(w.message)], [str(w.message) for w in caught]
    assert all(c.png[:8] == b"\x89PNG\r\n\x1a\n" for c in charts.values())


def test_render_pdf_names_the_fix_when_chromium_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(report_html, "CHROMIUM_CANDIDATES", ("no-such-chromium-for-juesuan",))
    (tmp_path / "a.html").write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="install Debian's chromium: ./juesuan test installs it"):
        report_html.render_pdf(tmp_path / "a.html", tmp_path / "a.pdf")


# ----------------------------------------------------------------------------------------------- browser

def chromium_available() -> bool:
    return shutil.which("chromium") is not None or Path("/usr/bin/chromium").exists()


needs_chromium = pytest.mark.skipif(
    not chromium_available(), reason="headless chromium not installed (./juesuan test installs Debian's chromium)")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def artifacts(rendered) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(rendered, ARTIFACTS / rendered.name)
    return ARTIFACTS


@needs_chromium
def test_browser_screenshot(rendered, artifacts):
    shot = artifacts / f"{UNIT}-{YEAR}.png"
    shot.unlink(missing_ok=True)
    report_html.run_chromium(f"--screenshot={shot}", "--window-size=1280,4000", rendered.resolve().as_uri())
    width, height = png_size(shot.read_bytes())
    assert width == 1280 and height > 1000


@needs_chromium
def test_browser_dom(rendered):
    dom = report_html.run_chromium("--dump-dom", rendered.resolve().as_uri()).stdout
    for element_id in TABLE_IDS + CHART_IDS:
        assert f'id="{element_id}"' in dom, element_id
    assert "收入支出决算总表" in dom
    assert dom.count('<table class="juesuan"') == 9 and dom.count('src="data:image/png;base64,') == 4
    assert dom.count('<table class="plain performance"') == 1  # 附件 项目绩效自评表


def test_economic_table_in_column_groups_side_by_side(con, report):
    """公开06 as the seed document prints it (dim_report_tables.column_groups 301 303|302|*): 人员经费 over
    301/303, 公用经费 over 302 and 310 …, the three groups' lines side by side, 人员经费合计 and 公用经费合计 on the
    last line under their groups; every mart row printed once."""
    table = report.table("06")
    view = report_html.table_view(report, table)
    assert [(c.text, c.colspan) for c in view.head[0]] == [("人员经费", 3), ("公用经费", 6)]
    assert [c.text for c in view.head[1]] == ["经济分类科目编码", "科目名称", "决算数"] * 3
    first = [c.text for c in view.body[0]]
    assert first[0:2] == ["301", "工资福利支出"] and first[3:5] == ["302", "商品和服务支出"]
    assert first[6:8] == ["310", "资本性支出"]
    last = [c.text for c in view.body[-1]]
    totals = {r["item_name"]: amount_text(r["amount"]) for r in table.rows if not r["subject_code"]}
    assert last[1:3] == ["人员经费合计", totals["人员经费合计"]] and last[4:6] == ["公用经费合计", totals["公用经费合计"]]
    printed = [c.text for row in view.body for c in row if c.cls.startswith("code")]
    assert sorted(p for p in printed if p) == sorted(r["subject_code"] for r in table.rows if r["subject_code"])
    # the 303 rows sit below 301's in the 人员经费 group, not in a group of their own
    column0 = [row[0].text for row in view.body]
    assert column0.index("303") > column0.index("30199")


def test_a_split_layout_prints_each_level_in_its_column(con, report):
    """The seed unit's 公开05 laid out with SH2024's page layout (the 普陀区财政局 print: 210 | 11 | 01 under
    支出功能分类科目编码 类 款 项, on a portrait page)."""
    from scripts.report.data import PageLayout
    orientation, header, levels, columns = con.execute(
        "select orientation, code_header_zh, code_levels_zh, code_columns from marts.dim_report_tables "
        "where template_version = 'SH2024' and table_code = '05'").fetchone()
    table = report.table("05")
    saved = table.layout
    try:
        table.layout = PageLayout(orientation, header, levels.split(), columns)
        view = report_html.table_view(report, table)
    finally:
        table.layout = saved
    heads = [(c.text, c.colspan, c.rowspan) for row in view.head for c in row]
    assert ("支出功能分类科目编码", 3, 1) in heads and all((lv, 1, 1) in heads for lv in ("类", "款", "项"))
    rows = {tuple(c.text for c in row[:4]) for row in view.body}
    assert {("206", "", "", "科学技术支出"), ("206", "05", "", "科技条件与服务"),
            ("206", "05", "01", "机构运行")} <= rows


@needs_chromium
def test_pdf(con, rendered, artifacts):
    pdf = report_html.render_pdf(rendered, artifacts / f"{UNIT}-{YEAR}.pdf")
    data = pdf.read_bytes()
    assert data[:4] == b"%PDF" and len(data) > 10_000
    # each table on a page of its layout's orientation (CN2024: landscape), the narrative on portrait pages
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    pages = [(doc[i].get_textpage().get_text_range(), doc[i].get_size()) for i in range(len(doc))]
    shots = artifacts / "pdf-pages"  # a PNG of every page, to look at
    shots.mkdir(exist_ok=True)
    for i in range(len(doc)):
        doc[i].render(scale=1.0).to_pil().save(shots / f"{UNIT}-{YEAR}-{i + 1:02d}.png")
    # no page holds only a heading: the tables' part heading shares the first table's page, the cover its own
    bare = [text[:40] for text, _ in pages[1:] if len(re.sub(r"\s", "", text)) < 40]
    assert not bare, bare
    for n in range(1, 10):
        starts = [size for text, size in pages if f"公开0{n}表" in text]
        assert starts and all(w > h for w, h in starts), (n, starts)
    narrative = [size for text, size in pages if "情况说明" in text and "公开0" not in text]
    assert narrative and all(w < h for w, h in narrative), narrative
    # a table its layout prints on one page (dim_report_tables.fit = page: 公开01, 公开04) takes one page: the
    # next page starts the next table
    first = {n: next(i for i, (text, _) in enumerate(pages) if f"公开0{n}表" in text) for n in range(1, 10)}
    one_page = [int(c) for (c,) in con.execute("select table_code from marts.dim_report_tables "
                                               "where template_version = 'CN2024' and fit = 'page'").fetchall()]
    assert one_page == [1, 4, 6]
    assert all(first[n + 1] - first[n] == 1 for n in one_page), first
    assert first[3] - first[2] == 1 and first[6] - first[5] == 1  # (width: as tall as their rows, here one page)


# ------------------------------------------------------------------------------------- the whole document

SEED_DOCUMENT = SOURCE_DOCUMENTS / "000_421607ae11f0bf0a.txt"
SH_TEMPLATE = SOURCE_DOCUMENTS / "sh_2024_bumen_juesuan_template.pdf"


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text).replace('"', "“", 1).replace('"', "”", 1)


def document_toc(lines: list[str]) -> list[str]:
    """The 目录 of a published document: its lines from 第一部分 to the last 第N部分 before the body repeats
    第一部分, without list marks and spaces."""
    out: list[str] = []
    for line in lines:
        line = _squeeze(line.lstrip("- "))
        if not line:
            continue
        if line.startswith("第一部分") and out:
            break
        if out or line.startswith("第一部分"):
            out.append(line)
    return out


class TocParser(HTMLParser):
    """The text of every <a> in the 目录 (nav#toc), in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._in_toc = self._in_a = False

    def handle_starttag(self, tag, attrs):
        if tag == "nav" and dict(attrs).get("id") == "toc":
            self._in_toc = True
        elif tag == "a" and self._in_toc:
            self._in_a = True
            self.lines.append("")

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_toc = False
        elif tag == "a":
            self._in_a = False

    def handle_data(self, data):
        if self._in_a:
            self.lines[-1] += data


@pytest.mark.skipif(not SEED_DOCUMENT.exists(), reason="shared source document missing")
def test_toc_is_the_seed_documents(page):
    """Our 目录 line for line is the published document's: 第一部分 概况 (一、主要职责 …), 第二部分 with its tables
    numbered 一、二、…, 第三部分's thirteen sections, 第四部分 重点工作, 第五部分 名词解释, 第六部分 附件."""
    expected = document_toc(SEED_DOCUMENT.read_text(encoding="utf-8").splitlines())
    toc = TocParser()
    toc.feed(page)
    got = [_squeeze(line) for line in toc.lines]
    # the 附件's own sections are the one thing our 目录 adds (the seed document's 目录 stops at 第六部分 附件)
    assert got[:len(expected)] == expected
    assert got[len(expected):] == ["一、2024年度武汉市科技项目管理服务中心项目绩效自评结果", "二、2024年度项目绩效自评表"]
    assert "第二部分武汉市科技项目管理服务中心2024年度单位决算表" in expected and "六、一般公共预算财政拨款基本支出决算明细表" in expected


def test_parts_in_the_documents_order_with_their_content(page, parsed):
    """Cover, 目录, then 第一部分 … 第六部分 as the body prints them, each with what the data holds."""
    headings = re.findall(r'<h2 class="part" id="(part-\d)"[^>]*>([^<]+)</h2>', page)
    assert [h for _, h in headings] == [
        "第一部分 武汉市科技项目管理服务中心概况", "第二部分 武汉市科技项目管理服务中心2024年度决算表",
        "第三部分 武汉市科技项目管理服务中心2024年度单位决算情况说明", "第四部分 2024年重点工作完成情况",
        "第五部分 名词解释", "第六部分 附件"]
    assert page.index('id="cover"') < page.index('id="toc"') < page.index('id="part-1"') < page.index('id="table-01"')
    part1 = page[page.index('id="part-1"'):page.index('id="part-2"')]
    assert "主要职责和业务范围是：为科技项目管理提供申报受理" in part1
    assert "从单位构成看，武汉市科技项目管理服务中心决算由实行独立核算的单位本级决算组成。" in part1
    assert "内设机构5个，包括综合管理部、项目一部、项目二部、项目资源部和政务网络部。" in part1
    part4 = page[page.index('id="part-4"'):page.index('id="part-5"')]
    assert "<h4>一、科创服务平台加快建设，打造创新生态</h4>" in part4 and "<h4>三、信息化工作水平不断提高</h4>" in part4
    assert "已促成对接成功案例4392个。" in part4
    assert 'class="placeholder"' not in page  # every text the outline asks for is in the seed


def test_performance_section_has_all_four_parts(page, parsed):
    """十三 as the document prints it: (一) … (四), with 单位整体支出自评结果 (1 unit, the funds of
    fct_overall_evaluations) and 绩效自评结果应用情况 — none renumbered or dropped."""
    text = parsed.section_text["section-13"]
    assert re.findall(r'<h4 id="section-13-\d">([^<]+)</h4>', page) == [
        "（一）预算绩效管理工作开展情况", "（二）单位整体支出自评结果", "（三）项目支出自评结果", "（四）绩效自评结果应用情况"]
    assert "我单位组织对1个单位开展整体支出绩效自评，资金1553.97万元，评价情况来看" in text
    assert "通过绩效评价加强了部门财政经费管理" in text


def test_attachment_self_evaluation_table_is_the_marts(con, page):
    """附件 二: the 项目绩效自评表 of each project, its figures the marts' (fct_project_performance,
    fct_performance_indicators): budget, execution, rate, every indicator, group scores, total, grade."""
    part6 = page[page.index('id="part-6"'):]
    budget, executed, rate, score, total, grade, name = con.execute(
        "select budget_amount, executed_amount, execution_rate_pct, budget_execution_score, total_score, grade, "
        "project_name from marts.fct_project_performance where unit_code = ? and fiscal_year = ?",
        [UNIT, YEAR]).fetchone()
    assert f"{YEAR}年度{name}项目自评表" in part6
    assert f'data-field="budget_amount">{budget:,.2f}<' in part6 and f'data-field="executed_amount">{executed:,.2f}<' in part6
    assert f'data-field="execution_rate_pct">{rate:.2f}%<' in part6
    assert f'data-field="total_score">{money(total)}<' in part6 and f"<td colspan=\"6\">{grade}</td>" in part6
    indicators = con.execute("select indicator_name, target_value, actual_value from marts.fct_performance_indicators "
                             "order by indicator_no").fetchall()
    assert len(indicators) == 15  # the seed document: 5 数量, 5 质量, 2 社会效益, 3 满意度 indicators
    for indicator, target, actual in indicators:
        assert f"<td>{indicator}</td><td>{target}</td><td>{actual}</td>" in part6, indicator
    groups = con.execute("select count(distinct (level1, level2)) from marts.fct_performance_indicators").fetchone()[0]
    assert part6.count('data-field="group_score"') == groups
    assert "（一）项目绩效自评得分" in part6 and f"绩效自评得分{money(total)}分，评定等级为“{grade}”。" in part6


def test_a_draft_marks_each_missing_text_and_a_final_leaves_it_out(report):
    """No person-written text: a draft prints the outline's placeholder where 主要职责, 机构设置, 重点工作 … are
    missing; the final document prints none, keeps every part and section and numbers 十三's remaining
    sub-sections on without a gap."""
    draft = build_document(report, final=False, texts={})
    placeholders = {i.anchor: i.placeholder for i in draft.items() if i.placeholder}
    assert placeholders["part-1-1"].startswith("（待填写：单位主要职责") and "part-1-2" in placeholders
    assert placeholders["part-4"] == "（待填写：本年度重点工作完成情况）"
    assert {"section-10", "section-13-4", "part-6-1-2", "part-6-1-3", "part-6-1-4"} <= set(placeholders)
    # figures only a sentence needs are still written: the unit count and funds of the overall self-evaluation
    overall = next(i for i in draft.items() if i.anchor == "section-13-2")
    assert overall.paragraphs == ["我单位组织对1个单位开展整体支出绩效自评，资金1553.97万元。"]
    final = build_document(report, final=True, texts={})
    assert not any(i.placeholder for i in final.items())
    assert [p.heading for p in final.parts] == [p.heading for p in draft.parts]
    s13 = next(i for i in final.items() if i.anchor == "section-13")
    assert [c.heading for c in s13.children] == [
        "（一）预算绩效管理工作开展情况", "（二）单位整体支出自评结果", "（三）项目支出自评结果"]
    assert [c.heading for c in next(i for i in final.items() if i.anchor == "part-6-1").children] == [
        "（一）项目绩效自评得分"]


@pytest.mark.skipif(not SH_TEMPLATE.exists(), reason="shared source document missing")
def test_shanghai_outline_is_the_templates(con, report):
    """SH2024's outline (dim_report_outline) is the empty Shanghai template's 目录: the seed unit laid out as a
    Shanghai 部门决算 has the template's parts and sections in its order, with 十一's three sub-sections."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(SH_TEMPLATE))
    lines = (pdf[1].get_textpage().get_text_range() + "\n" + pdf[2].get_textpage().get_text_range()).splitlines()
    expected = [_squeeze(line).replace("上海市XX局", "{unit}") for line in lines if _squeeze(line) != "目录"]
    saved = report.outline, report.report_kind, report.template_version
    try:
        cur = con.execute("select * from marts.dim_report_outline where template_version = 'SH2024' order by item_order")
        names = [d[0] for d in cur.description]
        report.outline = [dict(zip(names, row)) for row in cur.fetchall()]
        report.report_kind, report.template_version = "部门决算", "SH2024"
        doc = build_document(report)
    finally:
        report.outline, report.report_kind, report.template_version = saved
    got = []
    for part in doc.parts:
        got.append(_squeeze(part.toc_heading).replace(report.unit_name, "{unit}"))
        if part.content_kind == "tables":  # the layout's tables in printed order (表7 三公 before 表8)
            titles = [t for (t,) in con.execute("select title from marts.dim_report_tables where template_version = "
                                                "'SH2024' order by print_order").fetchall()]
            got += [f"{n}、{t}" for n, t in zip("一二三四五六七八九", titles)]
        got += [_squeeze(s.toc_heading) for s in part.children]
    assert got == expected
    s11 = next(i for i in doc.items() if i.heading.startswith("十一、"))
    assert s11.heading == "十一、其他重要事项的情况说明" and [c.heading for c in s11.children] == [
        "（一）机关运行经费支出情况", "（二）政府采购支出情况", "（三）国有资产占有使用情况说明"]
    assert doc.cover == [report.unit_name, "2024年度部门决算"]
