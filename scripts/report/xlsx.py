"""Write one unit-year's report (report.data.Report) as an .xlsx workbook: one sheet per printed table,
laid out as the table is printed in the published document.

Each sheet, top to bottom:

- the title ("2024年度收入支出决算总表"), merged across the table;
- the table number ("公开01表") at the right;
- "单位：<unit name>" ("部门：…" for a 部门决算) at the left and "单位：万元" at the right;
- the header rows, built from Column.header_levels: equal leading levels merge horizontally, a column with
  fewer levels merges down. Two-sided tables (01, 04) print the 收入 block (项目 | 行次 | 决算数) and the 支出
  block (项目 | 行次 | amounts…) side by side, one printed line per row. Subject tables (02, 03, 05, 07, 08)
  start with 项目: the layout's code header (功能分类科目编码) over the levels it prints (类 | 款 | 项), the whole
  code across them (spanned, the national print) or each level's digits in its own column (split: 210 | 11 | 01,
  Shanghai), then 科目名称 (marts.dim_report_tables: code_header_zh, code_levels_zh, code_columns).
  公开06 is printed as ONE list, 经济分类科目编码 | 科目名称 | 决算数, in the mart's order (人员经费 类,
  公用经费 类, then 人员经费合计 and 公用经费合计) under the group headings 人员经费 / 公用经费
  (Table.group_headings, as the HTML), not as the national layout's three column groups;
- the 栏次 row (column_no of each amount column, "栏次" in the item column), when the layout numbers columns;
- the rows: 科目编码 as text, 科目名称 indented by level (类 / 款 / 项), 类 rows and totals bold, 行次 where the
  table has them, amounts as numbers with the format #,##0.00 and left blank where zero;
- the note (注：…) and, when the table shows no 决算 figure, its empty statement
  ("本单位2024年度无政府性基金预算财政拨款收入支出。", see Table.shows_empty_statement).

Panes are frozen below the headers (and right of the key columns for single-sided tables); pages print
in the layout's orientation (dim_report_tables.orientation), one page wide (and one page tall where
dim_report_tables.fit is page — 公开01, 04, 06 — or where the sheet would run onto a little of a second page),
with the header rows repeated.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from report.data import Report, Table

NUMBER_FORMAT = "#,##0.00"
FONT_NAME = "宋体"
SIDE_LABELS = {"income": "收入", "expenditure": "支出"}
LINE_HEIGHT = 15.0  # points per text line at 10–11 pt
# A4 in points (portrait width, height), the sheet's default margins (0.75 in left/right, 1 in top/bottom) and
# the points one column-width unit takes (7 px of the default font at 0.75 pt per px)
A4 = (595.0, 842.0)
MARGINS = (2 * 54.0, 2 * 72.0)
POINTS_PER_WIDTH = 5.25
# a table one page wide that would run onto a little of a second page (up to this many pages) is fitted to one
# page tall instead: no page holding a repeated header, a row and the note
FIT_ONE_PAGE_UP_TO = 1.35

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
FONT = Font(name=FONT_NAME, size=10)
FONT_BOLD = Font(name=FONT_NAME, size=10, bold=True)
FONT_TITLE = Font(name=FONT_NAME, size=16, bold=True)


@dataclass
class SheetColumn:
    """One column of the sheet: its header path (top level first) and what its cells show."""
    path: list[str]
    kind: str                 # code | name | line | amount
    side: str | None = None   # income / expenditure block of a two-sided table
    amount: str | None = None  # mart column (kind amount)
    column_no: str | None = None
    width: float = 10.0
    level: int | None = None  # kind code: the level column (0 = 类) where the layout prints 类 | 款 | 项


def display_width(text: str) -> int:
    """Width in half-width character cells: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    """Text lines a wrapped cell of `width` (Excel character units) needs."""
    if not text:
        return 1
    usable = max(width - 1.5, 2.0)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in str(text).split("\n"))


def _subject_level(code: str | None) -> int:
    """Indent of a subject name: 类 (3 digits) 0, 款 (5) 1, 项 (7) 2."""
    return max(0, (len(code) - 3) // 2) if code else 0


def _is_total(name: str) -> bool:
    name = (name or "").strip()
    return name.endswith("合计") or name == "总计"


def _sheet_columns(table: Table) -> list[SheetColumn]:
    """The sheet's columns, left to right, with their header paths."""
    cols: list[SheetColumn] = []
    if len([s for s in table.sides() if s]) > 1:  # two-sided: 收入 block, then 支出 block
        for side in table.sides():
            label = SIDE_LABELS.get(side or "", side or "")
            cols.append(SheetColumn([label, "项目"], "name", side))
            if table.has_line_numbers:
                cols.append(SheetColumn([label, "行次"], "line", side))
            cols += [SheetColumn([label, *c.header_levels], "amount", side, c.name, c.column_no)
                     for c in table.columns if c.side == side]
        return cols
    layout = table.layout
    blocks = table.column_blocks()
    if blocks:  # column groups side by side (公开06: 人员经费 | 公用经费 …), each headed by its cost type
        header = layout.code_header or "经济分类科目编码"
        for g, (heading, _) in enumerate(blocks):
            side = f"group{g}"
            if layout.level_columns > 1:
                cols += [SheetColumn([heading, header, level], "code", side, level=i)
                         for i, level in enumerate(layout.code_levels)]
            else:
                cols.append(SheetColumn([heading, header], "code", side))
            cols.append(SheetColumn([heading, "科目名称"], "name", side))
            cols += [SheetColumn([heading, c.header_levels[-1]], "amount", side, c.name, c.column_no)
                     for c in table.columns]
        return cols
    if layout.code_columns:  # the layout prints subject codes (dim_report_tables.code_columns)
        economic = any(r.get("cost_type") for r in table.rows)  # 公开06: no 项目 over its code and name
        prefix = [] if economic else ["项目"]
        header = layout.code_header or ("经济分类科目编码" if economic else "功能分类科目编码")
        if layout.level_columns > 1:  # 类 | 款 | 项 under the code header (spanned or split, as the layout prints)
            cols += [SheetColumn([*prefix, header, level], "code", level=i) for i, level in enumerate(layout.code_levels)]
        else:
            cols.append(SheetColumn([*prefix, header], "code"))
        cols.append(SheetColumn([*prefix, "科目名称"], "name"))
    else:
        if any(r.get("subject_code") for r in table.rows):
            cols.append(SheetColumn(["项目", "科目编码"], "code"))
        if any((r.get("item_name") or "").strip() for r in table.rows):
            cols.append(SheetColumn(["项目"] if not cols else ["项目", "科目名称"], "name"))
    if table.has_line_numbers:
        cols.append(SheetColumn([*cols[0].path[:-1], "行次"] if cols else ["行次"], "line"))
    cols += [SheetColumn(list(c.header_levels), "amount", None, c.name, c.column_no) for c in table.columns]
    return cols


def _widths(table: Table, cols: list[SheetColumn]) -> None:
    """Column widths from the content: names up to 36 characters wide (longer ones wrap)."""
    blocks = {f"group{g}": [r for r in lines if r] for g, (_, lines) in enumerate(table.column_blocks())}
    for col in cols:
        rows = blocks[col.side] if col.side in blocks else [
            r for r in table.rows if col.side is None or r.get("side") == col.side]
        if col.kind == "code" and col.level is not None:
            levels = table.layout.level_columns
            if table.layout.code_columns == "split":  # this level's digits
                col.width = float(max([5] + [len(table.layout.code_cells(r.get("subject_code"))[col.level]) + 3
                                             for r in rows]))
            else:  # the whole code across the level columns
                col.width = max(4.0, max([10] + [display_width(r.get("subject_code") or "") + 3 for r in rows]) / levels)
        elif col.kind == "code":
            col.width = max([10] + [display_width(r.get("subject_code") or "") + 3 for r in rows])
        elif col.kind == "name":
            widest = max([0] + [display_width(r.get("item_name") or "") + 2 * _subject_level(r.get("subject_code"))
                                for r in rows])
            col.width = float(min(max(widest + 3, 16), 38))
        elif col.kind == "line":
            col.width = 6.5
        else:
            widest = max([0] + [len(f"{r[col.amount]:,.2f}") for r in rows if r.get(col.amount)])
            leaf = col.path[-1] if col.path else ""
            col.width = float(max(widest + 5, 12, min(display_width(leaf) / 2 + 2, 16)))


def _put(ws: Worksheet, r1: int, c1: int, r2: int, c2: int, value: Any, *, font: Font = FONT,
         align: Alignment | None = None, border: bool = True, number_format: str | None = None) -> None:
    """Write `value` to the range r1:c1–r2:c2 (merged when larger than one cell), styled."""
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            cell = ws.cell(row=r, column=c)
            if border:
                cell.border = BORDER
            cell.font = font
            if align is not None:
                cell.alignment = align
            if number_format:
                cell.number_format = number_format
    ws.cell(row=r1, column=c1).value = value
    if r2 > r1 or c2 > c1:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _header(ws: Worksheet, cols: list[SheetColumn], top: int) -> int:
    """Write the header rows from the columns' paths; return how many rows they take."""
    depth = max(len(c.path) for c in cols)
    heights = [1] * depth
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for level in range(depth):
        i = 0
        while i < len(cols):
            col = cols[i]
            if len(col.path) <= level:
                i += 1
                continue
            ends = len(col.path) == level + 1
            j = i
            while (not ends and j + 1 < len(cols) and len(cols[j + 1].path) > level + 1
                   and cols[j + 1].path[:level + 1] == col.path[:level + 1]):
                j += 1
            last_row = top + depth - 1 if ends else top + level
            text = col.path[level]
            _put(ws, top + level, i + 1, last_row, j + 1, text, font=FONT_BOLD, align=center)
            width = sum(c.width for c in cols[i:j + 1])
            spans = last_row - (top + level) + 1
            heights[level] = max(heights[level], math.ceil(_lines(text, width) / spans))
            i = j + 1
    for level, lines in enumerate(heights):
        ws.row_dimensions[top + level].height = LINE_HEIGHT * max(lines, 1) + 3
    return depth


def _row_cells(table: Table, cols: list[SheetColumn]) -> list[list[tuple[SheetColumn, dict | None]]]:
    """The printed lines: for a two-sided table, the i-th 收入 row beside the i-th 支出 row; for column groups,
    the i-th line of each group side by side."""
    if not any(c.side for c in cols):
        return [[(c, row) for c in cols] for row in table.rows]
    by_side: dict[str | None, list[dict | None]] = {}
    blocks = table.column_blocks()
    if blocks:  # column groups: the i-th line of each group side by side (None below a shorter group)
        by_side = {f"group{g}": lines for g, (_, lines) in enumerate(blocks)}
    for row in table.rows if not blocks else []:
        by_side.setdefault(row.get("side"), []).append(row)
    n = max((len(v) for v in by_side.values()), default=0)
    out = []
    for i in range(n):
        line = []
        for c in cols:
            rows = by_side.get(c.side, [])
            line.append((c, rows[i] if i < len(rows) else None))
        out.append(line)
    return out


def write_table(ws: Worksheet, report: Report, table: Table) -> None:
    """Lay one printed table out on `ws`."""
    cols = _sheet_columns(table)
    _widths(table, cols)
    ncols = len(cols)
    for i, col in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    total_width = sum(c.width for c in cols)

    # title, table number, units
    _put(ws, 1, 1, 1, ncols, f"{report.fiscal_year}年度{table.title}", font=FONT_TITLE, border=False,
         align=Alignment(horizontal="center", vertical="center", wrap_text=True))
    ws.row_dimensions[1].height = 30 * _lines(f"{report.fiscal_year}年度{table.title}", total_width / 1.6)
    right = Alignment(horizontal="right", vertical="center")
    left = Alignment(horizontal="left", vertical="center")
    _put(ws, 2, ncols, 2, ncols, table.printed_table_no, border=False, align=right)
    unit_label = f"{'部门' if report.report_kind == '部门决算' else '单位'}：{report.unit_name}"
    if ncols > 1:
        _put(ws, 3, 1, 3, ncols - 1, unit_label, border=False, align=left)
        _put(ws, 3, ncols, 3, ncols, "单位：万元", border=False, align=right)
    else:
        _put(ws, 3, 1, 3, 1, f"{unit_label}　单位：万元", border=False, align=left)

    top = 4
    depth = _header(ws, cols, top)
    row_no = top + depth

    # 栏次
    if any(c.column_no for c in cols if c.kind == "amount"):
        center = Alignment(horizontal="center", vertical="center")
        for i, col in enumerate(cols, start=1):
            value = col.column_no if col.kind == "amount" else ("栏次" if col.kind == "name" else None)
            _put(ws, row_no, i, row_no, i, value, font=FONT_BOLD, align=center)
        row_no += 1
    first_data = row_no

    # the rows, with the group headings (人员经费 / 公用经费) of an economic table above their first rows
    headings = {} if any(c.side for c in cols) else table.group_headings()
    for n, line in enumerate(_row_cells(table, cols)):
        if n in headings:
            _put(ws, row_no, 1, row_no, ncols, headings[n], font=FONT_BOLD,
                 align=Alignment(horizontal="left", vertical="center"))
            ws.row_dimensions[row_no].height = LINE_HEIGHT + 3
            row_no += 1
        lines = 1
        for i, (col, row) in enumerate(line, start=1):
            if row is None:
                _put(ws, row_no, i, row_no, i, None,
                     number_format=NUMBER_FORMAT if col.kind == "amount" else None)
                continue
            # totals and 类 rows bold, as the HTML prints them
            code = row.get("subject_code") or ""
            bold = FONT_BOLD if _is_total(row.get("item_name") or "") or len(code) == 3 else FONT
            if col.kind == "code":
                code_align = Alignment(horizontal="left", vertical="center")
                if col.level is None:
                    _put(ws, row_no, i, row_no, i, row.get("subject_code") or None, font=bold, align=code_align,
                         number_format="@")
                elif table.layout.code_columns == "split":
                    _put(ws, row_no, i, row_no, i, table.layout.code_cells(row.get("subject_code"))[col.level] or None,
                         font=bold, align=Alignment(horizontal="center", vertical="center"), number_format="@")
                elif col.level == 0:  # spanned: one cell across the level columns
                    _put(ws, row_no, i, row_no, i + table.layout.level_columns - 1, row.get("subject_code") or None,
                         font=bold, align=code_align, number_format="@")
            elif col.kind == "name":
                name = row.get("item_name") or None
                indent = _subject_level(row.get("subject_code"))
                center_total = _is_total(name or "") and not row.get("subject_code")
                _put(ws, row_no, i, row_no, i, name, font=bold, align=Alignment(
                    horizontal="center" if center_total else "left", vertical="center", wrap_text=True,
                    indent=0 if center_total else indent))
                lines = max(lines, _lines(name or "", col.width - indent * 2))
            elif col.kind == "line":
                _put(ws, row_no, i, row_no, i, row.get("line_no"), font=FONT,
                     align=Alignment(horizontal="center", vertical="center"))
            else:
                value: Decimal | None = row.get(col.amount)
                _put(ws, row_no, i, row_no, i, value if value else None, font=bold,
                     align=Alignment(horizontal="right", vertical="center"), number_format=NUMBER_FORMAT)
        ws.row_dimensions[row_no].height = LINE_HEIGHT * lines + 3
        row_no += 1

    # note and empty statement
    texts = [t for t in (table.note, table.empty_statement if table.shows_empty_statement else None) if t]
    for text in texts:
        _put(ws, row_no, 1, row_no, ncols, text, border=False,
             align=Alignment(horizontal="left", vertical="top", wrap_text=True))
        ws.row_dimensions[row_no].height = LINE_HEIGHT * _lines(text, total_width) + 3
        row_no += 1

    # view and print
    key_cols = 0 if any(c.side for c in cols) else sum(1 for c in cols if c.kind in ("code", "name", "line"))
    ws.freeze_panes = f"{get_column_letter(key_cols + 1)}{first_data}"
    ws.print_title_rows = f"{top}:{first_data - 1}"
    ws.page_setup.orientation = table.layout.orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    one_page = table.layout.fit == "page" or _pages_tall(ws, table, total_width, row_no - 1) <= FIT_ONE_PAGE_UP_TO
    ws.page_setup.fitToHeight = 1 if one_page else 0   # dim_report_tables.fit, or a table just over a page
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.sheet_view.showGridLines = False


def _pages_tall(ws: Worksheet, table: Table, total_width: float, last_row: int) -> float:
    """How many pages tall the sheet prints once fitted one page wide (an estimate from the rows' heights)."""
    width, height = A4 if table.layout.orientation == "portrait" else A4[::-1]
    scale = min(1.0, (width - MARGINS[0]) / (total_width * POINTS_PER_WIDTH))
    rows = sum(ws.row_dimensions[r].height or LINE_HEIGHT for r in range(1, last_row + 1))
    return rows * scale / (height - MARGINS[1])


def _table_order(table: Table) -> tuple:
    """Sheets in printed order (表7 of a layout whose 三公 table is its seventh comes seventh)."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", table.printed_table_no))


def build_workbook(report: Report) -> Workbook:
    """The workbook of one unit-year: one sheet per printed table, named by its number (公开01表)."""
    wb = Workbook()
    wb.remove(wb.active)
    for table in sorted(report.tables, key=_table_order):
        ws = wb.create_sheet(title=table.printed_table_no[:31])
        write_table(ws, report, table)
    wb.properties.title = f"{report.fiscal_year}年度{report.unit_name}{report.report_kind}"
    wb.properties.subject = f"{report.unit_code} {report.fiscal_year} ({report.template_version})"
    wb.properties.creator = "juesuan"
    return wb


def write_xlsx(report: Report, out_path: Path) -> Path:
    """Write `report` to `out_path` (.xlsx) and return the path."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(report).save(out_path)
    return out_path
