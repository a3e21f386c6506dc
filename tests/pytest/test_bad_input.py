"""Bad input gets a clear error naming the file, the row and the rule, and nothing already loaded is lost."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project

sys.path.insert(0, str(ROOT / "scripts"))
from validate_seeds import validate  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
BUILD = [sys.executable, str(ROOT / "scripts" / "build.py")]


def seeds_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", dest)
    return dest


def edit(path: Path, line: int, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line - 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def edit_rows(path: Path, changes: dict[int, dict[str, str]]) -> None:
    """Rewrite a seed CSV with some cells changed: {row index (0 = the first data row): {column: value}}."""
    import csv
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for i, cells in changes.items():
        rows[i].update(cells)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_shipped_seeds_are_clean():
    assert validate(ROOT / "seeds") == []


def test_bad_amount_is_named_by_file_row_and_rule(tmp_path):
    seeds = seeds_copy(tmp_path)
    edit(seeds / "amounts" / "amt_revenue.csv", 4, "WH-KJJ-XMZX,2024,2080505,GPB,66.5.7")
    [problem] = validate(seeds)
    assert (problem.path.name, problem.line, problem.rule) == ("amt_revenue.csv", 4, "money_format")
    assert "66.5.7" in str(problem) and "amt_revenue.csv:4:" in str(problem)


def test_an_accepted_finding_names_a_rule_of_the_registry_once(tmp_path):
    """ref_accepted_findings: an unknown rule, a finding accepted twice and a date that is not one are each named
    by file, row and rule before anything is loaded."""
    seeds = seeds_copy(tmp_path)
    with open(seeds / "audit" / "ref_accepted_findings.csv", "a", encoding="utf-8") as f:
        f.write("N999,IMP-DAE7287C,2024,N999 第21页第14行 x,印刷错误,审计组,2026-12-01\n"
                "N001,IMP-DAE7287C,2024,N001 第21页第14行 x,印刷错误,审计组,2026-12-01\n"
                "N001,IMP-DAE7287C,2024,N001 第21页第14行 x,印刷错误,审计组,2026-12-01\n"
                "N002,IMP-DAE7287C,2024,N002 第21页第24行 y,印刷错误,审计组,12/01/2026\n")
    found = {(p.path.name, p.line, p.rule) for p in validate(seeds)}
    assert found == {("ref_accepted_findings.csv", 2, "known_rule"), ("ref_accepted_findings.csv", 4, "unique_key"),
                     ("ref_accepted_findings.csv", 5, "date_format")}


def test_a_table_layout_names_its_orientation_and_how_it_prints_codes(tmp_path):
    """ref_report_tables: an orientation that is not portrait/landscape, a missing one, a code style that is
    not spanned/split/single, level columns without their levels, a fit that is not page/width and a missing one
    are each named by file, row and rule."""
    seeds = seeds_copy(tmp_path)
    edit_rows(seeds / "templates" / "ref_report_tables.csv", {
        1: {"orientation": "sideways"},   # line 3: CN2024 02
        2: {"code_columns": "diagonal"},  # line 4: CN2024 03
        3: {"orientation": ""},           # line 5: CN2024 04
        4: {"code_levels_zh": ""},        # line 6: CN2024 05, spanned without levels
        5: {"fit": "squeeze"},            # line 7: CN2024 06
        6: {"fit": ""}})                  # line 8: CN2024 07
    found = {(p.path.name, p.line, p.rule) for p in validate(seeds)}
    assert found == {("ref_report_tables.csv", 3, "accepted_value"), ("ref_report_tables.csv", 4, "accepted_value"),
                     ("ref_report_tables.csv", 5, "required"), ("ref_report_tables.csv", 6, "required"),
                     ("ref_report_tables.csv", 7, "accepted_value"), ("ref_report_tables.csv", 8, "required")}


def test_a_document_outline_names_its_levels_and_contents(tmp_path):
    """ref_report_outline: a level that is not cover/toc/part/section/subsection, a content kind no renderer
    knows and an item without a heading are each named by file, row and rule; so are a glossary term without its
    definition and a glossary entry of a kind no renderer knows (ref_glossary_terms)."""
    seeds = seeds_copy(tmp_path)
    edit_rows(seeds / "templates" / "ref_report_outline.csv", {
        2: {"level": "chapter"},          # line 4: CN2024 第一部分
        3: {"content_kind": "poem"},      # line 5: CN2024 一、主要职责
        4: {"title_zh": ""}})             # line 6: CN2024 二、机构设置情况
    edit_rows(seeds / "templates" / "ref_glossary_terms.csv", {
        0: {"definition_zh": ""},         # line 2: CN2024's first term, without its definition
        1: {"entry_kind": "footnote"}})   # line 3
    found = {(p.path.name, p.line, p.rule) for p in validate(seeds)}
    assert found == {("ref_report_outline.csv", 4, "accepted_value"), ("ref_report_outline.csv", 5, "accepted_value"),
                     ("ref_report_outline.csv", 6, "required"), ("ref_glossary_terms.csv", 2, "required"),
                     ("ref_glossary_terms.csv", 3, "accepted_value")}


def test_an_outline_naming_an_unknown_section_fails_to_render_by_name():
    sys.path.insert(0, str(ROOT))
    from scripts.report.data import Report
    from scripts.report.document import build_document

    report = Report("U", "某单位", "事业单位", "单位决算", 2024, "CN2024")
    report.outline = [{"item_order": 7, "level": "part", "number_zh": "第一部分", "title_zh": "概况",
                       "toc_title_zh": "概况", "content_kind": "narrative", "content_key": "weather",
                       "chart_no": None, "placeholder_zh": None}]
    with pytest.raises(ValueError, match=r"ref_report_outline\.csv, layout CN2024 item 7: no narrative section "
                                         r"'weather'; known: overview"):
        build_document(report)


def test_three_decimals_and_blank_amounts_are_refused(tmp_path):
    seeds = seeds_copy(tmp_path)
    edit(seeds / "amounts" / "amt_expenditure.csv", 2, "WH-KJJ-XMZX,2024,2060501,GPB,BASIC,821.934")
    edit(seeds / "amounts" / "amt_expenditure.csv", 3, "WH-KJJ-XMZX,2024,2060599,GPB,PROJECT,")
    assert [(p.line, p.rule) for p in validate(seeds)] == [(2, "money_format"), (3, "amount_required")]


def test_an_amount_unit_is_wan_yuan_or_yuan_and_a_wan_yuan_leaf_fits_the_exact_type(tmp_path):
    """ref_unit_years.amount_unit: 万元, blank or 元, nothing else (千元 is named by file, row and rule); a leaf in
    万元 of 10^12 or more cannot be summed as exact 万元 (DECIMAL(18,6)), while the same digits in 元 can."""
    seeds = seeds_copy(tmp_path)
    edit(seeds / "reference" / "ref_unit_years.csv", 3,
         "WH-KJJ-XMZX,2024,CN2024,单位决算,000_421607ae11f0bf0a.txt,published,full,千元")
    edit(seeds / "amounts" / "amt_expenditure.csv", 2, "WH-KJJ-XMZX,2024,2060501,GPB,BASIC,1000000000000.00")
    found = [(p.path.name, p.line, p.rule) for p in validate(seeds)]
    assert found == [("ref_unit_years.csv", 3, "amount_unit"), ("amt_expenditure.csv", 2, "amount_bound")]
    assert "千元" in str(validate(seeds)[0])
    edit(seeds / "reference" / "ref_unit_years.csv", 3,
         "WH-KJJ-XMZX,2024,CN2024,单位决算,000_421607ae11f0bf0a.txt,published,full,元")
    assert validate(seeds) == []


def test_fact_must_be_booked_on_a_leaf_subject_of_a_known_unit_year(tmp_path):
    seeds = seeds_copy(tmp_path)
    edit(seeds / "amounts" / "amt_expenditure.csv", 2, "WH-KJJ-XMZX,2024,20605,GPB,BASIC,821.93")
    edit(seeds / "amounts" / "amt_expenditure.csv", 4, "WH-KJJ-XMZX,2023,2080505,GPB,BASIC,66.57")
    edit(seeds / "amounts" / "amt_basic_expenditure_economic.csv", 2, "WH-KJJ-XMZX,2024,GPB,301,207.94")
    found = {(p.path.name, p.line, p.rule) for p in validate(seeds)}
    assert found == {
        ("amt_expenditure.csv", 2, "leaf_function_subject"),
        ("amt_expenditure.csv", 4, "known_unit_year"),
        ("amt_basic_expenditure_economic.csv", 2, "leaf_economic_subject"),
    }


def test_duplicate_fact_rows_are_refused(tmp_path):
    seeds = seeds_copy(tmp_path)
    path = seeds / "amounts" / "amt_sangong.csv"
    path.write_text(path.read_text(encoding="utf-8") + "WH-KJJ-XMZX,2024,BUDGET,RECEPTION,2.00\n", encoding="utf-8")
    [problem] = validate(seeds)
    assert (problem.line, problem.rule) == (3, "unique_key") and "line 2" in problem.message


def test_a_chart_row_has_its_parent_its_level_its_source_and_its_cost_type(tmp_path):
    """ref_function_subjects / ref_economic_subjects: a code's level is its length's (类 3, 款 5, 项 7), its
    parent is the code one level up and in the chart, its source is not empty, and an economic 款 has its 类's
    cost type (the 类 row's own: 310 is 公用经费 in the chart); each broken row is named by file, row and rule."""
    seeds = seeds_copy(tmp_path)
    with open(seeds / "reference" / "ref_function_subjects.csv", "a", encoding="utf-8") as f:
        f.write("2130201,行政运行,项,21302,,test\n"     # parent not in the chart
                "21301,农业农村,项,213,,test\n"          # a 5-digit code is a 款
                "2060502,一般行政管理事务,项,206,,test\n"  # parent is not the code one level up
                "2060503,机关服务,项,20605,,\n"             # no source
                "209,类,类,201,,test\n")                    # a 类 has no parent
    with open(seeds / "reference" / "ref_economic_subjects.csv", "a", encoding="utf-8") as f:
        f.write("30305x,生活补助,款,303,人员经费,test\n"   # not a code of its level
                "31005,基础设施建设,款,310,人员经费,test\n")  # 310 is 公用经费
    chart = {(p.path.name, p.line, p.rule) for p in validate(seeds) if p.rule.startswith("chart_")}
    function, economic = (sum(1 for _ in open(seeds / "reference" / name, encoding="utf-8")) - 1
                          for name in ("ref_function_subjects.csv", "ref_economic_subjects.csv"))
    assert chart == {
        ("ref_function_subjects.csv", function - 3, "chart_parent"),
        ("ref_function_subjects.csv", function - 2, "chart_level"),
        ("ref_function_subjects.csv", function - 1, "chart_parent"),
        ("ref_function_subjects.csv", function, "chart_source"),
        ("ref_function_subjects.csv", function + 1, "chart_parent"),
        ("ref_economic_subjects.csv", economic, "chart_level"),
        ("ref_economic_subjects.csv", economic + 1, "chart_cost_type"),
    }


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_on_a_copy(warehouse, project: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path, str]:
    """scripts/build.py of `project` onto a copy of the session warehouse, alone in its folder: the run, the
    copy, and the copy's digest before the build."""
    db = tmp_path / "wh" / "juesuan.duckdb"
    db.parent.mkdir()
    shutil.copy(warehouse.db_path, db)
    before = digest(db)
    proc = subprocess.run([*BUILD, "--project-dir", str(project), "--db", str(db)], capture_output=True, text=True)
    return proc, db, before


@pytest.mark.slow
def test_invalid_seed_stops_the_build_before_dbt_and_keeps_the_warehouse(warehouse, tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "seeds" / "amounts" / "amt_revenue.csv", 2, "WH-KJJ-XMZX,2024,2060501,GPB,八百")
    proc, db, before = build_on_a_copy(warehouse, project, tmp_path)
    assert proc.returncode == 1
    assert "amt_revenue.csv:2: [money_format]" in proc.stderr and "not touched" in proc.stderr
    assert digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["juesuan.duckdb"]


@pytest.mark.slow
def test_a_project_dbt_cannot_parse_stops_the_build_and_keeps_the_warehouse(warehouse, tmp_path):
    """dbt stops at parsing, before it opens any warehouse file: build.py says so and leaves no files behind."""
    project = copy_project(tmp_path / "project")
    yml = project / "models" / "intermediate" / "int_template_cells.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("  data_tests:\n", "  data_tests:\n    - [\n", 1),
                   encoding="utf-8")
    proc, db, before = build_on_a_copy(warehouse, project, tmp_path)
    assert proc.returncode != 0
    assert "int_template_cells.yml" in proc.stdout  # dbt's parsing error names the file
    assert "before it wrote anything" in proc.stderr and "Traceback" not in proc.stderr
    assert digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["juesuan.duckdb"]


@pytest.mark.slow
def test_failed_reconciliation_keeps_the_previous_warehouse(warehouse, tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copy(FIXTURES / "broken_econ_detail" / "amt_basic_expenditure_economic.csv",
                project / "seeds" / "amounts" / "amt_basic_expenditure_economic.csv")
    proc, db, before = build_on_a_copy(warehouse, project, tmp_path)
    assert proc.returncode != 0
    assert digest(db) == before, "the previous warehouse must not be touched by a failed build"
    assert (db.parent / "juesuan.failed.duckdb").exists()
    # the failing rows are printed: rule, unit, year, the cells, expected, actual and difference
    assert "R010_gongkai05_vs_06" in proc.stderr
    assert "WH-KJJ-XMZX" in proc.stderr and "-10.00" in proc.stderr and "基本支出" in proc.stderr
