"""The .xlsx report (scripts/render_report.py --format xlsx, scripts/report/xlsx.py): rendered through the CLI
from the session's warehouse, read back with openpyxl and checked cell by cell against the marts, which the
test queries directly (not through scripts/report/)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

from conftest import ROOT

CLI = ROOT / "scripts" / "render_report.py"
UNIT, YEAR = "WH-KJJ-XMZX", 2024
TABLES = [f"{n:02d}" for n in range(1, 10)]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CLI), *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def rendered(warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xlsx")
    proc = run_cli("--unit", UNIT, "--year", str(YEAR), "--format", "xlsx", "--out", str(out),
                   "--db", str(warehouse.db_path))
    assert proc.returncode == 0, proc.stderr
    assert f"[1/1] {UNIT} {YEAR} xlsx" in proc.stderr and "ok" in proc.stderr, proc.stderr
    path = out / f"{UNIT}_{YEAR}.xlsx"
    assert path.exists() and sorted(p.name for p in out.iterdir()) == [path.name]
    return path


@pytest.fixture(scope="module")
def wb(rendered):
    return load_workbook(rendered)  # reloads cleanly


def layout(con, table: str) -> dict:
    title, printed_no, note, empty, groups = con.execute(
        "select title, printed_table_no, note_zh, empty_statement_zh, column_groups from marts.dim_report_tables "
        "where template_version = 'CN2024' and table_code = ?", [table]).fetchone()
    cols = con.execute("select column_name, column_no, header_zh, side from marts.dim_report_columns "
                       "where template_version = 'CN2024' and table_code = ? order by column_order",
                       [table]).fetchall()
    return {"title": title, "printed_no": printed_no, "note": note,
            "empty": empty.replace("{year}", str(YEAR)) if empty else None, "columns": cols, "column_groups": groups}


def mart_rows(con, table: str) -> list[dict]:
    cur = con.execute(f"select * from marts.gongkai_{table} where unit_code = ? and fiscal_year = ? "
                      f"order by {'side desc, ' if table in ('01', '04') else ''}line_no", [UNIT, YEAR])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def first_data_row(ws) -> int:
    col, row = coordinate_from_string(ws.freeze_panes)
    return row


def texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_help():
    proc = run_cli("--help")
    assert proc.returncode == 0, proc.stderr
    for option in ("--unit", "--year", "--all", "--format", "--out", "--db"):
        assert option in proc.stdout
    assert "xlsx" in proc.stdout and "html" in proc.stdout and "pdf" in proc.stdout


def test_all_with_a_missing_warehouse_fails_clearly(tmp_path):
    bogus = tmp_path / "no" / "such.duckdb"
    proc = run_cli("--all", "--db", str(bogus), "--out", str(tmp_path / "out"))
    assert proc.returncode != 0
    assert str(bogus) in proc.stderr and "no warehouse" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_unit_year_without_a_report_fails_naming_it(warehouse, tmp_path):
    proc = run_cli("--unit", UNIT, "--year", "1999", "--out", str(tmp_path), "--db", str(warehouse.db_path))
    assert proc.returncode == 1
    assert f"{UNIT} 1999" in proc.stderr and "FAILED" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / f"{UNIT}_1999.xlsx").exists()


def test_sheets_titles_and_units(wb, con):
    assert wb.sheetnames == [f"公开{t}表" for t in TABLES]
    unit_name = con.execute("select unit_name from marts.dim_units where unit_code = ?", [UNIT]).fetchone()[0]
    for table in TABLES:
        lay = layout(con, table)
        ws = wb[lay["printed_no"]]
        assert ws["A1"].value == f"{YEAR}年度{lay['title']}"
        assert any(str(r).startswith("A1:") for r in ws.merged_cells.ranges), "title merged across the table"
        top = [c.value for row in ws.iter_rows(min_row=2, max_row=3) for c in row]
        assert lay["printed_no"] in top and "单位：万元" in top and f"单位：{unit_name}" in top
    assert wb["公开01表"]["A1"].value == "2024年度收入支出决算总表"


@pytest.mark.parametrize("table", TABLES)
def test_every_amount_cell_equals_the_mart(wb, con, table):
    lay = layout(con, table)
    ws = wb[lay["printed_no"]]
    first = first_data_row(ws)
    rows = mart_rows(con, table)
    columns = lay["columns"]

    # amount columns of the sheet: by 栏次 where the layout numbers its columns, else by header text
    if any(no for _, no, _, _ in columns):
        lanci = [c.value for c in ws[first - 1]]
        if table != "09":  # 公开09 prints no item column, so no "栏次" label
            assert "栏次" in lanci
        where = {}
        for name, no, _, _ in columns:
            hits = [i + 1 for i, v in enumerate(lanci) if v == no]
            assert len(hits) == 1, (table, no, lanci)
            where[name] = hits[0]
        assert [where[name] for name, *_ in columns] == sorted(where.values()), "栏次 in printed order"
    else:
        header = [c.value for c in ws[first - 1]]
        where = {name: header.index(h.split()[-1]) + 1 for name, _, h, _ in columns}

    seen: dict[tuple[str, int, str], Decimal] = {}
    checked = 0

    def check(cell, expected: Decimal, key: tuple) -> None:
        nonlocal checked
        if expected == 0:
            assert cell.value is None, (table, key, cell.coordinate, cell.value)
        else:
            assert isinstance(cell.value, (int, float)), (table, key, cell.coordinate, cell.value)
            assert Decimal(str(cell.value)) == expected, (table, key, cell.coordinate, cell.value, expected)
            assert cell.number_format == "#,##0.00"
            seen[key] = expected
        checked += 1

    if any(side for *_, side in columns):  # two-sided: rows keyed by the 行次 column of each block
        headers = [(c.row, c.column) for row in ws.iter_rows(min_row=4, max_row=first - 1) for c in row
                   if c.value == "行次"]
        line_cols = sorted(col for _, col in headers)
        by_key = {(r["side"], r["line_no"]): r for r in rows}
        lines_seen = set()
        last = first + max(sum(r["side"] == s for r in rows) for s in ("income", "expenditure")) - 1
        for r in range(first, last + 1):
            for name, _, _, side in columns:
                col = where[name]
                line_col = max(c for c in line_cols if c < col)
                line = ws.cell(r, line_col).value
                assert isinstance(line, int), (table, r, line_col, line)
                lines_seen.add((side, line))
                check(ws.cell(r, col), by_key[(side, line)][name], (side, line, name))
        assert lines_seen == set(by_key), "every printed line once"
        assert not isinstance(ws.cell(last + 1, 2).value, int), "no extra lines"
    elif lay["column_groups"]:  # column groups side by side (公开06): each group's code, name, amounts read down
        name_cols = [c.column for row in ws.iter_rows(min_row=4, max_row=first - 1) for c in row
                     if c.value == "科目名称"]
        assert len(name_cols) == len(lay["column_groups"].split("|"))
        unprinted = {(r["subject_code"], r["item_name"]): r for r in rows}
        for name_col in name_cols:
            for r in range(first, ws.max_row + 1):
                item = ws.cell(r, name_col).value
                if item is None:  # below a shorter group, or the note under the table
                    continue
                rec = unprinted.pop((ws.cell(r, name_col - 1).value, item))
                for k, (name, *_) in enumerate(columns, start=1):
                    check(ws.cell(r, name_col + k), rec[name], ("", rec["line_no"], name))
        assert not unprinted, "every row printed once"
    else:
        header_cells = {c.value: c.column for row in ws.iter_rows(min_row=4, max_row=first - 1) for c in row
                        if isinstance(c.value, str)}
        code_col = next((col for text, col in header_cells.items() if text.endswith("科目编码")), None)
        name_col = header_cells.get("科目名称")
        # an economic table's group headings (人员经费 / 公用经费) are lines of their own, not rows of the mart
        groups = {rec["cost_type"] for rec in rows if rec.get("cost_type")}
        lines = [r for r in range(first, ws.max_row + 2) if ws.cell(r, 1).value not in groups]
        for i, rec in enumerate(rows):
            r = lines[i]
            if code_col:
                assert ws.cell(r, code_col).value == (rec["subject_code"] or None), (table, r)
            if name_col:
                assert ws.cell(r, name_col).value == (rec["item_name"] or None), (table, r)
            for name, *_ in columns:
                check(ws.cell(r, where[name]), rec[name], ("", rec["line_no"], name))
        after = [ws.cell(lines[len(rows)], c).value for c in range(1, ws.max_column + 1)]
        assert not any(isinstance(v, (int, float)) for v in after), "no extra rows"
        if code_col:
            assert not str(after[code_col - 1] or "").isdigit(), "no extra subject rows"

    # every cell of every amount column was looked at (a two-sided table's column: its side's lines)
    assert checked == sum(1 for *_, side in columns for r in rows if side is None or r["side"] == side)
    # the non-zero cells are exactly the mart's non-zero printed cells (audit.audit_report_cells)
    audit = {(side or "", line, col): amount for side, line, col, amount in con.execute(
        "select side, line_no, column_name, amount from audit.audit_report_cells "
        "where unit_code = ? and fiscal_year = ? and table_code = ? and amount <> 0", [UNIT, YEAR, table]).fetchall()}
    assert {(s or "", l, c): v for (s, l, c), v in seen.items()} == audit


def test_notes_and_empty_statements(wb, con):
    for table in TABLES:
        lay = layout(con, table)
        ws = wb[lay["printed_no"]]
        found = texts(ws)
        if lay["note"]:
            assert lay["note"] in found, table
        if table in ("07", "08", "09"):  # 09: a 预算数 but no 三公 spending, as the document prints it
            assert lay["empty"] and lay["empty"] in found, table
            rows = [c.row for row in ws.iter_rows() for c in row if c.value == lay["empty"]]
            assert rows[0] > first_data_row(ws)
        else:
            assert not any(t.startswith("本单位") or t.startswith("本部门") for t in found), table
    assert "本单位2024年度无政府性基金预算财政拨款收入支出。" in texts(wb["公开07表"])
    assert "本部门2024年度无国有资本经营预算财政拨款支出。" in texts(wb["公开08表"])


def test_headers_merge_as_printed(wb):
    def span(ws, text: str) -> tuple[int, int]:
        cell = next(c for row in ws.iter_rows(max_row=first_data_row(ws) - 1) for c in row if c.value == text)
        rng = next((r for r in ws.merged_cells.ranges if cell.coordinate in r), None)
        return (1, 1) if rng is None else (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)

    ws = wb["公开09表"]
    assert span(ws, "预算数") == (1, 6) and span(ws, "决算数") == (1, 6)
    assert span(ws, "公务用车购置及运行费") == (1, 3)
    assert span(ws, "公务接待费") == (2, 1)  # shorter column merges down
    ws = wb["公开04表"]
    assert span(ws, "收入") == (1, 3)
    assert span(ws, "支出") == (1, 6)
    assert span(ws, "一般公共预算财政拨款") == (1, 1)
    ws = wb["公开05表"]
    # 项目: the code header over 类 | 款 | 项 (the national print), then 科目名称 reaching down
    assert span(ws, "本年支出") == (1, 3) and span(ws, "项目") == (1, 4)
    assert span(ws, "功能分类科目编码") == (1, 3) and span(ws, "科目名称") == (2, 1)
    assert all(span(ws, level) == (1, 1) for level in ("类", "款", "项"))
    for name in wb.sheetnames:  # frozen below the headers, right of the key columns
        col, row = coordinate_from_string(wb[name].freeze_panes)
        assert row > 4 and column_index_from_string(col) >= 1


def code_cells(ws, code: str) -> tuple[list, tuple[int, int]]:
    """The row holding `code`: the values of its first four cells, and the span of the code's cell."""
    cell = next(c for row in ws.iter_rows(min_row=first_data_row(ws)) for c in row if c.value == code)
    rng = next((r for r in ws.merged_cells.ranges if cell.coordinate in r), None)
    values = [ws.cell(cell.row, c).value for c in range(1, 5)]
    return values, (1, 1) if rng is None else (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)


def test_codes_span_the_level_columns_and_pages_turn_as_the_layout_prints(wb, con):
    """CN2024 prints a function code whole across 类 | 款 | 项 (the seed document: 2060501 under 类 款 项);
    every sheet prints in its layout's orientation (marts.dim_report_tables)."""
    for table in ("02", "03", "05"):
        ws = wb[layout(con, table)["printed_no"]]
        values, span = code_cells(ws, "2060501")
        assert values[:4] == ["2060501", None, None, "机构运行"] and span == (1, 3), (table, values, span)
    orientation = dict(con.execute("select printed_table_no, orientation from marts.dim_report_tables "
                                   "where template_version = 'CN2024'").fetchall())
    assert {name: wb[name].page_setup.orientation for name in wb.sheetnames} == orientation
    # one page wide; one page tall where the layout prints the table on one page (fit = page: 公开01, 04, 06)
    fit = dict(con.execute("select printed_table_no, fit from marts.dim_report_tables "
                           "where template_version = 'CN2024'").fetchall())
    assert {name for name, f in fit.items() if f == "page"} == {"公开01表", "公开04表", "公开06表"}
    for name in wb.sheetnames:
        setup = wb[name].page_setup
        assert int(setup.fitToWidth) == 1 and (fit[name] != "page" or int(setup.fitToHeight) == 1), name


def test_a_split_layout_prints_each_level_in_its_column(con, tmp_path):
    """The seed unit's 公开05 and 公开06 rows laid out with SH2024's page layout (as the 普陀区财政局 print:
    210 | 11 | 01 under 支出功能分类科目编码 类 款 项; 表5 and 表6 on portrait pages)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from openpyxl import Workbook
    from report.data import PageLayout, load_report
    from report.xlsx import write_table
    report = load_report(con, UNIT, YEAR, narrative=False)
    wb = Workbook()
    for code in ("05", "06"):
        orientation, header, levels, columns = con.execute(
            "select orientation, code_header_zh, code_levels_zh, code_columns from marts.dim_report_tables "
            "where template_version = 'SH2024' and table_code = ?", [code]).fetchone()
        table = report.table(code)
        table.layout = PageLayout(orientation, header, levels.split(), columns)
        write_table(wb.create_sheet(code), report, table)
    wb.save(tmp_path / "split.xlsx")
    wb = load_workbook(tmp_path / "split.xlsx")
    ws = wb["05"]
    assert ws.page_setup.orientation == "portrait"
    headers = [c.value for row in ws.iter_rows(min_row=4, max_row=first_data_row(ws) - 1) for c in row]
    assert "支出功能分类科目编码" in headers and all(level in headers for level in ("类", "款", "项"))
    for code, printed in (("206", ["206", None, None, "科学技术支出"]),
                          ("20605", ["206", "05", None, "科技条件与服务"]),
                          ("2060501", ["206", "05", "01", "机构运行"])):
        row = next(c.row for c in ws["D"] if c.value == printed[3])
        assert [ws.cell(row, c).value for c in range(1, 5)] == printed, code
    ws = wb["06"]  # 经济分类: 类 | 款
    row = next(c.row for c in ws["C"] if c.value == "基本工资")
    assert [ws.cell(row, c).value for c in range(1, 4)] == ["301", "01", "基本工资"]
    assert ws.page_setup.orientation == "portrait"


def test_economic_table_in_column_groups_headed_by_cost_type(wb, con):
    """公开06 as the seed document prints it (dim_report_tables.column_groups 301 303|302|*): 人员经费 merged over
    the first group's columns and 公用经费 over the other two, in the header; the first line holds 301, 302 and 310
    side by side, bold as 类 rows; a 款 is not bold; 人员经费合计 and 公用经费合计 on the last line, bold."""
    ws = wb[layout(con, "06")["printed_no"]]
    first = first_data_row(ws)
    spans = {ws.cell(r.min_row, r.min_col).value: (r.min_col, r.max_col) for r in ws.merged_cells.ranges
             if r.min_row == first - 2}
    assert spans["人员经费"] == (1, 3) and spans["公用经费"] == (4, 9)
    assert [ws.cell(first, c).value for c in (1, 4, 7)] == ["301", "302", "310"]
    assert all(ws.cell(first, c).font.b for c in (2, 5, 8))
    kuan = next(c for c in ws["A"] if isinstance(c.value, str) and len(c.value) == 5)
    assert not ws.cell(kuan.row, 2).font.b
    last = max(c.row for c in ws["B"] if c.value == "人员经费合计")
    assert ws.cell(last, 2).font.b and ws.cell(last, 5).value == "公用经费合计" and ws.cell(last, 5).font.b


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


needs_libreoffice = pytest.mark.skipif(_soffice() is None, reason="LibreOffice not installed (./juesuan test "
                                                                  "installs Debian's libreoffice-calc-nogui)")


def printed_pages(xlsx: Path, tmp: Path, shots: Path | None = None) -> list[tuple[str, tuple[float, float]]]:
    """The workbook printed to PDF by LibreOffice headless: each page's text (no spaces) and size; a PNG of
    each page into `shots` if given."""
    import pypdfium2 as pdfium

    proc = subprocess.run([_soffice(), "--headless", "--norestore", "--convert-to", "pdf", "--outdir",
                           str(tmp / "pdf"), str(xlsx)], capture_output=True, text=True, timeout=180,
                          env={**os.environ, "HOME": str(tmp / "home")})
    pdf_path = tmp / "pdf" / f"{xlsx.stem}.pdf"
    assert proc.returncode == 0 and pdf_path.exists(), proc.stdout + proc.stderr
    pdf = pdfium.PdfDocument(str(pdf_path))
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
        for i in range(len(pdf)):
            pdf[i].render(scale=1.0).to_pil().save(shots / f"{xlsx.stem}-{i + 1:02d}.png")
    return [(re.sub(r"\s+", "", pdf[i].get_textpage().get_text_range()), pdf[i].get_size()) for i in range(len(pdf))]


def pages_per_table(con, pages) -> dict[str, tuple[int, int]]:
    """printed_table_no -> (first page, pages taken), from where each table's number is printed; asserting
    each number is printed once, on a page with the table's title, in the layout's orientation."""
    rows = con.execute("select printed_table_no, title, orientation from marts.dim_report_tables "
                       "where template_version = 'CN2024' order by print_order").fetchall()
    starts = []
    for printed_no, title, orientation in rows:
        at = [i for i, (text, _) in enumerate(pages) if printed_no in text]
        assert len(at) == 1, (printed_no, at)  # the table number is printed once, on its first page
        text, (w, h) = pages[at[0]]
        assert f"{YEAR}年度{title}" in text, printed_no
        assert (w > h) == (orientation == "landscape"), printed_no
        starts.append(at[0])
    assert starts == sorted(starts) and starts[0] == 0
    ends = starts[1:] + [len(pages)]
    return {row[0]: (start, end - start) for row, start, end in zip(rows, starts, ends)}


@needs_libreoffice
def test_the_xlsx_printed_by_libreoffice_page_by_page(con, rendered, tmp_path):
    """The workbook as an office prints it (LibreOffice headless, Debian's package): every sheet's title on the
    page where its table starts, in the layout's orientation; a table on one page where the layout prints it on
    one (dim_report_tables.fit: 公开01, 04, 06) or where it is just over one. A PNG of each page is kept in
    artifacts/xlsx-pages/."""
    pages = printed_pages(rendered, tmp_path, ROOT / "artifacts" / "xlsx-pages")
    taken = pages_per_table(con, pages)
    one_page = [no for (no,) in con.execute("select printed_table_no from marts.dim_report_tables "
                                            "where template_version = 'CN2024' and fit = 'page'").fetchall()]
    assert one_page == ["公开01表", "公开04表", "公开06表"]
    assert all(taken[no][1] == 1 for no in one_page), taken
    # the seed unit's tables are each one page: none runs over by a repeated header, a row and its note
    assert {n for _, n in taken.values()} == {1}, taken


@needs_libreoffice
def test_the_page_check_sees_a_table_running_over(con, tmp_path, monkeypatch):
    """The check above fails where a table does run over: without the fit to one page tall of a table just over a
    page, 公开05 prints a second page holding its repeated header, one row and the note."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from report import xlsx as report_xlsx
    from report.data import load_report

    monkeypatch.setattr(report_xlsx, "FIT_ONE_PAGE_UP_TO", 0.0)
    path = report_xlsx.write_xlsx(load_report(con, UNIT, YEAR, narrative=False), tmp_path / "over.xlsx")
    pages = printed_pages(path, tmp_path)
    taken = pages_per_table(con, pages)
    assert taken["公开05表"][1] == 2 and all(taken[no][1] == 1 for no in ("公开01表", "公开04表", "公开06表"))
    second = pages[taken["公开05表"][0] + 1][0]
    assert "功能分类科目编码" in second and "2210203" in second and second.count("2210") == 1  # header, a row
