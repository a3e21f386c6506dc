"""A constructed multi-unit, multi-year data set (tests/pytest/fixtures/multi_unit, see its README) appended to
the seeds of a throw-away copy of the project: two layouts, two departments consolidated from their units,
a unit that moves between departments, three consecutive years. Expected figures are computed by hand."""
from __future__ import annotations

import re
import shutil
import sys
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, build_with_fixture, run_dbt

pytestmark = pytest.mark.slow  # builds whole warehouses; ./juesuan test -m "not slow" skips it

FIXTURE = Path(__file__).parent / "fixtures" / "multi_unit"
MARTS = [f"gongkai_{n:02d}" for n in range(1, 10)] + [
    "fct_unit_year_totals", "mart_totals_trend", "mart_expenditure_trend", "mart_expenditure_structure"]


@pytest.fixture(scope="module")
def multi(tmp_path_factory):
    return build_with_fixture(tmp_path_factory.mktemp("multi"), FIXTURE, "multi")


@pytest.fixture(scope="module")
def mcon(multi):
    with multi[1].connect() as c:
        yield c


def one(con, sql, *params):
    return con.execute(sql, list(params)).fetchone()


def test_appended_unit_years_appear_in_every_mart_without_model_changes(mcon):
    """No model was edited: the copy's models/ and macros/ are the repository's."""
    expected = set(mcon.execute(
        "select unit_code, fiscal_year from staging.stg_unit_years where detail_level = 'full'").fetchall())
    assert len(expected) == 15 + 6 + 1  # 5 units × 3 years, 2 departments × 3 years, the real unit
    for mart in MARTS:
        schema = "marts"
        got = set(mcon.execute(f"select distinct unit_code, fiscal_year from {schema}.{mart}").fetchall())
        if mart.startswith("gongkai_") or mart in ("fct_unit_year_totals", "mart_totals_trend"):
            assert expected <= got, (mart, sorted(expected - got))
        else:
            assert {u for u in expected if u[0].startswith("T-")} <= got, mart


@pytest.mark.parametrize("unit, totals", [
    ("T-DEPT-A", {2022: "313.00", 2023: "338.90", 2024: "403.50"}),
    ("T-DEPT-B", {2022: "303.00", 2023: "332.30", 2024: "327.00"}),
    ("T-M", {2022: "33.00", 2023: "41.30", 2024: "45.60"}),
])
def test_department_totals_follow_the_years_membership(mcon, unit, totals):
    got = dict(mcon.execute(
        "select fiscal_year, amount from marts.fct_unit_year_totals "
        "where unit_code = ? and measure_code = 'expenditure_total'", [unit]).fetchall())
    assert got == {y: D(v) for y, v in totals.items()}


def test_department_tables_in_both_layouts(mcon):
    # 乙 (SH2025) 2024 = T-B1 alone (T-M has moved to 甲): 基本 220 + 22 + 15 (事业收入), 项目 70
    assert one(mcon, "select total_expenditure, basic_expenditure, project_expenditure from marts.gongkai_03 "
                     "where unit_code = 'T-DEPT-B' and fiscal_year = 2024 and item_name = '合计'") == \
        (D("327.00"), D("257.00"), D("70.00"))
    # 表1 of SH2025 prints 24 类: 56 lines; 科学技术支出 is line 34
    assert one(mcon, "select count(*), max(line_no) from marts.gongkai_01 "
                     "where unit_code = 'T-DEPT-B' and fiscal_year = 2024") == (56, 56)
    assert one(mcon, "select line_no, item_name, expenditure_amount from marts.gongkai_01 "
                     "where unit_code = 'T-DEPT-B' and fiscal_year = 2024 and subject_code = '206'") == \
        (34, "六、科学技术支出", D("305.00"))
    # 表6 of SH2025 (every 款 printed, zeros included; see test_sh2025_layout_as_real_2025_prints_print_it): the
    # leaves of T-B1 2024 are 30101 219.00, 30108 22.00 (人员经费) and 30201 1.00 (公用经费)
    rows = mcon.execute("select line_no, subject_code, item_name, amount from marts.gongkai_06 "
                        "where unit_code = 'T-B1' and fiscal_year = 2024 and amount <> 0 order by line_no").fetchall()
    assert rows == [(1, "301", "工资福利支出", D("241.00")), (2, "30101", "基本工资", D("219.00")),
                    (7, "30108", "机关事业单位基本养老保险缴费", D("22.00")),
                    (15, "302", "商品和服务支出", D("1.00")), (16, "30201", "办公费", D("1.00")),
                    (66, None, "人员经费合计", D("241.00")), (67, None, "公用经费合计", D("1.00"))]
    # 三公: 甲 2024 in the national layout (one row, 12 columns); 乙 in SH2025 (items as rows)
    assert one(mcon, "select budget_total, budget_official_reception, final_total, final_official_reception "
                     "from marts.gongkai_09 where unit_code = 'T-DEPT-A' and fiscal_year = 2024") == \
        (D("2.00"), D("2.00"), D("1.50"), D("1.50"))
    assert [r[0] for r in mcon.execute("select item_name from marts.gongkai_09 where unit_code = 'T-DEPT-B' "
                                       "and fiscal_year = 2024 order by line_no").fetchall()] == \
        ["合计", "因公出国(境)费", "公务用车购置及运行维护费", "其中：公务用车购置费", "公务用车运行维护费", "公务接待费"]


def test_sh2025_layout_as_real_2025_prints_print_it(mcon):
    """The SH2025 corrections from real 2025 普陀区 部门决算 (ref_template_versions): 表6 lists every 款 of 301,
    302, 303, 310 in that order, zeros included, then 人员经费合计 and 公用经费合计; 表5 prints 合计 last; 表4's
    本年收入合计 and 年初 lines stand beside 本年支出合计 and 年末; an empty 表8/表9 says 本表无数据. 乙 2024 is T-B1
    alone: 一般公共预算 2060501 220.00 + 2080505 22.00 基本, 2060599 70.00 项目; no 政府性基金 or 国有资本经营."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from report.data import load_report
    from report.html import table_view

    report = load_report(mcon, "T-DEPT-B", 2024, narrative=False)
    assert report.template_version == "SH2025"

    # 表6: 类 in the order 301, 302, 303, 310, each followed by its 款; the two totals last
    t6 = report.table("06")
    codes = [r["subject_code"] for r in t6.rows]
    assert [c for c in codes if c and len(c) == 3] == ["301", "302", "303", "310"]
    classes = [c[:3] for c in codes if c]
    assert classes == sorted(classes, key=["301", "302", "303", "310"].index)   # each 款 under its 类
    assert [r["line_no"] for r in t6.rows] == list(range(1, len(t6.rows) + 1))
    assert [(r["item_name"], r["amount"]) for r in t6.rows[-2:]] == \
        [("人员经费合计", D("241.00")), ("公用经费合计", D("1.00"))]
    zero = [r for r in t6.rows if r["amount"] == 0]
    assert len(zero) == len(t6.rows) - 7 and all(r["subject_code"] for r in zero)   # 60 款/类 printed at 0.00
    assert {r["subject_code"][:3]: r["cost_type"] for r in t6.rows if r["subject_code"]} == \
        {"301": "人员经费", "302": "公用经费", "303": "人员经费", "310": "公用经费"}
    # rendered as printed: one list, no 人员经费 / 公用经费 heading rows between the interleaved groups
    body = table_view(report, t6).body
    assert len(body) == len(t6.rows) and not any(c.cls == "group" for cells in body for c in cells)

    # 表5: the subjects (206, 20605, 2060501, 2060599, 208, 20805, 2080505), then 合计
    t5 = report.table("05")
    assert [r["subject_code"] for r in t5.rows] == \
        ["206", "20605", "2060501", "2060599", "208", "20805", "2080505", None]
    assert (t5.rows[-1]["item_name"], t5.rows[-1]["line_no"], t5.rows[-1]["total_expenditure"],
            t5.rows[-1]["basic_expenditure"], t5.rows[-1]["project_expenditure"]) == \
        ("合计", 8, D("312.00"), D("242.00"), D("70.00"))

    # 表4 as rendered: each printed line pairs an income row with the expenditure row beside it
    view = table_view(report, report.table("04"))
    def label_and_line(cells, k):   # 项目 | 行次 | 决算数 (income), 项目 | 行次 | 4 amounts (expenditure)
        return cells[k].text, cells[k + 1].text
    pairs = [(label_and_line(cells, 0), label_and_line(cells, 3)) for cells in view.body]
    assert len(pairs) == 30
    assert pairs[24] == (("本年收入合计", "25"), ("本年支出合计", "55"))
    assert pairs[25] == (("年初财政拨款结转和结余", "26"), ("年末财政拨款结转和结余", "56"))
    assert pairs[29] == (("总计", "30"), ("总计", "60"))
    assert [p[0][1] for p in pairs[26:29]] == ["27", "28", "29"]   # 年初 by fund, beside blank lines
    assert [p[1] for p in pairs[26:29]] == [("", "57"), ("", "58"), ("", "59")]
    t4 = {(r["side"], r["item_name"]): r for r in report.table("04").rows}
    assert (t4[("income", "本年收入合计")]["income_amount"], t4[("expenditure", "本年支出合计")]["expenditure_total"],
            t4[("income", "总计")]["income_amount"], t4[("expenditure", "总计")]["expenditure_total"]) == \
        (D("312.00"),) * 4

    # 表8 / 表9 (mart tables 07 / 08) have no figure: they print 本表无数据 under an empty 合计 row, in the words of
    # the real 2024 print (注：上海市普陀区财政局无政府性基金预算财政拨款支出，故本表无数据。) with this unit's name
    for code, fund in (("07", "政府性基金预算"), ("08", "国有资本经营预算")):
        table = report.table(code)
        assert table.is_empty and table.shows_empty_statement
        assert table.empty_statement == f"注：{report.unit_name}无{fund}财政拨款支出，故本表无数据。"
        assert table_view(report, table).show_empty_statement
    assert not any(report.table(c).shows_empty_statement for c in ("01", "02", "03", "04", "05", "06", "09"))


def test_trends_by_hand(mcon):
    assert one(mcon, "select prior_year_amount, change_amount, growth_rate_pct from marts.mart_totals_trend "
                     "where unit_code = 'T-DEPT-A' and fiscal_year = 2024 and measure_code = 'expenditure_total'") == \
        (D("338.90"), D("64.60"), D("19.1"))
    assert one(mcon, "select growth_rate_pct from marts.mart_totals_trend "
                     "where unit_code = 'T-DEPT-B' and fiscal_year = 2024 and measure_code = 'expenditure_total'") == \
        (D("-1.6"),)
    assert one(mcon, "select growth_rate_pct from marts.mart_totals_trend "
                     "where unit_code = 'T-M' and fiscal_year = 2024 and measure_code = 'expenditure_total'") == \
        (D("10.4"),)
    # 2022 has no prior year
    assert one(mcon, "select prior_year_amount, growth_rate_pct from marts.mart_totals_trend "
                     "where unit_code = 'T-A1' and fiscal_year = 2022 and measure_code = 'expenditure_total'") == \
        (None, None)
    # the subject trend: 甲 2060599 项目 2023 → 2024: 65.00 → 68.00
    assert one(mcon, "select amount, prior_year_amount, growth_rate_pct from marts.mart_expenditure_trend "
                     "where unit_code = 'T-DEPT-A' and fiscal_year = 2024 and subject_code = '2060599'") == \
        (D("68.00"), D("65.00"), D("4.6"))


def test_budget_execution_and_shares_by_hand(mcon):
    rows = dict((r[0], r[1:]) for r in mcon.execute(
        "select coalesce(subject_code, 'total'), budget_amount, final_amount, execution_rate_pct "
        "from marts.mart_budget_execution where unit_code = 'T-A1' and fiscal_year = 2024").fetchall())
    assert rows == {"206": (D("160.00"), D("151.00"), D("94.4")), "208": (D("12.00"), D("12.10"), D("100.8")),
                    "total": (D("172.00"), D("163.10"), D("94.8"))}
    # T-A2 2023 states a 年初预算 for 206 only and spent in 208 too: 206 has its rate, the total none
    partial = dict((r[0], r[1:]) for r in mcon.execute(
        "select coalesce(subject_code, 'total'), budget_amount, final_amount, budget_coverage, execution_rate_pct "
        "from marts.mart_budget_execution where unit_code = 'T-A2' and fiscal_year = 2023").fetchall())
    assert partial == {"206": (D("70.00"), D("65.00"), "complete", D("92.9")),
                       "total": (D("70.00"), D("70.50"), "partial", None)}
    shares = dict(mcon.execute(
        "select item_code, share_pct from marts.mart_expenditure_structure "
        "where unit_code = 'T-DEPT-A' and fiscal_year = 2024 and breakdown = 'expenditure_by_nature'").fetchall())
    assert shares == {"BASIC": D("83.1"), "PROJECT": D("16.9")}


def test_consolidation_rule_fails_when_a_department_cell_is_wrong(multi, tmp_path):
    project, built = multi
    db = tmp_path / "broken.duckdb"
    shutil.copy(built.db_path, db)
    with duckdb.connect(str(db)) as c:
        c.execute("update marts.gongkai_03 set basic_expenditure = basic_expenditure + 1, "
                  "total_expenditure = total_expenditure + 1 "
                  "where unit_code = 'T-DEPT-A' and fiscal_year = 2024 and subject_code = '2080505'")
    run = run_dbt(["build", "--select", "audit_report_cells"], project, db, tmp_path)
    assert run.returncode == 1
    with run.connect() as c:
        rows = c.execute("select unit_code, fiscal_year, table_code, subject_code, column_name, member_units, "
                         "actual_amount, expected_amount, difference from audit.R016_department_consolidation "
                         "order by column_name").fetchall()
    assert rows == [
        ("T-DEPT-A", 2024, "03", "2080505", "basic_expenditure", "T-A1, T-A2, T-A3, T-M",
         D("31.50"), D("30.50"), D("1.00")),
        ("T-DEPT-A", 2024, "03", "2080505", "total_expenditure", "T-A1, T-A2, T-A3, T-M",
         D("31.50"), D("30.50"), D("1.00")),
    ]


def _fixture_members(department: str, year: int) -> list[str]:
    """The members of `department` in `year`, read from the fixture's memberships (from_year … to_year)."""
    import csv
    with open(FIXTURE / "ref_unit_memberships.csv", encoding="utf-8", newline="") as f:
        return sorted(r["unit_code"] for r in csv.DictReader(f) if r["department_code"] == department
                      and int(r["from_year"]) <= year and (not r["to_year"] or year <= int(r["to_year"])))


@pytest.mark.parametrize("department, year", [("T-DEPT-A", 2022), ("T-DEPT-A", 2024), ("T-DEPT-B", 2023),
                                              ("T-DEPT-B", 2024)])
def test_a_department_report_lists_the_years_members(mcon, department, year):
    """第一部分 二 of a 部门决算 lists the units consolidated that year (the unit that moved is listed where it
    was that year), by name; Shanghai heads it 部门决算单位构成, or 机构设置 when the department has one unit."""
    sys.path.insert(0, str(ROOT))
    from scripts.report.data import load_report
    from scripts.report.document import build_document

    expected = _fixture_members(department, year)
    report = load_report(mcon, department, year)
    assert [m["unit_code"] for m in report.members] == expected
    names = dict(mcon.execute("select unit_code, unit_name from marts.dim_units").fetchall())
    assert [m["unit_name"] for m in report.members] == [names[u] for u in expected]
    doc = build_document(report)
    section = doc.parts[0].children[1]
    assert section.drawn  # the member table is drawn under the sentences
    assert section.paragraphs[:2] == [
        f"从预算单位构成看，{report.unit_name}部门决算包括：{report.unit_name}本级决算、下属行政事业单位决算。",
        f"纳入{report.unit_name}{year}年度部门决算编制范围的单位包括："]
    if report.template_version.startswith("SH"):
        assert section.heading == ("二、机构设置" if len(expected) == 1 else "二、部门决算单位构成")
    else:
        assert section.heading == "二、机构设置情况"


def test_a_department_report_prints_its_member_table(mcon, tmp_path):
    sys.path.insert(0, str(ROOT))
    from scripts.report.data import load_report
    from scripts.report.html import render_html

    page = render_html(load_report(mcon, "T-DEPT-A", 2024), tmp_path / "dept.html", font="system").read_text(
        encoding="utf-8")
    table = page[page.index('<table class="plain members"'):]
    table = table[:table.index("</table>")]
    names = dict(mcon.execute("select unit_code, unit_name from marts.dim_units").fetchall())
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td>", table)
    assert rows == [(str(i), names[u]) for i, u in enumerate(_fixture_members("T-DEPT-A", 2024), start=1)]
