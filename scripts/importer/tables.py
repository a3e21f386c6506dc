"""Find the nine tables of a published report and turn them into printed cells.

`parse_report(document, layouts)` is a pure function from a read document to a `Report`: the unit, year and
report kind from the cover, the detected layout, and for each table as printed its cells: table, row (label,
行次, subject code, template row key), column (header, 栏次, mart column), state (number / blank / dash /
unreadable), the amount and where it stood (page, line). What could not be read is listed in `problems`.

Columns are found by position: in a PDF, by the x of each column's header; in extracted text, by tab field
(its fields are positional: the amount columns are the last fields of a row). Rows in a PDF are anchored on
their subject code or on a label that starts a template row; label fragments (a label wrapped over two
lines) and figures (printed on the line after their label) join the nearest anchor above or below them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .document import Document, ImportProblem, Token
from .layouts import Layout, RowSpec, TableSpec, match_label, norm, norm_label, title_score
from .numbers import BLANK, DASH, NUMBER, UNREADABLE, looks_numeric, parse_amount

_CJK = re.compile(r"[\u3400-\u9fff]")
_COVER = re.compile(r"(\d{4})年度?(.*?)(单位|部门)决算")
_EMPTY_STATEMENT = re.compile(r"(本表无数据|无[^。，,；;]*?(收入|支出)[^。]*?。?$|没有[^。]*?(收入|支出))")
_PRINTED_NO = re.compile(r"(公开\s*\d{1,2}\s*表|^表\s*\d{1,2}\b)")
_STOP = re.compile(r"^第[三四五六]部分")


@dataclass
class PrintedCell:
    table_code: str
    table_no: str
    side: str
    row_order: int
    row_key: str
    row_label: str
    line_no: int | None
    subject_dimension: str
    subject_code: str
    column_name: str
    column_no: int | None
    column_header: str
    state: str
    amount: Decimal | None
    raw_text: str
    page: int
    line: int
    template_row_order: int | None = None   # the layout's row (ref_template_rows.row_order); None for a row it lacks


@dataclass
class PrintedTable:
    table_code: str
    table_no: str          # as the layout names it (表6 / 公开06表)
    printed_no: str        # as printed on the page ('' when the print has none)
    title: str             # the title as printed
    heading_year: int | None
    first_page: int
    last_page: int
    statement: str         # 本表无数据 / 本单位…无…支出 printed under the table
    cells: list[PrintedCell] = field(default_factory=list)
    heading_unit: str = ""  # the unit its heading names (单位：XX / 编制单位：XX), '' when it names none

    @property
    def figures(self) -> int:
        return sum(c.state != BLANK for c in self.cells)


@dataclass
class Report:
    path: str
    unit_name: str
    fiscal_year: int
    report_kind: str
    layout: str
    tables: dict[str, PrintedTable]
    missing_tables: list[str]
    problems: list[str]
    unit_kind: str = "未注明"

    @property
    def cells(self) -> list[PrintedCell]:
        return [c for t in self.tables.values() for c in t.cells]


# ------------------------------------------------------------------------------------------ the document

def read_cover(doc: Document) -> tuple[str, int, str]:
    """Unit name, year and report kind from the first lines ("2024年度XX单位决算", or the name on one line
    and "2024年度部门决算" on the next)."""
    lines = [t for _, _, t in doc.ordered_lines()[:8]]
    for i in range(len(lines)):
        joined = norm("".join(lines[i:i + 2]))
        m = _COVER.search(joined)
        if m:
            before = joined[:m.start()]
            name = m.group(2) or before
            name = re.sub(r"^(目录|封面)", "", name)
            if name:
                return name, int(m.group(1)), m.group(3) + "决算"
    raise ImportProblem(doc.path, "page 1", "not_a_juesuan",
                        "no cover of a 决算 found (expected '<year>年度<unit>单位决算' or '<unit> <year>年度部门决算' "
                        "on the first page)")


def detect_layout(doc: Document, layouts: dict[str, Layout], year: int) -> tuple[Layout, dict[str, tuple[int, int]]]:
    """The layout whose table titles the document prints (and whose table numbers: 公开NN表 or 表N), the
    latest one in force for the report's year; with the (page, line) of each table title found."""
    text = " ".join(t for _, _, t in doc.ordered_lines())
    gongkai = bool(re.search(r"公开\s*0?\d\s*表", text))
    best: tuple[float, int, Layout, dict] | None = None
    for layout in layouts.values():
        if layout.prints_gongkai_numbers != gongkai or layout.first_year > year:
            continue
        found = locate_titles(doc, layout)
        score = sum(s for s, _ in found.values())
        key = (round(score, 3), layout.first_year)
        if best is None or key > best[:2]:
            best = (key[0], key[1], layout, {code: pos for code, (_, pos) in found.items()})
    if best is None or not best[3]:
        raise ImportProblem(doc.path, "-", "no_layout",
                            f"no table of any known layout found (expected titles such as 收入支出决算总表; "
                            f"layouts: {', '.join(sorted(layouts))})")
    return best[2], best[3]


def locate_titles(doc: Document, layout: Layout) -> dict[str, tuple[float, tuple[int, int]]]:
    found: dict[str, tuple[float, tuple[int, int]]] = {}
    for page, line, text in doc.ordered_lines():
        scores = sorted(((title_score(text, t.title), code) for code, t in layout.tables.items()), reverse=True)
        score, code = scores[0]
        if score >= 0.9 and code not in found:
            found[code] = (score, (page, line))
    return found


def parse_report(doc: Document, layouts: dict[str, Layout]) -> Report:
    if doc.kind == "pdf" and doc.empty_pages and len(doc.empty_pages) == doc.pages:
        raise ImportProblem(doc.path, f"page {doc.empty_pages[0]}", "no_text_layer",
                            "no page has a text layer (a scan): OCR it first, or import its extracted text")
    unit_name, year, kind = read_cover(doc)
    layout, titles = detect_layout(doc, layouts, year)
    problems: list[str] = []
    if doc.empty_pages:
        problems.append(f"pages without a text layer (skipped): {', '.join(map(str, doc.empty_pages))}")
    order = sorted(titles.items(), key=lambda kv: kv[1])
    lines = doc.ordered_lines()
    tables: dict[str, PrintedTable] = {}
    for i, (code, start) in enumerate(order):
        end = order[i + 1][1] if i + 1 < len(order) else None
        region = [(p, n, t) for p, n, t in lines if (p, n) >= start and (end is None or (p, n) < end)]
        cut = next((k for k, (_, _, t) in enumerate(region) if k and _STOP.match(norm(t))), len(region))
        region = region[:cut]
        spec = layout.tables[code]
        keys = {(p, n) for p, n, _ in region}
        tokens = [tk for tk in doc.tokens if (tk.page, tk.line) in keys and (tk.page, tk.line) != start]
        table = PrintedTable(code, spec.table_no, _printed_no(region), region[0][2].strip(), _year(region[0][2]),
                             region[0][0], region[-1][0], _statement(region), heading_unit=_heading_unit(region))
        parse = _parse_pdf_table if doc.kind == "pdf" else _parse_text_table
        try:
            table.cells = parse(spec, tokens, doc, problems)
        except _Mismatch as exc:
            where = f"page {exc.page}" + (f" line {exc.line}" if exc.line else "")
            raise ImportProblem(doc.path, where, "columns_mismatch", exc.message) from None
        tables[code] = table
    if not any(t.figures for t in tables.values()):
        raise ImportProblem(doc.path, f"page {order[0][1][0]}", "no_figures",
                            "the tables print no figure at all (an empty template?); nothing to import")
    missing = [layout.tables[c].table_no for c in sorted(layout.tables) if c not in tables]
    for no in missing:
        problems.append(f"{no} not found in the document")
    profile = " ".join(t for p, n, t in lines if (p, n) < order[0][1])
    return Report(str(doc.path), unit_name, year, kind, layout.version, tables, missing, problems,
                  unit_kind_of(kind, profile))


def unit_kind_of(report_kind: str, profile: str) -> str:
    """部门 for a 部门决算; for a 单位决算 what its own 概况 says it is (事业单位 / 行政单位), else 未注明."""
    if report_kind == "部门决算":
        return "部门"
    t = norm(profile)
    public = bool(re.search(r"事业单位|公益[一二三]类", t))
    administrative = bool(re.search(r"行政单位|行政机关|参照公务员法管理", t))
    return "事业单位" if public and not administrative else "行政单位" if administrative and not public else "未注明"


def _printed_no(region: list[tuple[int, int, str]]) -> str:
    for _, _, text in region[:5]:
        m = _PRINTED_NO.search(norm(text))
        if m:
            return re.sub(r"\s", "", m.group(1))
    return ""


_HEADING_UNIT = re.compile(r"(?:编制)?单位[:：](?P<name>[^:：]+?)(?:(?:公开\d+表|金额)?单位[:：].*)?$")


def _heading_unit(region: list[tuple[int, int, str]]) -> str:
    """The unit a table's heading names (单位: 武汉市科技项目管理服务中心), in its first lines; not the unit of
    amounts (单位:万元)."""
    for _, _, text in region[1:5]:
        m = _HEADING_UNIT.search(norm(text))
        if m and not re.fullmatch(r"万?元", m["name"]) and len(m["name"]) >= 3 and re.search(r"[\u4e00-\u9fff]", m["name"]):
            return m["name"]
    return ""


def _year(text: str) -> int | None:
    m = re.search(r"(\d{4})\s*年", text)
    return int(m.group(1)) if m else None


def _statement(region: list[tuple[int, int, str]]) -> str:
    for _, _, text in region:
        t = norm(text)
        if t.startswith("注") or "本表无数据" in t or t.startswith("本单位") or t.startswith("本部门"):
            for sentence in re.split(r"(?<=。)", t):
                if _EMPTY_STATEMENT.search(sentence) and not sentence.startswith("注:本表反映"):
                    return re.sub(r"^注[:：]", "", sentence)
    return ""


# ------------------------------------------------------------------------------------------ rows

class _Mismatch(Exception):
    """A table whose printed columns are not the layout's."""

    def __init__(self, page: int, line: int | None, message: str):
        self.page, self.line, self.message = page, line, message
        super().__init__(message)


@dataclass
class _Row:
    group: int
    side: str
    y: float
    page: int
    line: int
    code: str = ""
    label_parts: list[tuple[float, float, str]] = field(default_factory=list)
    line_no: int | None = None
    values: dict[str, Token] = field(default_factory=dict)
    spec: RowSpec | None = None
    anchor: str = ""

    @property
    def label(self) -> str:
        return "".join(t for _, _, t in sorted(self.label_parts))


def _is_code_piece(text: str) -> bool:
    t = re.sub(r"\s", "", text)
    return bool(re.fullmatch(r"\d{2,7}", t))


def _code_of_text_fields(fields: list[str], context: list[str] | None = None) -> str:
    """A subject code from the code fields of an extracted line ('206050)1', '2060599 9', '206059 99',
    '221020 2210201'): the digits joined, or the longest run, or the joined digits cut to a 项/款 code, the
    first that is a code of valid length and sits under the rows above it (`context`: the last 类 and 款)."""
    runs = [re.sub(r"\D", "", f) for f in fields if f and not _CJK.search(f)]
    runs = [r for r in runs if r]
    if not runs:
        return ""
    joined = "".join(runs)
    options = [joined, *sorted(runs, key=len, reverse=True), joined[:7], joined[:5], joined[:3]]
    options = [o for o in options if len(o) in (3, 5, 7)]

    def fits(code: str) -> bool:
        if not context or len(code) == 3:
            return True
        parent = next((c for c in reversed(context) if len(c) == len(code) - 2), "")
        return not parent or code.startswith(parent)

    return next((o for o in options if fits(o)), options[0] if options else "")


def _valid_code(code: str, dimension: str) -> bool:
    return len(code) in ((3, 5) if dimension == "economic" else (3, 5, 7))


def _candidates(spec: TableSpec, side: str) -> list[RowSpec]:
    return [r for r in spec.rows if r.label and r.row_kind != "blank" and (not spec.two_sided or r.side == side)]


def _match_row(spec: TableSpec, row: _Row, problems: list[str], last: dict[str, int]) -> RowSpec | None:
    """The template row a printed row is: by subject code on coded rows, else by label."""
    dimension = spec.subject_dimension
    if row.code:
        fixed = [r for r in spec.rows if r.subject_code == row.code]
        if fixed:
            return fixed[0]
        lists = [r for r in spec.rows if r.row_kind == "subject_list"]
        if lists:
            return RowSpec(lists[0].row_order, lists[0].side, None, lists[0].row_key, "subject_list",
                           lists[0].subject_dimension, row.code, row.label, lists[0].row_group)
        # a code the layout's fixed rows do not have (e.g. an economic 款 a region prints): kept, keyed by code
        group = next((r.row_group for r in spec.rows if r.subject_code and row.code.startswith(r.subject_code[:3])), "")
        return RowSpec(10_000, "", None, "econ" if dimension == "economic" else "subject", "extra",
                       dimension, row.code, row.label, group)
    if row.line_no is not None and spec.prints_line_numbers:
        by_no = [r for r in spec.rows if r.line_no == row.line_no and (not spec.two_sided or r.side == row.side)]
        if by_no and by_no[0].label and (not row.label or match_label(row.label, by_no, allow_short_prefix=True)):
            return by_no[0]
    return match_label(row.label, _candidates(spec, row.side), allow_short_prefix=True,
                       after=last.get(row.side, 0)) if row.label else None


def _group_headings(spec: TableSpec) -> set[str]:
    """An economic table's group headings (人员经费, 公用经费: the layout's row_group), normalised; none otherwise."""
    return {norm(r.row_group) for r in spec.rows if r.row_group} if spec.subject_dimension == "economic" else set()


def _cells_of_rows(spec: TableSpec, rows: list[_Row], problems: list[str]) -> list[PrintedCell]:
    cells: list[PrintedCell] = []
    seen: set[tuple] = set()
    last: dict[str, int] = {}
    # an economic table's group headings (人员经费 / 公用经费 over their rows) are no rows of the layout
    groups = _group_headings(spec)
    for order, row in enumerate(rows, start=1):
        if not row.label and not row.code and not row.values:
            continue
        if not row.code and not row.values and norm(row.label or "") in groups:
            continue
        rs = row.spec or _match_row(spec, row, problems, last)
        if rs is not None and rs.row_kind == "blank" and not row.values:
            continue
        if rs is None:
            if row.values:
                problems.append(f"{spec.table_no} page {row.page} line {row.line}: row '{row.label or row.code}' "
                                f"matches no row of layout {spec.version}; its figures are not imported")
            continue
        if row.code and not _valid_code(row.code, rs.subject_dimension or spec.subject_dimension):
            problems.append(f"{spec.table_no} page {row.page} line {row.line}: subject code '{row.code}' is not a "
                            f"类/款/项 code; row skipped")
            continue
        key = (rs.side, rs.row_key, rs.subject_code, rs.label if not rs.subject_code else "")
        if key in seen:
            problems.append(f"{spec.table_no} page {row.page} line {row.line}: row '{row.label}' printed twice; "
                            f"the second is not imported")
            continue
        seen.add(key)
        last[rs.side] = max(last.get(rs.side, 0), rs.row_order if rs.row_kind != "subject_list" else 0)
        if rs.line_no is not None and row.line_no is not None and rs.line_no != row.line_no:
            problems.append(f"{spec.table_no} page {row.page}: '{row.label}' prints 行次 {row.line_no}, the layout "
                            f"{spec.version} has {rs.line_no}")
        for col in spec.columns_of(rs.side):
            tok = row.values.get(col.column_name)
            printed = parse_amount(tok.text if tok else "")
            cells.append(PrintedCell(
                spec.table_code, spec.table_no, rs.side, order, rs.row_key,
                row.label or rs.label, row.line_no if row.line_no is not None else rs.line_no,
                rs.subject_dimension or (spec.subject_dimension if rs.subject_code else ""),
                rs.subject_code, col.column_name, col.column_no, col.header,
                printed.state, printed.value, printed.raw,
                tok.page if tok else row.page, tok.line if tok else row.line,
                rs.row_order if rs.row_kind != "extra" else None))
    return cells


# ------------------------------------------------------------------------------------------ extracted text

def _parse_text_table(spec: TableSpec, tokens: list[Token], doc: Document, problems: list[str]) -> list[PrintedCell]:
    """Extracted text: one printed row per line, cells by tab field. The amount columns of a side are the
    side's last fields; a side is [label, 行次, amounts] (01/04), [code, label, amount] × groups (06),
    [code fields…, label, amounts] (subject lists), or amounts only (09)."""
    by_line: dict[tuple[int, int], list[Token]] = {}
    for tk in tokens:
        by_line.setdefault((tk.page, tk.line), []).append(tk)
    rows: list[_Row] = []
    body = False
    for (page, line), toks in sorted(by_line.items()):
        toks.sort(key=lambda t: t.field or 0)
        texts = [t.text for t in toks]
        joined = norm("".join(texts))
        if joined.startswith("注") or _EMPTY_STATEMENT.search(joined) and not any(looks_numeric(t) for t in texts):
            if body:
                break
            continue
        if "栏次" in joined:
            continue
        if not body:
            body = _starts_body(spec, texts)
            if not body:
                continue
        rows.extend(_text_line_rows(spec, toks, page, line, rows, problems))
    return _cells_of_rows(spec, rows, problems)


def _starts_body(spec: TableSpec, texts: list[str]) -> bool:
    """True for the first row of a table in extracted text: a row label of the layout in a label field, a
    subject code, or (in 09, whose row has no label) a line of figures."""
    nonempty = [t for t in texts if t]
    if not nonempty or "栏次" in norm("".join(nonempty)):
        return False
    if all(re.fullmatch(r"\d{1,2}", t) for t in nonempty) and len(nonempty) >= 2:
        return False  # the 栏次 line (1 2 3 …)
    if spec.unlabelled:
        return all(looks_numeric(t) for t in nonempty)
    # an economic table's header line of group headings (人员经费 | 公用经费 over column groups side by side)
    groups = _group_headings(spec)
    if groups and all(norm(t) in groups for t in nonempty):
        return False
    if spec.two_sided:
        extra = 1 if spec.prints_line_numbers else 0
        width = 1 + extra + len(spec.columns_of("income"))
        if len(texts) != width + 1 + extra + len(spec.columns_of("expenditure")):
            return False
        return any(match_label(texts[i], _candidates(spec, side), strict=True)
                   for i, side in ((0, "income"), (width, "expenditure")))
    if spec.has_subject_list:
        n = len(spec.columns_of(""))
        if len(texts) < n + 1:
            return False
        head, label = texts[:-(n + 1)], texts[-(n + 1)]
        if match_label(label, _candidates(spec, ""), strict=True):
            return True
        return any(re.fullmatch(r"[\d\s)]+", t) and len(re.sub(r"\D", "", t)) in (3, 5, 7) for t in head if t)
    for t in nonempty:
        if spec.subject_dimension and re.fullmatch(r"[\d\s)]+", t) and len(re.sub(r"\D", "", t)) in (3, 5, 7):
            return True
        if _CJK.search(t) and not looks_numeric(t) and match_label(t, _candidates(spec, ""), strict=True):
            return True
    return False


def _text_line_rows(spec: TableSpec, toks: list[Token], page: int, line: int, rows: list[_Row],
                    problems: list[str]) -> list[_Row]:
    fields = [t.text for t in toks]
    if spec.two_sided:
        sides = [("income", spec.columns_of("income")), ("expenditure", spec.columns_of("expenditure"))]
        extra = 1 if spec.prints_line_numbers else 0
        widths = [1 + extra + len(cols) for _, cols in sides]
        if len(fields) != sum(widths):
            raise _Mismatch(page, line, f"{spec.table_no}: {len(fields)} fields, expected {sum(widths)} "
                                        f"({' + '.join(map(str, widths))}: label, 行次, amounts of each side)")
        out, start = [], 0
        for g, ((side, cols), width) in enumerate(zip(sides, widths)):
            part = toks[start:start + width]
            start += width
            row = _Row(g, side, float(line), page, line)
            if part[0].text:
                row.label_parts.append((0, part[0].x0, part[0].text))
            if extra and re.fullmatch(r"\d{1,3}", part[1].text):
                row.line_no = int(part[1].text)
            for col, tk in zip(cols, part[1 + extra:]):
                if tk.text:
                    row.values[col.column_name] = tk
            out.append(_attach_orphan(row, rows) or row)
        return [r for r in out if r is not None and r not in rows]
    cols = spec.columns_of("")
    if spec.subject_dimension == "economic" and not spec.has_subject_list:
        return _text_economic_rows(spec, toks, page, line, problems)
    if spec.unlabelled:
        row = _Row(0, "", float(line), page, line)
        row.spec = next((r for r in spec.rows if r.row_kind != "blank"), None)
        values = toks[-len(cols):] if len(toks) >= len(cols) else []
        if len(toks) != len(cols):
            raise _Mismatch(page, line, f"{spec.table_no}: {len(toks)} fields, expected {len(cols)} amounts")
        for col, tk in zip(cols, values):
            if tk.text:
                row.values[col.column_name] = tk
        return [row]
    if len(toks) < len(cols) + 1:
        raise _Mismatch(page, line, f"{spec.table_no}: {len(toks)} fields, expected at least {len(cols) + 1} "
                                    f"(code, name, {len(cols)} amounts)")
    values, head = toks[-len(cols):], toks[:-len(cols)]
    misplaced = next((t for t in values if _CJK.search(t.text)), None)
    if misplaced is not None:
        raise _Mismatch(page, line, f"{spec.table_no}: '{misplaced.text}' stands where the layout has an amount "
                                    f"column ({len(toks)} fields; expected code fields, the name, then "
                                    f"{len(cols)} amounts)")
    row = _Row(0, "", float(line), page, line)
    label_tok = next((t for t in reversed(head) if _CJK.search(t.text)), None)
    code_fields = [t.text for t in head if t is not label_tok]
    row.code = _code_of_text_fields(code_fields, [r.code for r in rows if r.code])
    if label_tok is not None:
        label = label_tok.text
        if row.code == "" or not re.search(r"[类款项]\s*[类款项]", label):
            row.label_parts.append((0, label_tok.x0, label))
    if row.code and not _valid_code(row.code, spec.subject_dimension):
        row.code = ""
    for col, tk in zip(cols, values):
        if tk.text:
            row.values[col.column_name] = tk
    orphan = _attach_orphan(row, rows)
    return [] if orphan is not None else [row]


def _attach_orphan(row: _Row, rows: list[_Row]) -> _Row | None:
    """Figures with no label or code of their own (printed on the line after their label) join the row
    above of the same side, when that row has no figures yet. Returns that row, or None."""
    if row.label or row.code or not row.values:
        return None
    for prev in reversed(rows):
        if prev.group == row.group:
            if not prev.values:
                prev.values.update(row.values)
                return prev
            return None
    return None


def _text_economic_rows(spec: TableSpec, toks: list[Token], page: int, line: int,
                        problems: list[str]) -> list[_Row]:
    """公开06 in extracted text: groups of [code, name, amount] side by side; the closing line pairs each
    total's label (人员经费合计, 公用经费合计) with the first figure after it."""
    fields = [t.text for t in toks]
    col = spec.columns_of("")[0]
    totals = [r for r in spec.rows if not r.subject_code and r.label]
    labelled = [(i, match_label(f, totals, allow_short_prefix=True)) for i, f in enumerate(fields)
                if _CJK.search(f) and not re.fullmatch(r"\d+", re.sub(r"\D", "", f) or "x")]
    labelled = [(i, r) for i, r in labelled if r is not None]
    if labelled:
        out = []
        for k, (i, rs) in enumerate(labelled):
            stop = labelled[k + 1][0] if k + 1 < len(labelled) else len(toks)
            row = _Row(k, "", float(line), page, line, spec=rs)
            row.label_parts.append((0, float(i), fields[i]))
            value = next((t for t in toks[i + 1:stop] if t.text), None)
            if value is not None:
                row.values[col.column_name] = value
            out.append(row)
        return out
    if len(toks) % 3:
        raise _Mismatch(page, line, f"{spec.table_no}: {len(toks)} fields, expected groups of 3 (code, name, amount)")
    out = []
    for g in range(len(toks) // 3):
        code, name, value = toks[3 * g:3 * g + 3]
        if not (code.text or name.text or value.text):
            continue
        row = _Row(g, "", float(line), page, line, code=re.sub(r"\D", "", code.text))
        row.label_parts.append((0, 0.0, name.text))
        if value.text:
            row.values[col.column_name] = value
        out.append(row)
    return out


# ------------------------------------------------------------------------------------------ PDF

@dataclass
class _Column:
    name: str
    group: int
    side: str
    xc: float
    x1: float


def _parse_pdf_table(spec: TableSpec, tokens: list[Token], doc: Document, problems: list[str]) -> list[PrintedCell]:
    body_start = _pdf_body_start(spec, tokens)
    if body_start is None:
        problems.append(f"{spec.table_no}: no row of the table found")
        return []
    # a figure is never a header: figures printed at the top of a tall first row stand on a header line
    def amount(t: Token) -> bool:
        return looks_numeric(t.text) and "." in t.text

    header = [t for t in tokens if (t.page, t.line) < body_start and not amount(t)]
    body = [t for t in tokens if (t.page, t.line) >= body_start or amount(t)]
    # a table continued on another page may print its header there again (a browser repeats <thead>): the lines
    # of a later page down to its 栏次 line are that header, not rows
    repeated: dict[int, int] = {}
    for t in tokens:
        if t.page > body_start[0] and norm(t.text) == "栏次":
            repeated[t.page] = min(repeated.get(t.page, t.line), t.line)
    body = [t for t in body if not (t.page in repeated and t.line <= repeated[t.page])]
    notes = next(((t.page, t.line) for t in body if norm(t.text).startswith("注")), None)
    if notes is not None:
        body = [t for t in body if (t.page, t.line) < notes]
    columns, group_edges = _pdf_columns(spec, header, problems)
    if not columns:
        return []
    groups = sorted({c.group for c in columns})
    for k, g in enumerate(groups[:-1]):
        # the next group starts where its first code or label is printed: the leftmost text that is not a figure
        # right of this group's last amount column (labels are left-aligned, their header centred)
        centre = max(c.xc for c in columns if c.group == g)
        nxt = min(c.xc for c in columns if c.group == groups[k + 1])
        starts = [t.x0 for t in body if centre < t.x0 < nxt and not (looks_numeric(t.text) and "." in t.text)]
        if starts:
            group_edges[k] = (centre + min(starts)) / 2

    def group_of(tk: Token) -> int:
        if looks_numeric(tk.text) and "." in tk.text:
            # a figure is its amount column's, whichever group's: a right-aligned figure in a wide column can
            # sit nearer the next group's first column than its own header's centre
            return min(columns, key=lambda c: min(abs(c.xc - tk.xc), abs(c.x1 - tk.x1))).group
        for g, edge in zip(groups, group_edges):
            if tk.xc <= edge:
                return g
        return groups[-1]

    def side_of(g: int) -> str:
        return next(c.side for c in columns if c.group == g)

    rows: list[_Row] = []
    loose: list[tuple[int, Token]] = []
    value_x = {g: min(c.xc for c in columns if c.group == g) - 5 for g in groups}
    # subject codes: a 类 piece (201 / 301), or a whole code (2010601), with the 款/项 pieces (06, 01) printed to
    # its right on the same printed row (their line may differ by a few points from the 类 piece's)
    prints_codes = spec.has_subject_list or spec.subject_dimension == "economic"   # 01/04 label their 类
    pieces = [(group_of(t), t) for t in body if prints_codes and _is_code_piece(t.text)
              and "." not in t.text and t.x1 < value_x[group_of(t)]]
    heads = [(g, t) for g, t in pieces if len(re.sub(r"\D", "", t.text)) != 2]
    codes: dict[int, list[Token]] = {id(t): [t] for _, t in heads}
    for g, t in pieces:
        if (g, t) in heads:
            continue
        near = [(abs(h.y - t.y), h) for hg, h in heads if hg == g and h.page == t.page and h.x1 < t.x0
                and abs(h.y - t.y) < 0.9 * max(h.x1 - h.x0, 12)]
        if near:
            codes[id(min(near, key=lambda dh: dh[0])[1])].append(t)
        else:
            problems.append(f"{spec.table_no} page {t.page} line {t.line}: code piece '{t.text}' belongs to no "
                            f"subject code")
    in_code = {id(p) for ps in codes.values() for p in ps}
    for g, t in heads:
        parts = sorted(codes[id(t)], key=lambda p: p.x0)
        rows.append(_Row(g, side_of(g), t.y, t.page, t.line, code="".join(re.sub(r"\s", "", p.text) for p in parts)))
    last: dict[str, int] = {}
    by_line: dict[tuple[int, int], list[Token]] = {}
    for tk in body:
        if id(tk) not in in_code:
            by_line.setdefault((tk.page, tk.line), []).append(tk)
    unlabelled = spec.unlabelled
    if unlabelled and by_line:
        (page, line), toks = min(by_line.items())
        rows.append(_Row(0, side_of(0), toks[0].y, page, line,
                         spec=next(r for r in spec.rows if r.row_kind != "blank")))
    for (page, line), toks in sorted(by_line.items()):
        toks.sort(key=lambda t: t.x0)
        per_group: dict[int, list[Token]] = {}
        for tk in toks:
            per_group.setdefault(group_of(tk), []).append(tk)
        for g, gt in per_group.items():
            side = side_of(g)
            labels = [t for t in gt if _CJK.search(t.text)]
            if spec.prints_line_numbers:
                # where the layout prints 行次, every printed row has one: it is the row's anchor, and its label
                # (wrapped or not) and figures join it
                numbers = [t for t in gt if re.fullmatch(r"\d{1,3}", t.text) and t.x1 < value_x[g]]
                by_no = [r for r in spec.rows if numbers and r.line_no == int(numbers[0].text)
                         and (not spec.two_sided or r.side == side)]
                if by_no:
                    rows.append(_Row(g, side, numbers[0].y, page, line, spec=by_no[0], anchor=numbers[0].text))
                for t in gt:
                    loose.append((g, t))
                continue
            coded_here = any(r.group == g and r.page == page and abs(r.y - gt[0].y) < 6 and r.code for r in rows)
            if labels and not coded_here:
                text = "".join(t.text for t in labels)
                rs = match_label(text, _candidates(spec, side), after=last.get(side, 0))
                if rs is not None and not _continues(rows, g, text, spec, side):
                    rows.append(_Row(g, side, labels[0].y, page, line, spec=rs, anchor=text))
                    last[side] = rs.row_order
            for t in gt:
                loose.append((g, t))
    rows = _one_anchor_per_row(rows)
    rows.sort(key=lambda r: (r.page, r.y, r.group))
    for g, t in loose:
        wordy = not (looks_numeric(t.text) or parse_amount(t.text).state == DASH)
        row = _nearest([r for r in rows if not (wordy and r.spec and r.spec.row_kind == "blank")], g, t)
        if row is None:
            continue
        figure = looks_numeric(t.text) or parse_amount(t.text).state == DASH
        if re.fullmatch(r"\d{1,3}", t.text) and spec.prints_line_numbers and t.x1 < value_x[g]:
            if row.line_no is None:
                row.line_no = int(t.text)
        elif not figure:
            row.label_parts.append((t.page * 10_000 + t.line, t.x0, t.text))
        else:
            col = min((c for c in columns if c.group == g), key=lambda c: abs(c.xc - t.xc))
            if col.name in row.values:
                problems.append(f"{spec.table_no} page {t.page}: two figures for one cell ('{row.values[col.name].text}'"
                                f" and '{t.text}', row '{row.label or row.code}'); the cell is unreadable")
                row.values[col.name] = Token("?" + t.text, t.page, t.y, t.x0, t.x1, t.line)
            else:
                row.values[col.name] = t
    return _cells_of_rows(spec, rows, problems)


def _one_anchor_per_row(rows: list[_Row]) -> list[_Row]:
    """A template row anchored twice by its label (a group heading 公用经费 above the rows, and 公用经费合计
    below them) keeps the anchor that prints its label in full; the other's pieces join their neighbours."""
    by_spec: dict[tuple, list[_Row]] = {}
    for r in rows:
        if r.spec is not None and r.anchor and r.spec.row_kind != "subject_list":
            by_spec.setdefault((r.spec.side, r.spec.row_order), []).append(r)
    drop = set()
    for same in by_spec.values():
        if len(same) > 1:
            best = max(same, key=lambda r: (norm_label(r.anchor) == norm_label(r.spec.label), -same.index(r)))
            drop |= {id(r) for r in same if r is not best}
    return [r for r in rows if id(r) not in drop]


def _continues(rows: list[_Row], group: int, text: str, spec: TableSpec, side: str) -> bool:
    """True when `text` completes the label of the group's last row instead of starting a row."""
    prev = next((r for r in reversed(rows) if r.group == group), None)
    if prev is None or prev.spec is None or prev.values:
        return False
    joined = norm(prev.label + text)
    return norm(prev.spec.label).startswith(joined) and joined != norm(prev.label)


def _nearest(rows: list[_Row], group: int, t: Token) -> _Row | None:
    same = [r for r in rows if r.group == group and r.page == t.page]
    if not same:
        earlier = [r for r in rows if r.group == group and r.page < t.page]
        return earlier[-1] if earlier else None
    return min(same, key=lambda r: (abs(r.y - t.y), r.y > t.y))


def _pdf_body_start(spec: TableSpec, tokens: list[Token]) -> tuple[int, int] | None:
    lines: dict[tuple[int, int], list[Token]] = {}
    for tk in tokens:
        lines.setdefault((tk.page, tk.line), []).append(tk)
    unlabelled = spec.unlabelled
    # the 栏次 line, where a print has one, is the header's last: a header label printed on one line (a wide
    # landscape column: 一般公共预算财政拨款 over its figures) is never mistaken for the row of that name
    lanci = next((key for key, toks in sorted(lines.items()) if any(norm(t.text) == "栏次" for t in toks)), None)
    for key, toks in sorted(lines.items()):
        if lanci is not None and key <= lanci:
            continue
        toks = sorted(toks, key=lambda t: t.x0)
        texts = [t.text for t in toks] + _phrases(toks)
        if unlabelled:
            if all(looks_numeric(t) and "." in t for t in texts):
                return key
            continue
        if spec.subject_dimension and any(_is_code_piece(t) for t in texts[:1]) and len(re.sub(r"\D", "", texts[0])) >= 3:
            return key
        for t in texts:
            if _CJK.search(t) and any(_opens_row(t, c) for s in ("income", "expenditure", "")
                                      for c in _candidates(spec, s)):
                others = [o for o in texts if o is not t and not looks_numeric(o) and norm(o) not in "类款项"]
                if norm(t) != "合计" or spec.has_subject_list and not others:
                    return key
    return None


def _phrases(toks: list[Token]) -> list[str]:
    """Neighbouring pieces of text on a line joined (an ordinal 一、 placed apart from its label)."""
    out: list[str] = []
    run: list[Token] = []
    for t in toks:
        wordy = not looks_numeric(t.text)
        if wordy and run and t.x0 - run[-1].x1 < 12:
            run.append(t)
            continue
        if len(run) > 1:
            out.append("".join(r.text for r in run))
        run = [t] if wordy else []
    if len(run) > 1:
        out.append("".join(r.text for r in run))
    return out


def _opens_row(text: str, row: RowSpec) -> bool:
    """A strict test for the first row of a table: the label as printed, or its beginning with the ordinal
    (一、…), never a header word that a label happens to begin with (国有资本经营)."""
    t, label = norm(text), norm(row.label)
    return t == label or (bool(re.match(r"^[一二三四五六七八九十]+、", label)) and len(t) >= 4 and label.startswith(t))


def _pdf_columns(spec: TableSpec, header: list[Token], problems: list[str]) -> tuple[list[_Column], list[float]]:
    """Each amount column's x from its header: the header text whose words begin the column's lowest header
    level (本年收入合 / 计 for 本年收入合计; 合计 or 小计 for a 小计 column), as the layout prints it or as one of
    its variants does (header_variants_zh: 金额 for a 决算数 column); repeated headers (预算数 决算数 …,
    决算数 in each column group of 06) are taken left to right."""
    used: set[int] = set()
    columns: list[_Column] = []
    segments = sorted(header, key=lambda t: (t.x0, t.y))

    label_words = {"项目", "科目名称", "科目编码", "支出功能分类", "功能分类", "经济分类", "类", "款", "项", "栏次",
                   "收入", "支出", "行次", "单位:万元", "单位：万元"}

    def score(text: str, leaves: tuple[str, ...]) -> int:
        """How much of a column's lowest header level (or a variant's) a header text spells (0: none)."""
        t = norm(text)
        if t in label_words or len(t) < 2:
            return 0
        aliases = {norm(leaf) for leaf in leaves}
        aliases |= {"合计", "小计"} if aliases & {"合计", "小计"} else set()
        return max((len(t) if a.startswith(t) else len(a) if t.startswith(a) else 0) for a in aliases)

    specs = spec.columns
    repeated = spec.subject_dimension == "economic" and not spec.has_subject_list and len(specs) == 1
    if repeated:
        hits = [t for t in segments if norm(t.text) in {norm(a) for a in specs[0].leaves}]
        for g, t in enumerate(hits):
            columns.append(_Column(specs[0].column_name, g, "", t.xc, t.x1))
    else:
        for col in specs:
            leaf = col.leaf
            scored = [(score(t.text, col.leaves), i) for i, t in enumerate(segments) if i not in used]
            best = max((sc for sc, _ in scored), default=0)
            cands = [i for sc, i in scored if sc == best and sc > 0]
            if sum(c.leaf == leaf for c in specs) > 1:  # a header repeated under each item (预算数 | 决算数): in order
                exact = {norm(a) for a in col.leaves}
                cands = [i for i, t in enumerate(segments) if i not in used and norm(t.text) in exact] or cands
            if not cands:
                page = min((t.page for t in header), default=0)
                raise _Mismatch(page, None, f"{spec.table_no}: column '{col.header}' of layout {spec.version} not "
                                            f"found in the printed header")
            i = cands[0]
            used.add(i)
            group = 1 if spec.two_sided and col.side == "expenditure" else 0
            columns.append(_Column(col.column_name, group, col.side, segments[i].xc, segments[i].x1))
    groups = sorted({c.group for c in columns})
    edges: list[float] = []
    for g in groups[:-1]:
        right = max(c.x1 for c in columns if c.group == g)
        nxt = min(c.xc for c in columns if c.group == g + 1)
        starts = [t.x0 for t in header if right < t.x0 < nxt and norm(t.text) in ("项目", "经济分类", "科目编码", "支出", "支")]
        edges.append((right + min(starts)) / 2 if starts else right + 8)
    edges.append(float("inf"))
    return columns, edges
