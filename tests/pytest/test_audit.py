"""The audit of published reports (audit.findings, audit.checklist): the real documents give their golden
findings and no false error; each broken copy of the seed document fails its rule with the finding that names
the broken cell or sentence; the rounding band; an accepted finding; a cross-year change. One warehouse holds
them all (one import, one build): the build never fails because a published report is inconsistent."""
from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import ROOT, SOURCE_DOCUMENTS, copy_project
from test_import_cli import without_unit_year

WUHAN = SOURCE_DOCUMENTS / "000_421607ae11f0bf0a.txt"
SHPT = SOURCE_DOCUMENTS / "shpt_caizhengju_2024_bumen_juesuan.pdf"
FIXTURES = ROOT / "tests" / "fixtures" / "audit"
BROKEN = yaml.safe_load((FIXTURES / "broken_wuhan.yml").read_text(encoding="utf-8"))
GOLDEN = FIXTURES / "golden_findings.csv"
UNIT_NAME = "武汉市科技项目管理服务中心"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not WUHAN.exists() or not SHPT.exists(), reason="shared source documents missing")]


def unit_code(name: str) -> str:
    return "IMP-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8].upper()


def broken_copy(variant: str, spec: dict, dest: Path) -> Path:
    """The seed document with the variant's edits, under a unit name of its own."""
    text = WUHAN.read_text(encoding="utf-8")
    for edit in spec["edits"]:
        start = text.index(edit["after"])
        at = text.index(edit["old"], start)
        text = text[:at] + edit["new"] + text[at + len(edit["old"]):]
    path = dest / f"{variant}.txt"
    path.write_text(text.replace(UNIT_NAME, f"武汉市审计样本{variant}"), encoding="utf-8")
    return path


def next_year_copy(dest: Path) -> list[Path]:
    """The seed document as the 2024 report of a unit and, unchanged but for its years, as the same unit's 2025
    report: the 2025 narrative's changes (增加130.03万元) then disagree with the warehouse's 2024 tables (N007)."""
    text = WUHAN.read_text(encoding="utf-8").replace(UNIT_NAME, "武汉市审计样本跨年")
    (dest / "cross_2024.txt").write_text(text, encoding="utf-8")
    later = text.replace("2024", "2025").replace("2023年度", "2024年度")
    (dest / "cross_2025.txt").write_text(later, encoding="utf-8")
    return [dest / "cross_2024.txt", dest / "cross_2025.txt"]


def without_narrative_copy(dest: Path) -> Path:
    """The seed document cut before its 第三部分 情况说明: tables only."""
    text = WUHAN.read_text(encoding="utf-8").replace(UNIT_NAME, "武汉市审计样本无说明")
    path = dest / "no_narrative.txt"
    path.write_text(text[:text.rindex("第三部分")], encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def audited_db(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("audit")
    project = copy_project(work / "project")
    without_unit_year(project, "WH-KJJ-XMZX", "2024")
    # an auditor has accepted the 财政局's 0.3万元 (N001): it stays listed, as accepted
    with open(project / "seeds" / "audit" / "ref_accepted_findings.csv", "a", encoding="utf-8") as f:
        f.write("N001,IMP-DAE7287C,2024,N001 第21页第14行 财政拨款收入支出总计,印刷错误：应为2961.68万元（表4 收入总计），已告知单位,审计组,2026-12-01\n")
    docs = work / "docs"
    docs.mkdir()
    files = [WUHAN, SHPT, *(broken_copy(v, s, docs) for v, s in BROKEN.items()), *next_year_copy(docs), without_narrative_copy(docs)]
    db = work / "wh" / "juesuan.duckdb"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "import_report.py"), *map(str, files),
                           "--imports", str(work / "wh" / "imports"), "--db", str(db), "--project-dir", str(project)],
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return db


@pytest.fixture(scope="module")
def audited(audited_db) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(audited_db), read_only=True)
    yield con
    con.close()


def findings(con, unit: str, *where: str) -> list[dict]:
    cur = con.execute("select * from audit.findings where unit_code = ? " + "".join(f" and {w}" for w in where)
                      + " order by rule_id, finding_key", [unit])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


# ------------------------------------------------------------------------------------------ the real documents

def golden() -> dict[str, set[tuple]]:
    with open(GOLDEN, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f)]
    out: dict[str, set[tuple]] = {}
    for r in rows:
        out.setdefault(r["unit_code"], set()).add((r["rule_id"], r["finding_key"], r["outcome"], r["severity"]))
    return out


@pytest.mark.parametrize("unit", ["WH-KJJ-XMZX", "IMP-DAE7287C"])
def test_the_real_documents_give_their_golden_findings(audited, unit):
    """Every finding of the two real reports is in the golden list, where each is explained (true defect of the
    print, 尾数误差, unreadable cell), and every golden finding is found."""
    found = {(f["rule_id"], f["finding_key"], f["outcome"], f["severity"]) for f in findings(audited, unit)}
    assert found == golden()[unit]


def test_no_error_on_the_real_documents_but_their_true_defects(audited):
    """The errors of the two real reports are the 财政局's three narrative defects, and nothing else: the 0.3万元
    财政拨款收入支出总计 (表4 prints 2961.68), the 71.73% share (2106.66 / 2940.05 is 71.65%) and the shares that
    therefore add up to 100.07%."""
    errors = audited.execute("""select unit_code, rule_id, printed_amount, expected_amount, printed_value
                                from audit.findings where severity = 'error' and unit_code in
                                ('WH-KJJ-XMZX', 'IMP-DAE7287C') order by rule_id""").fetchall()
    assert [(e[0], e[1]) for e in errors] == [("IMP-DAE7287C", "N001"), ("IMP-DAE7287C", "N002"),
                                              ("IMP-DAE7287C", "N003")]
    n001, n002, n003 = errors
    assert (str(n001[2]), str(n001[3])) == ("0.30", "2961.68")
    assert n002[4] == "71.73%" and n003[4] == "100.07%"
    message = audited.execute("select message_zh from audit.findings where rule_id = 'N002' and unit_code = "
                              "'IMP-DAE7287C'").fetchone()[0]
    assert "写占71.73%" in message and "71.6539%" in message and "第21页" in message


def test_rounding_differences_are_info_and_listed(audited):
    """The 财政局's printed totals that differ from the sum of their printed rows by 0.01–0.02 are 尾数误差: info,
    each listed with its band, never an error."""
    rounding = audited.execute("""select rule_id, difference, rounding_band, severity from audit.findings
                                  where unit_code = 'IMP-DAE7287C' and outcome = 'rounding' order by all""").fetchall()
    assert len(rounding) == 11 and {r[3] for r in rounding} == {"info"}
    assert all(abs(r[1]) <= r[2] for r in rounding if r[2] is not None)
    assert ("R002", -0.02) in {(r[0], float(r[1])) for r in rounding}   # 表6 302 171.07 vs its 款 171.09


def test_the_checklist_shows_every_rule_with_its_outcome(audited):
    """Per report, every rule of the registry once, with pass / fail / insufficient_data / not_applicable: the
    seed document's unreadable 公用经费合计 makes R010, R011 and N001 insufficient_data, not pass."""
    rules = audited.execute("select count(*) from seeds.ref_reconciliation_rules").fetchone()[0]
    rows = dict(audited.execute("select rule_id, outcome from audit.checklist where unit_code = 'WH-KJJ-XMZX'").fetchall())
    assert len(rows) == rules
    assert {r: rows[r] for r in ("R010", "R011", "N001", "P004")} == {
        "R010": "insufficient_data", "R011": "insufficient_data", "N001": "insufficient_data", "P004": "insufficient_data"}
    assert rows["R001"] == "pass" and rows["R016"] == "not_applicable" and rows["R012"] == "not_applicable"
    # a rule on the report as a whole counts what it looked at: every printed cell for P004, one of them unreadable
    printed = audited.execute("select count(*) from staging.stg_printed_cells where unit_code = 'WH-KJJ-XMZX'").fetchone()[0]
    assert audited.execute("""select checks, passed, insufficient from audit.checklist
                              where unit_code = 'WH-KJJ-XMZX' and rule_id = 'P004'""").fetchone() == (printed, printed - 1, 1)
    # Shanghai's headings print neither a year nor a unit: nothing for P002/P006 to look at, and it says so
    assert audited.execute("""select rule_id, outcome, note_zh from audit.checklist where unit_code = 'IMP-DAE7287C'
                              and rule_id in ('P002', 'P006') order by rule_id""").fetchall() == [
        ("P002", "not_applicable", "表头未印年度"), ("P006", "not_applicable", "表头未印单位名称")]
    sh = dict(audited.execute("select rule_id, outcome from audit.checklist where unit_code = 'IMP-DAE7287C'").fetchall())
    assert sh["N001"] == "fail" and sh["R003"] == "pass" and sh["R016"] == "insufficient_data"
    assert set(sh.values()) <= {"pass", "fail", "insufficient_data", "not_applicable"}


def test_a_report_whose_narrative_was_not_found_is_not_called_checked(audited):
    """No 情况说明 read: every narrative rule is insufficient_data, saying why, never pass or not_applicable."""
    rows = audited.execute("""select rule_id, outcome, note_zh from audit.checklist c
                              join seeds.ref_reconciliation_rules r using (rule_id)
                              where c.unit_code = ? and r.check_kind = 'narrative'""",
                           [unit_code("武汉市审计样本无说明")]).fetchall()
    assert len(rows) == 8 and {r[1] for r in rows} == {"insufficient_data"}
    assert all(r[2].startswith("未识别出情况说明") for r in rows)


def test_an_accepted_finding_stays_listed_as_accepted(audited):
    [f] = findings(audited, "IMP-DAE7287C", "rule_id = 'N001'")
    assert (f["status"], f["accepted_by"]) == ("accepted", "审计组") and "2961.68" in f["accepted_reason"]
    assert audited.execute("""select open_findings, accepted_findings from audit.checklist
                              where unit_code = 'IMP-DAE7287C' and rule_id = 'N001'""").fetchone() == (0, 1)
    assert {f["status"] for f in findings(audited, "IMP-DAE7287C", "rule_id <> 'N001'")} == {"open"}


# ------------------------------------------------------------------------------------------ broken copies

@pytest.mark.parametrize("variant", sorted(BROKEN))
def test_a_broken_copy_fails_its_rule_naming_the_cell(audited, variant):
    spec = BROKEN[variant]
    expect = spec["expect"]
    unit = unit_code(f"武汉市审计样本{variant}")
    assert audited.execute("select count(*) from marts.dim_unit_years where unit_code = ?", [unit]).fetchone() == (1,)
    # what the copy has of the rule that the real document has not (its 公用经费合计 is unreadable there too)
    original = {(f["finding_key"], f["outcome"]) for f in findings(audited, "WH-KJJ-XMZX", f"rule_id = '{spec['rule']}'")}
    found = [f for f in findings(audited, unit, f"rule_id = '{spec['rule']}'")
             if (f["finding_key"], f["outcome"]) not in original]
    assert len(found) == expect["count"], (spec["why"], found)
    for f in found:
        assert f["outcome"] == expect.get("outcome", "fail") and f["severity"] == expect["severity"]
        text = " ".join(str(f[k]) for k in ("message_zh", "row_label", "actual_cells", "expected_cells", "printed_value")
                        if f[k] is not None)
        assert expect["names"] in text, (spec["why"], f)
        if "likely_cause" in expect:
            assert f["likely_cause"] == expect["likely_cause"]
    # the same rule passes on the real document
    assert not findings(audited, "WH-KJJ-XMZX", f"rule_id = '{spec['rule']}'", "severity = 'error'")


def test_the_sangong_items_of_the_narrative_are_checked_against_the_table(audited):
    """The 三公 sentence's items (因公出国(境)费, 公务用车购置及运行维护费, 公务接待费: their 决算 and 预算) are bound to
    their cells of the 三公 table, whatever its layout prints them as (a column of its 合计 row in 公开09表 and SH2024
    表7): the 财政局's three items, 0.00 each, pass against 表7; the broken copy's 公务接待费预算 2 fails against the
    1.00 of 公开09表, and its items that agree pass."""
    def checks(unit: str) -> dict[str, tuple[str, str, str]]:
        rows = audited.execute("select c.measure, k.outcome, cast(k.printed_amount as varchar), "
                               "cast(k.expected_amount as varchar) from intermediate.int_narrative_checks as k "
                               "join staging.stg_narrative_claims as c using (unit_code, fiscal_year, claim_no) "
                               "where k.unit_code = ? and k.rule_id = 'N001' and c.measure like 'sangong%'",
                               [unit]).fetchall()
        return {m: (o, p, e) for m, o, p, e in rows}

    assert checks("IMP-DAE7287C") == {
        "sangong": ("pass", "0.00", "0.00"), "sangong_budget": ("pass", "0.95", "0.95"),
        "sangong_outbound_travel": ("pass", "0.00", "0.00"), "sangong_vehicle": ("pass", "0.00", "0.00"),
        "sangong_reception": ("pass", "0.00", "0.00")}
    assert checks(unit_code("武汉市审计样本N001_sangong_item")) == {
        "sangong": ("pass", "0.00", "0.00"), "sangong_budget": ("pass", "1.00", "1.00"),
        "sangong_outbound_travel": ("pass", "0.00", "0.00"), "sangong_reception": ("pass", "0.00", "0.00"),
        "sangong_reception_budget": ("fail", "2.00", "1.00")}


def test_a_band_of_two_terms_holds_001_not_002(audited):
    """0.01 over a sum of two printed terms is 尾数误差 (info); 0.02 is an error: 0.005 × (2 + 1) = 0.015."""
    small = findings(audited, unit_code("武汉市审计样本band_001_two_terms"), "severity = 'error'")
    assert small == []
    large = findings(audited, unit_code("武汉市审计样本band_002_two_terms"), "rule_id = 'R004'", "severity = 'error'")
    assert [(str(f["difference"]), str(f["rounding_band"])) for f in large] == [("0.02", "0.015")]


def test_a_change_is_checked_against_the_year_before_when_the_warehouse_holds_it(audited):
    """The same unit's 2025 report printed the same figures as its 2024 one: the 2025 narrative's 增加130.03万元
    (收、支总计 and the other totals) is not what the two years' tables give (0.00), and N007 says so; its 2024
    report, whose year before the warehouse does not hold, is not checked against one."""
    unit = unit_code("武汉市审计样本跨年")
    assert not findings(audited, unit, "rule_id = 'N007'", "fiscal_year = 2024")
    found = findings(audited, unit, "rule_id = 'N007'", "fiscal_year = 2025")
    assert len(found) == 6 and {f["severity"] for f in found} == {"error"}
    assert all(f["printed_amount"] == 130.03 or str(f["printed_amount"]) == "130.03" for f in found)
    assert {str(f["expected_amount"]) for f in found} == {"0.00"}
    assert not findings(audited, "WH-KJJ-XMZX", "rule_id = 'N007'")   # its 2023 is a summary: not checked



# ------------------------------------------------------------------------------------------ the audit report

def test_the_audit_report_is_written_per_report_and_for_the_batch(audited_db, audited, tmp_path):
    """render_report.py --audit: per imported report an HTML page (findings linked to their table and PDF page,
    the checklist) and an xlsx (问题清单, 核对清单), and audit_summary.html/.xlsx over all of them."""
    import openpyxl

    out = tmp_path / "audit"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "render_report.py"), "--audit", "--all",
                           "--format", "html", "--format", "xlsx", "--out", str(out), "--db", str(audited_db)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    reports = audited.execute("select count(distinct (unit_code, fiscal_year)) from audit.checklist").fetchone()[0]
    assert len(list(out.glob("*_audit.html"))) == len(list(out.glob("*_audit.xlsx"))) == reports == len(BROKEN) + 5
    page = (out / "IMP-DAE7287C_2024_audit.html").read_text(encoding="utf-8")
    assert 'data-rule="N001"' in page and "shpt_caizhengju_2024_bumen_juesuan.pdf#page=21" in page
    assert 'href="IMP-DAE7287C_2024.html#table-06"' in page            # R002 on 表6, linked to the rendered table
    assert "错误（待处理）：2" in page and "已确认：1" in page          # N001 is accepted in this warehouse
    assert page.count('<tr data-rule="') == audited.execute("select count(*) from seeds.ref_reconciliation_rules").fetchone()[0]
    wb = openpyxl.load_workbook(out / "IMP-DAE7287C_2024_audit.xlsx")
    assert wb.sheetnames == ["问题清单", "核对清单"]
    findings_sheet = wb["问题清单"]
    assert findings_sheet.max_row - 1 == audited.execute(
        "select count(*) from audit.findings where unit_code = 'IMP-DAE7287C'").fetchone()[0]
    assert [c.value for c in findings_sheet[2]][:4] == ["错误", "待处理", "N002", "不通过"]
    summary = openpyxl.load_workbook(out / "audit_summary.xlsx")
    assert summary["按报告"].max_row - 1 == reports
    by_rule = {r[0].value: r for r in summary["按规则"].iter_rows(min_row=2)}
    assert by_rule["N001"][3].value >= 2            # the 财政局 (accepted) and the broken N001 copy fail N001


# ------------------------------------------------------------------- the imported report, rendered as printed

def _pdf_pages(path: Path) -> list[tuple[str, tuple[float, float]]]:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    return [(re.sub(r"\s+", "", pdf[i].get_textpage().get_text_range()), pdf[i].get_size()) for i in range(len(pdf))]


@pytest.mark.skipif(not __import__("shutil").which("chromium"), reason="headless chromium not installed")
def test_the_imported_shanghai_report_renders_as_the_print(audited, tmp_path):
    """The 普陀区财政局 report, imported, rendered again in its layout (SH2024): our 目录 is the print's, line for
    line (第一部分 一、主要职能 二、部门决算单位构成 … 十一、其他重要事项说明, 第四部分 名词解释), the tables in the
    print's order (表7 三公 before 表8), each starting on a page of the print's orientation for that table."""
    sys.path.insert(0, str(ROOT))
    from scripts.report.data import load_report
    from scripts.report.html import render_html, render_pdf

    unit = unit_code("上海市普陀区财政局")
    report = load_report(audited, unit, 2024)
    assert report.template_version == "SH2024" and report.report_kind == "部门决算"
    html = render_html(report, tmp_path / "shpt.html", font="system")
    pages = _pdf_pages(render_pdf(html, tmp_path / "shpt.pdf"))
    printed = _pdf_pages(SHPT)
    # the 目录: the print's pages 2-3 from 第一部分 to 第四部分 名词解释
    toc = re.search(r'<nav class="toc" id="toc">(.*?)</nav>', html.read_text(encoding="utf-8"), re.S).group(1)
    ours = [re.sub(r"\s+", "", a) for a in re.findall(r"<a [^>]*>([^<]+)</a>", toc)]
    theirs = printed[1][0] + printed[2][0]
    assert "".join(ours) == theirs[theirs.index("第一部分"):]
    # each table's first page: the print's orientation
    for table in report.tables:
        ours_at = next(i for i, (text, _) in enumerate(pages) if f"{report.fiscal_year}年度{table.title}" in text
                       and table.printed_table_no in text)
        theirs_at = next(i for i, (text, _) in enumerate(printed) if i > 3 and text.startswith(table.title)
                         or f"决算表{table.title}" in text[:60])
        (w, h), (pw, ph) = pages[ours_at][1], printed[theirs_at][1]
        assert (w > h) == (pw > ph), (table.printed_table_no, table.title)
    assert [t.printed_table_no for t in report.tables] == [f"表{n}" for n in range(1, 10)]
    # 第四部分 名词解释 as the print's last page, entry by entry (SH2024's dim_glossary_terms)
    page = html.read_text(encoding="utf-8")
    head = "第四部分 名词解释</h2>"
    glossary = page[page.index(head) + len(head):page.index("</body>")]
    assert "第四部分名词解释" + re.sub(r"<[^>]+>|\s+", "", glossary) == printed[-1][0]
