"""One unit-year's 决算 as a single self-contained HTML file, and that file printed to PDF by headless Chromium.

    render_html(report, Path("out/WH-KJJ-XMZX-2024.html"))
    render_pdf(Path("out/WH-KJJ-XMZX-2024.html"), Path("out/WH-KJJ-XMZX-2024.pdf"))

The whole document in its layout's order (document.py walks marts.dim_report_outline): cover, 目录 (parts,
their sections, the tables as 一、二、…), 第一部分 概况 (主要职责, 机构设置 / 部门决算单位构成 with the member
units), the tables (id="table-01" … "table-09": headers of several rows built from Column.header_levels with
colspan/rowspan, the 栏次 row, 行次, amounts with two decimals and blank where zero, the note, the empty
statement), 情况说明 (narrative.py; sections id="section-1" …, 图1 … 图4 where the outline puts them,
id="chart-1" …, base64 PNG), the 重点工作, 名词解释 and 附件 (项目绩效自评表). A draft prints a placeholder line
(class="placeholder") where a person-written text is missing; render_html(…, final=True) leaves it out.

Font: the page embeds Noto Sans CJK SC (shipped by mplfonts) as a data URI in @font-face, cut down with
fontTools (a matplotlib dependency) to the characters the page uses (about 250 KB for a whole report instead of
16 MB), so the file needs nothing beside it and renders the same in any browser and in the PDF. `font="file"`
copies the whole .otf to fonts/NotoSansCJKsc-Regular.otf next to the HTML and references it relatively instead;
`font="system"` embeds nothing and relies on the system's CJK fonts.

Every amount cell carries data-line (行次 / printed order), data-col (mart column) and, in two-sided tables,
data-side, so a test can check each printed figure against its mart cell.
"""
from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .charts import font_path, render_charts
from .data import Column, Report, Table, amount
from .document import build_document, performance_table_rows, toc_tables
from .narrative import SUBHEADING, glossary, money

TEMPLATES = Path(__file__).parent / "templates"
# a line of a person-written text that heads what follows (第四部分: 一、科创服务平台加快建设，打造创新生态)
TEXT_HEADING = re.compile(r"^[一二三四五六七八九十]+、[^。；]{1,40}$")
FONT_FAMILY = "Juesuan Noto Sans CJK SC"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium")


# ------------------------------------------------------------------------------------------- table views

@dataclass
class Cell:
    text: str = ""
    tag: str = "td"
    colspan: int = 1
    rowspan: int = 1
    cls: str = ""
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class TableView:
    table: Table
    element_id: str
    heading: str
    head: list[list[Cell]]
    body: list[list[Cell]]
    show_empty_statement: bool


def _header_grid(columns: list[Column], depth: int) -> list[list[Cell]]:
    """Header rows for amount columns: consecutive columns sharing a header prefix share a cell (colspan);
    a header that ends above the last level reaches down (rowspan)."""
    rows: list[list[Cell]] = [[] for _ in range(depth)]
    for level in range(depth):
        i = 0
        while i < len(columns):
            levels = columns[i].header_levels
            if len(levels) <= level:
                i += 1
                continue
            leaf = len(levels) == level + 1
            j = i + 1
            while (j < len(columns) and not leaf and len(columns[j].header_levels) > level + 1
                   and columns[j].header_levels[:level + 1] == levels[:level + 1]):
                j += 1
            rows[level].append(Cell(levels[level], "th", colspan=j - i, rowspan=depth - level if leaf else 1))
            i = j
    return rows


def _amount_cell(row: dict[str, Any], col: Column, side: str | None) -> Cell:
    attrs = {"data-line": str(row["line_no"]), "data-col": col.name}
    if side:
        attrs["data-side"] = side
    return Cell(amount(row[col.name]), "td", cls="num", attrs=attrs)


def _level_class(subject_code: str | None) -> str:
    if not subject_code:
        return "total"
    return {3: "lvl1", 5: "lvl2", 7: "lvl3"}.get(len(subject_code), "")


def _empty_statement_applies(table: Table) -> bool:
    return table.shows_empty_statement


def _two_sided_view(table: Table) -> tuple[list[list[Cell]], list[list[Cell]]]:
    sides = [s for s in table.sides() if s]
    cols = {s: [c for c in table.columns if c.side == s] for s in sides}
    depth = max(len(c.header_levels) for c in table.columns)
    left = 2 if table.has_line_numbers else 1
    top = [Cell({"income": "收入", "expenditure": "支出"}.get(s, s), "th", colspan=left + len(cols[s])) for s in sides]
    head = [top] + [[] for _ in range(depth)]
    for s in sides:
        head[1] += [Cell("项目", "th", rowspan=depth)]
        if table.has_line_numbers:
            head[1] += [Cell("行次", "th", rowspan=depth)]
        for k, cells in enumerate(_header_grid(cols[s], depth)):
            head[1 + k] += cells
    if any(c.column_no for c in table.columns):
        row = []
        for s in sides:
            row += [Cell("栏次", "th")] + ([Cell("", "th")] if table.has_line_numbers else [])
            row += [Cell(c.column_no or "", "th") for c in cols[s]]
        head.append(row)
    by_side = {s: [r for r in table.rows if r["side"] == s] for s in sides}
    body = []
    for i in range(max(len(v) for v in by_side.values())):
        cells: list[Cell] = []
        for s in sides:
            r = by_side[s][i] if i < len(by_side[s]) else None
            if r is None:
                cells += [Cell()] * (left + len(cols[s]))
                continue
            cls = "total" if r["item_name"] in ("总计", "本年收入合计", "本年支出合计") else ""
            cells.append(Cell(r["item_name"], cls=f"name {cls}".strip()))
            if table.has_line_numbers:
                cells.append(Cell(str(r["line_no"]), cls="line"))
            cells += [_amount_cell(r, c, s) for c in cols[s]]
        body.append(cells)
    return head, body


def _code_cells(table: Table, levels: list[str], code: str | None) -> list[Cell]:
    """A row's subject code as the layout prints it: each level's digits in its column (split: 210 | 11 | 01) or
    the whole code across the level columns (spanned) or in one."""
    lvl = _level_class(code)
    if levels and table.layout.code_columns == "split":
        return [Cell(part, cls=f"code {lvl}") for part in table.layout.code_cells(code)]
    return [Cell(code or "", cls=f"code {lvl}", colspan=max(len(levels), 1))]


def _grouped_view(table: Table, blocks: list[tuple[str, list[dict[str, Any] | None]]]
                  ) -> tuple[list[list[Cell]], list[list[Cell]]]:
    """A table printed as column groups side by side (Table.column_blocks, 公开06: 人员经费 | 公用经费 …): the
    groups' headings over them (merged where neighbours share one), each group's code, 科目名称 and amount
    columns, the lines of every group side by side, the totals on the last line."""
    layout = table.layout
    levels = layout.code_levels if layout.level_columns > 1 else []
    code_width = max(len(levels), 1)
    width = code_width + 1 + len(table.columns)
    below = 2 if levels else 1
    head: list[list[Cell]] = [[] for _ in range(1 + below)]
    i = 0
    while i < len(blocks):
        j = i
        while j + 1 < len(blocks) and blocks[j + 1][0] == blocks[i][0]:
            j += 1
        head[0].append(Cell(blocks[i][0], "th", colspan=width * (j - i + 1)))
        i = j + 1
    for _ in blocks:
        head[1] += [Cell(layout.code_header or "经济分类科目编码", "th", colspan=code_width),
                    Cell("科目名称", "th", rowspan=below)]
        head[1] += [Cell(c.header_levels[-1], "th", rowspan=below) for c in table.columns]
        if levels:
            head[2] += [Cell(level, "th", cls="code-level") for level in levels]
    body = []
    for n in range(len(blocks[0][1])):
        cells: list[Cell] = []
        for _, lines in blocks:
            r = lines[n]
            if r is None:
                cells += [Cell() for _ in range(width)]
            elif not r["subject_code"]:  # 人员经费合计 / 公用经费合计
                cells += [Cell(colspan=code_width), Cell(r["item_name"], cls="name total")]
                cells += [_amount_cell(r, c, None) for c in table.columns]
            else:
                cells += _code_cells(table, levels, r["subject_code"])
                cells.append(Cell(r["item_name"], cls=f"name {_level_class(r['subject_code'])}"))
                cells += [_amount_cell(r, c, None) for c in table.columns]
        body.append(cells)
    return head, body


def _one_sided_view(table: Table) -> tuple[list[list[Cell]], list[list[Cell]]]:
    has_codes = any(r["subject_code"] for r in table.rows)
    has_names = any(r["item_name"] for r in table.rows)
    economic = any(r.get("cost_type") for r in table.rows)
    layout = table.layout
    # the levels printed under the code header (类 | 款 | 项), as the layout prints them
    levels = layout.code_levels if has_codes and layout.level_columns > 1 else []
    depth = max([len(c.header_levels) for c in table.columns] + [2 if levels else 1])
    left: list[Cell] = []
    level_row: list[Cell] = []
    if has_codes:
        header = layout.code_header or ("经济分类科目编码" if economic else "功能分类科目编码")
        left = [Cell(header, "th", colspan=max(len(levels), 1), rowspan=depth - 1 if levels else depth),
                Cell("科目名称", "th", rowspan=depth)]
        level_row = [Cell(level, "th", cls="code-level") for level in levels]
    elif has_names:
        left = [Cell("项目", "th", rowspan=depth)]
    if table.has_line_numbers:
        left.append(Cell("行次", "th", rowspan=depth))
    head = _header_grid(table.columns, depth)
    head[0] = left + head[0]
    head[-1] = level_row + head[-1]
    left_width = sum(c.colspan for c in left)
    if any(c.column_no for c in table.columns):
        stub = [Cell("", "th")] * max(left_width - 1, 0) + ([Cell("栏次", "th")] if left else [])
        head.append(stub + [Cell(c.column_no or "", "th") for c in table.columns])
    body = []
    width = left_width + len(table.columns)
    headings = table.group_headings()
    for i, r in enumerate(table.rows):
        if i in headings:
            body.append([Cell(headings[i], "th", colspan=width, cls="group")])
        cells: list[Cell] = []
        lvl = _level_class(r["subject_code"])
        if has_codes:
            cells += _code_cells(table, levels, r["subject_code"])
        if has_codes:
            cells.append(Cell(r["item_name"], cls=f"name {lvl}"))
        elif has_names:
            cells.append(Cell(r["item_name"], cls="name"))
        if table.has_line_numbers:
            cells.append(Cell(str(r["line_no"]), cls="line"))
        cells += [_amount_cell(r, c, None) for c in table.columns]
        body.append(cells)
    return head, body


def table_view(report: Report, table: Table) -> TableView:
    two_sided = any(c.side for c in table.columns)
    blocks = [] if two_sided else table.column_blocks()
    if blocks:
        head, body = _grouped_view(table, blocks)
    else:
        head, body = _two_sided_view(table) if two_sided else _one_sided_view(table)
    return TableView(table, f"table-{table.table_code}", f"{report.fiscal_year}年度{table.title}", head, body,
                     _empty_statement_applies(table))


# -------------------------------------------------------------------------------------------------- font

def _subset_font_css(text: str) -> str:
    """@font-face with the CJK font cut down to the characters of `text`, as a data URI."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.hinting = False
    options.notdef_outline = True
    font = TTFont(str(font_path()), lazy=True)
    subsetter = subset.Subsetter(options)
    chars = set(text) | {chr(c) for c in range(0x20, 0x7F)}
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f"@font-face {{ font-family: '{FONT_FAMILY}'; font-weight: 400; "
            f"src: url(data:font/otf;base64,{data}) format('opentype'); }}")


def with_embedded_font(page: str) -> str:
    """A page whose style has the /*FONT-FACE*/ placeholder, with the CJK font it uses embedded (subset)."""
    return page.replace("/*FONT-FACE*/", _subset_font_css(page), 1)


def _file_font_css(out_dir: Path) -> str:
    target = out_dir / "fonts" / font_path().name
    src = font_path()
    if not target.exists() or target.stat().st_size != src.stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    return (f"@font-face {{ font-family: '{FONT_FAMILY}'; font-weight: 400; "
            f"src: url('fonts/{target.name}') format('opentype'); }}")


# -------------------------------------------------------------------------------------------------- page

def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                              autoescape=jinja2.select_autoescape(["html", "j2"]),
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def _performance_rows(report: Report) -> list[dict[str, Any]]:
    """附件 项目绩效自评表: each project with its indicators, marked where a 一级 / 二级 group starts and how many
    rows it spans (the printed table merges them)."""
    projects = performance_table_rows(report)
    for p in projects:
        rows = p["indicators"]
        for i, r in enumerate(rows):
            same1 = [x for x in rows if x["level1"] == r["level1"]]
            same2 = [x for x in same1 if x["level2"] == r["level2"]]
            r = rows[i] = dict(r)
            r["first_of_level1"] = i == 0 or rows[i - 1]["level1"] != r["level1"]
            r["level1_rows"] = len(same1)
            r["first_of_group"] = r["first_of_level1"] or rows[i - 1]["level2"] != r["level2"]
            r["group_rows"] = len(same2)
    return projects


def _subheading(text: str, kind: str | None) -> bool:
    """Whether a paragraph heads what follows: （一）… in a 情况说明 section, 一、… in a person-written text."""
    return bool(SUBHEADING.match(text) if kind == "narrative" else kind == "text" and TEXT_HEADING.match(text))


def _score(value: Any) -> str:
    return "" if value is None else money(value)


def render_html(report: Report, out_path: Path, font: str = "subset", final: bool = False) -> Path:
    """Write the report of `report` (from data.load_report, with its narrative data) to `out_path`; returns it.
    The whole document in its layout's order (document.build_document); final=False is a draft, where a missing
    person-written text is a placeholder line. font: "subset" (embedded, default), "file" (fonts/… next to the
    HTML) or "system"."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    doc = build_document(report, final=final)
    charts = render_charts(report)
    context = {
        "report": report,
        "doc": doc,
        "title": doc.title,
        "tables": [table_view(report, t) for t in report.tables],
        "toc_tables": toc_tables(report),
        "charts": charts,
        "chart_data": {n: base64.b64encode(c.png).decode("ascii") for n, c in charts.items()},
        "glossary": glossary(report),
        "performance": _performance_rows(report),
        "subheading": _subheading,
        "money": lambda v: "" if v is None else f"{v:,.2f}",
        "rate": lambda v: "" if v is None else f"{v:.2f}%",
        "score": _score,
        "font_family": FONT_FAMILY,
        "font_css": "/*FONT-FACE*/",
    }
    page = _environment().get_template("report.html.j2").render(**context)
    if font == "subset":
        css = _subset_font_css(page)
    elif font == "file":
        css = _file_font_css(out_path.parent)
    elif font == "system":
        css = ""
    else:
        raise ValueError(f"font must be subset, file or system, not {font!r}")
    out_path.write_text(page.replace("/*FONT-FACE*/", css, 1), encoding="utf-8")
    return out_path


# --------------------------------------------------------------------------------------------------- PDF

def find_chromium() -> str:
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    raise FileNotFoundError("headless Chromium not found (looked for chromium, chromium-browser, /usr/bin/chromium):"
                            " install Debian's chromium: ./juesuan test installs it (or apt-get install chromium)")


def chromium_command(*args: str, user_data_dir: Path) -> list[str]:
    return [find_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", f"--user-data-dir={user_data_dir}", *args]


def run_chromium(*args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    """Run headless Chromium with a throw-away profile; raise with its output if it fails."""
    with tempfile.TemporaryDirectory(prefix="juesuan-chromium-") as profile:
        proc = subprocess.run(chromium_command(*args, user_data_dir=Path(profile)), capture_output=True,
                              text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return proc


def render_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Print `html_path` to `pdf_path` (A4, as laid out by the page's @page rule); returns the PDF path."""
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    if not html_path.exists():
        raise FileNotFoundError(html_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    pdf_path.unlink(missing_ok=True)
    proc = run_chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", html_path.as_uri())
    if not pdf_path.exists() or pdf_path.read_bytes()[:4] != b"%PDF":
        raise RuntimeError(f"chromium wrote no PDF to {pdf_path}: {proc.stderr[-2000:]}")
    return pdf_path
