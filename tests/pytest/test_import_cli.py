"""./juesuan import: bad input is refused with file, page and rule and nothing from it is written; a good
report imported into a warehouse without its seeds reproduces the seeded warehouse (the round trip)."""
from __future__ import annotations

import csv
import shutil
from decimal import Decimal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SOURCE_DOCUMENTS, copy_project

SHARED = SOURCE_DOCUMENTS
WUHAN = SHARED / "000_421607ae11f0bf0a.txt"
SHPT = SHARED / "shpt_caizhengju_2024_bumen_juesuan.pdf"
IMPORT = [sys.executable, str(ROOT / "scripts" / "import_report.py")]
pytestmark = pytest.mark.skipif(not WUHAN.exists() or not SHPT.exists(), reason="shared source documents missing")


def run_import(files: list[Path], imports: Path, *extra: str, project: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*IMPORT, *map(str, files), "--imports", str(imports), "--project-dir", str(project),
                           *extra], capture_output=True, text=True, timeout=1800)


def batches(imports: Path) -> list[str]:
    return sorted(p.name for p in imports.glob("*.imp_*.parquet"))


# ------------------------------------------------------------------------------------------ bad input

def scanned_pdf(dest: Path) -> Path:
    """Two pages of the real report as pictures only: a scan, no text layer."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(SHPT))
    images = [pdf[i].render(scale=1).to_pil().convert("RGB") for i in (5, 7)]
    images[0].save(dest, save_all=True, append_images=images[1:])
    return dest


def text_pdf(dest: Path, lines: list[str]) -> Path:
    """A PDF with a text layer (matplotlib, CJK font embedded as TrueType so the text is extractable)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties

    sys.path.insert(0, str(ROOT / "scripts"))
    from report.charts import font_path

    matplotlib.rcParams["pdf.fonttype"] = 42
    font = FontProperties(fname=str(font_path()))
    fig = plt.figure(figsize=(8.27, 11.69))
    for i, line in enumerate(lines):
        fig.text(0.1, 0.9 - 0.05 * i, line, fontsize=14, fontproperties=font)
    fig.savefig(dest)
    plt.close(fig)
    return dest


def encrypted_pdf(dest: Path) -> Path:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=str(SHPT))
    writer.encrypt("secret")
    writer.write(str(dest))
    return dest


def wuhan_with_a_broken_row(dest: Path) -> Path:
    """公开02表's 机构运行 row with one amount field fewer than the table's seven."""
    lines = WUHAN.read_text(encoding="utf-8").splitlines()
    i = next(k for k, line in enumerate(lines) if "机构运行" in line and "\t821. 93\t821. 93" in line)
    lines[i] = lines[i].replace("\t821. 93\t821. 93", "\t821. 93 821. 93")
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest


BAD = {
    "scan.pdf": (scanned_pdf, "page 1", "no_text_layer"),
    "minutes.pdf": (lambda d: text_pdf(d, ["武汉市某局2024年第三次局务会议纪要", "一、会议听取了工作汇报"]),
                    "page 1", "not_a_juesuan"),
    "encrypted.pdf": (encrypted_pdf, "-", "encrypted_pdf"),
    "truncated.pdf": (lambda d: d.write_bytes(SHPT.read_bytes()[:50_000]) and d, "-", "unreadable_pdf"),
    # the official empty template: every title of SH2024, no figure
    "template.pdf": (lambda d: shutil.copy(SHARED / "sh_2024_bumen_juesuan_template.pdf", d) and d, "page 5",
                     "no_figures"),
    "columns.txt": (wuhan_with_a_broken_row, "page 1 line 115", "columns_mismatch"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_refused_by_file_page_and_rule(tmp_path, name):
    make, where, rule = BAD[name]
    path = make(tmp_path / name) or tmp_path / name
    imports = tmp_path / "imports"
    proc = run_import([path], imports, "--no-build")
    assert proc.returncode != 0
    first = proc.stderr.strip().splitlines()[0]
    assert f"{name}:{where}: [{rule}]" in first, proc.stderr
    assert "nothing imported" in proc.stderr
    assert batches(imports) == []
    assert "Traceback" not in proc.stderr


def test_two_reports_of_one_unit_year_in_a_batch_are_both_refused(tmp_path):
    other = tmp_path / "same_report_again.txt"
    shutil.copy(WUHAN, other)
    imports = tmp_path / "imports"
    proc = run_import([WUHAN, other], imports, "--no-build")
    assert proc.returncode != 0
    assert "[duplicate_unit_year]" in proc.stderr and WUHAN.name in proc.stderr and other.name in proc.stderr
    assert batches(imports) == []


def test_a_good_report_beside_a_bad_one_is_imported_alone(tmp_path):
    project = copy_project(tmp_path / "project")
    without_unit_year(project, "WH-KJJ-XMZX", "2024")
    imports = tmp_path / "imports"
    proc = run_import([WUHAN, encrypted_pdf(tmp_path / "encrypted.pdf")], imports, "--no-build", project=project)
    assert proc.returncode == 1  # one file refused
    assert "encrypted.pdf:-: [encrypted_pdf]" in proc.stderr
    assert "unreadable: 公开06表 page 1 line 275: 公用经费合计" in proc.stdout
    assert batches(imports) == sorted(f"{t}.imp_WH-KJJ-XMZX_2024.parquet" for t in [
        "ref_unit_years", "amt_revenue", "amt_expenditure", "amt_basic_expenditure_economic", "amt_sangong",
        "imp_printed_tables", "imp_printed_cells", "imp_narrative_claims"])


def test_a_report_of_a_unit_year_the_seeds_have_is_refused_and_nothing_is_written(tmp_path):
    """The seed document's own unit-year is in the seeds: its import (--no-build, validated all the same) is
    refused by the validation layer naming the seeded row and the batch's, and no batch stays in the folder."""
    imports = tmp_path / "imports"
    proc = run_import([WUHAN], imports, "--no-build")
    assert proc.returncode == 1
    # the batch's row is the second whichever folder sorts first (CI's clone sits in /check, the batch in /tmp)
    assert (f"{imports}/ref_unit_years.imp_WH-KJJ-XMZX_2024.parquet:row 1: [unique_key] unit_code,fiscal_year "
            f"'WH-KJJ-XMZX,2024': a second row with the same key (seeds and bulk files together); already at "
            f"{ROOT}/seeds/reference/ref_unit_years.csv:3") in proc.stderr
    assert "the import batches were put back as they were" in proc.stderr and "Traceback" not in proc.stderr
    assert batches(imports) == []


# ------------------------------------------------------------------------------------------ round trip

def without_unit_year(project: Path, unit: str, year: str) -> None:
    """Remove a unit-year and everything seeded for it (amounts, disclosures, its ref_unit_years row)."""
    for path in [*project.glob("seeds/amounts/*.csv"), *project.glob("seeds/disclosures/*.csv"),
                 project / "seeds" / "reference" / "ref_unit_years.csv"]:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        head = rows[0]
        if "unit_code" in head and "fiscal_year" in head:
            u, y = head.index("unit_code"), head.index("fiscal_year")
            keep = [head] + [r for r in rows[1:] if not (r[u] == unit and r[y] == year)]
            with open(path, "w", encoding="utf-8", newline="") as f:
                csv.writer(f, lineterminator="\n").writerows(keep)


@pytest.mark.slow
def test_round_trip_of_the_seed_document(warehouse, tmp_path):
    """Import the seed document into a warehouse whose seeds lack its unit-year: the nine marts and the fact
    marts equal the warehouse built from the hand-made seeds (only the seeds' two 0.00 balance rows, which
    the print shows as blank cells, are not facts of the import), and every printed figure is in the marts."""
    project = copy_project(tmp_path / "project")
    without_unit_year(project, "WH-KJJ-XMZX", "2024")
    db = tmp_path / "wh" / "juesuan.duckdb"
    proc = run_import([WUHAN], tmp_path / "wh" / "imports", "--db", str(db), project=project)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    con.execute(f"attach '{warehouse.db_path}' as seeded (read_only)")
    where = "where unit_code = 'WH-KJJ-XMZX' and fiscal_year = 2024"
    for mart in [*(f"gongkai_{n:02d}" for n in range(1, 10)), "fct_revenue", "fct_expenditure",
                 "fct_basic_expenditure_economic", "fct_sangong", "fct_balances"]:
        cols = "* exclude (derived_columns)" if mart.startswith("gongkai") else "*"
        for a, b in (("juesuan", "seeded"), ("seeded", "juesuan")):
            cur = con.execute(f"select {cols} from {a}.marts.{mart} {where} except all "
                              f"select {cols} from {b}.marts.{mart} {where}")
            names = [d[0] for d in cur.description]
            diff = [dict(zip(names, r)) for r in cur.fetchall()]
            if mart == "fct_balances" and a == "seeded":
                assert sorted(r["balance_kind"] for r in diff) == ["CLOSING", "OPENING"]
                assert {(r["amount"], r["amount_yuan"]) for r in diff} == {(0, 0)}
            else:
                assert diff == [], (mart, a, diff[:5])
    # printed as published: the one figure the extraction truncated is shown from the leaves, and named so
    derived = con.execute(f"select item_name, derived_columns from marts.gongkai_06 {where} "
                          "and derived_columns is not null").fetchall()
    assert derived == [("公用经费合计", "amount")]
    for n in range(1, 10):
        assert con.execute(f"select count(*) from seeded.marts.gongkai_{n:02d} where derived_columns is not null"
                           ).fetchone() == (0,)
    states = dict(con.execute("select cell_state, count(*) from audit.audit_printed_cells group by 1").fetchall())
    assert states == {"number": 167, "blank": 369, "unreadable": 1}
    assert con.execute("select count(*) from audit.audit_printed_cells where difference <> 0").fetchone() == (0,)
    assert con.execute("select derived_amount from audit.audit_printed_cells where cell_state = 'unreadable'"
                       ).fetchone()[0] == Decimal("126.36")
    con.close()


@pytest.mark.slow
def test_a_failed_build_puts_the_import_back(warehouse, tmp_path):
    """When the build after an import fails (here a hand-entered seed row breaks a reconciliation rule), the
    import exits non-zero, the warehouse stays as it was and the imports folder holds what it held before."""
    project = copy_project(tmp_path / "project")
    without_unit_year(project, "WH-KJJ-XMZX", "2024")
    imports = tmp_path / "wh" / "imports"
    db = tmp_path / "wh" / "juesuan.duckdb"
    first = run_import([WUHAN], imports, "--db", str(db), project=project)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    before = {p.name: p.read_bytes() for p in imports.glob("*.parquet")}
    built = db.read_bytes()
    # entered data that does not add up: a 2023 unit-year of another unit whose revenue has no expenditure
    with open(project / "seeds" / "reference" / "ref_unit_years.csv", "a", encoding="utf-8") as f:
        f.write("WH-KJJ-XMZX,2022,CN2024,单位决算,constructed,constructed,full\n")
    with open(project / "seeds" / "amounts" / "amt_revenue.csv", "a", encoding="utf-8") as f:
        f.write("WH-KJJ-XMZX,2022,2060501,GPB,10.00\n")
    again = run_import([WUHAN], imports, "--db", str(db), project=project)
    assert again.returncode != 0
    assert "the import batches were put back" in again.stderr
    assert {p.name: p.read_bytes() for p in imports.glob("*.parquet")} == before
    assert db.read_bytes() == built


@pytest.mark.slow
def test_the_real_pdf_imports_as_a_department_without_members_and_reimports_in_place(tmp_path):
    """The 财政局's 部门决算, published without its members' breakdown: it builds with its own facts (R016 applies
    only where members are known), every code it prints is in the shipped chart (nothing is added), every
    printed figure is kept as printed beside what its leaves give (the differences are the print's own
    尾数误差 of 0.01-0.02, on totals only), and importing it again replaces its batch instead of adding one."""
    project = copy_project(tmp_path / "project")
    imports, db = tmp_path / "wh" / "imports", tmp_path / "wh" / "juesuan.duckdb"
    proc = run_import([SHPT], imports, "--db", str(db), project=project)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "shpt_caizhengju_2024_bumen_juesuan.pdf: 上海市普陀区财政局 (IMP-DAE7287C) 2024 部门决算" in proc.stdout
    assert "layout SH2024; 9 tables, 195 printed figures, 0 unreadable" in proc.stdout
    assert "chart:" not in proc.stdout   # the shipped chart has every code the PDF prints

    def facts(con) -> tuple:
        return con.execute("""
            select (select count(*) from audit.audit_printed_cells),
                   (select count(*) from marts.fct_expenditure where unit_code = 'IMP-DAE7287C'),
                   (select sum(amount) from marts.fct_expenditure where unit_code = 'IMP-DAE7287C')""").fetchone()

    con = duckdb.connect(str(db), read_only=True)
    unit = con.execute("select unit_code, unit_kind from marts.dim_units where unit_name = '上海市普陀区财政局'").fetchone()
    assert unit == ("IMP-DAE7287C", "部门")
    kind = con.execute("select report_kind, template_version from marts.dim_unit_years "
                       "where unit_code = 'IMP-DAE7287C' and fiscal_year = 2024").fetchone()
    assert kind == ("部门决算", "SH2024")
    names = {code: rest for code, *rest in con.execute(
        "select subject_code, subject_name, chart_source, code_source from marts.dim_function_subjects "
        "where subject_code in ('20106', '2010601', '2080506')").fetchall()}
    shipped, pdf = "seeds/reference/ref_function_subjects.csv", "shpt_caizhengju_2024_bumen_juesuan.pdf"
    assert names == {"20106": ["财政事务", shipped, pdf], "2010601": ["行政运行", shipped, pdf],
                     "2080506": ["机关事业单位职业年金缴费支出", shipped, pdf]}
    diffs = con.execute("""select table_no, row_key, column_name, difference from audit.audit_printed_cells
                           where difference <> 0 order by all""").fetchall()
    assert len(diffs) == 25 and {abs(d[3]) for d in diffs} == {Decimal("0.01"), Decimal("0.02")}
    assert {d[1] for d in diffs} <= {"rev_GPB", "class", "income_total", "expenditure_total", "income_grand_total",
                                     "expenditure_grand_total", "total", "econ", "personnel_total", "public_total",
                                     "opening_GPB"}
    # 表1's 208 is printed 326.71; its 款 (and 表2/3/5) give 326.72
    assert ("表1", "class", "expenditure_amount", Decimal("-0.01")) in diffs
    # the marts print the report as published, figure for figure
    printed = con.execute("""select g.expenditure_amount, g.derived_columns from marts.gongkai_01 as g
                             where g.unit_code = 'IMP-DAE7287C' and g.subject_code = '208'""").fetchone()
    assert printed == (Decimal("326.71"), None)
    assert con.execute("""select basic_expenditure from marts.gongkai_03 where unit_code = 'IMP-DAE7287C'
                          and item_name = '合计'""").fetchone() == (Decimal("2336.91"),)
    shown = set(con.execute("""select table_code, side, row_key, subject_code, column_name, amount
                               from audit.audit_report_cells where unit_code = 'IMP-DAE7287C'""").fetchall())
    published = set(con.execute("""select table_code, side, row_key, subject_code, column_name, printed_amount
                                   from audit.audit_printed_cells where cell_state = 'number'""").fetchall())
    assert published <= shown
    before = facts(con)
    con.close()
    assert before[0] == 577 and before[2] == Decimal("2940.06")

    again = run_import([SHPT], imports, "--db", str(db), project=project)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert "build: incremental" in again.stdout
    assert len(list(imports.glob("imp_printed_cells.imp_*.parquet"))) == 1
    con = duckdb.connect(str(db), read_only=True)
    assert facts(con) == before
    con.close()


@pytest.mark.slow
def test_a_unit_the_warehouse_does_not_know_gets_a_stable_code_and_no_department(tmp_path):
    """A 单位决算 of a unit not in ref_units: a stable IMP- code from its printed name, its kind from its own 概况
    (事业单位), no department (none is printed), and the same code when it is imported again."""
    report = tmp_path / "another_unit.txt"
    report.write_text(WUHAN.read_text(encoding="utf-8").replace("武汉市科技项目管理服务中心", "武汉市某测试中心"),
                      encoding="utf-8")
    project = copy_project(tmp_path / "project")
    imports, db = tmp_path / "wh" / "imports", tmp_path / "wh" / "juesuan.duckdb"
    proc = run_import([report], imports, "--db", str(db), project=project)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    code = "IMP-" + __import__("hashlib").sha1("武汉市某测试中心".encode()).hexdigest()[:8].upper()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select unit_code, unit_kind, department_code from marts.dim_units "
                       "where unit_name = '武汉市某测试中心'").fetchone() == (code, "事业单位", None)
    assert con.execute("select income_amount from marts.gongkai_01 where unit_code = ? and line_no = 30",
                       [code]).fetchone() == (Decimal("1553.97"),)
    con.close()
    assert (imports / f"ref_units.imp_unit_{code}.parquet").exists()
