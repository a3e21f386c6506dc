"""Leaf facts entered in 元 (ref_unit_years.amount_unit = 元): summed in 元, each printed 万元 cell rounded on its
own, half away from zero, as the official software prints them, 尾数误差 included; the reconciliation rules allow
the rounding band for such unit-years only. Fixture: tests/pytest/fixtures/yuan_unit (see its README), appended
to the shipped seeds, so the seed unit (entered in 万元) is in the same warehouse and is still checked exactly.

Expected figures are computed here from the fixture's 元 leaves with Python's Decimal (ROUND_HALF_UP is half away
from zero), independently of the SQL."""
from __future__ import annotations

import csv
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import build_with_fixture
from test_reconciliation_rules import rerun_rules

pytestmark = pytest.mark.slow  # builds a whole warehouse; ./juesuan test -m "not slow" skips it

FIXTURE = Path(__file__).parent / "fixtures" / "yuan_unit"
MEMBERS = {"T-Y1": ["T-Y1"], "T-Y2": ["T-Y2"], "T-YD": ["T-Y1", "T-Y2"]}


def leaves(name: str) -> list[dict[str, str]]:
    with (FIXTURE / f"{name}.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def printed(yuan: Decimal) -> Decimal:
    """One printed cell: the exact sum in 元 to 万元, rounded half away from zero to 0.01."""
    return (yuan / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def expenditure_yuan(unit: str, prefix: str = "", expenditure_type: str | None = None) -> Decimal:
    return sum((Decimal(r["amount"]) for r in leaves("amt_expenditure")
                if r["unit_code"] in MEMBERS[unit] and r["subject_code"].startswith(prefix)
                and expenditure_type in (None, r["expenditure_type"])), Decimal(0))


@pytest.fixture(scope="module")
def yuan(tmp_path_factory):
    work = tmp_path_factory.mktemp("yuan")
    return work, build_with_fixture(work, FIXTURE, "yuan")[1]


@pytest.fixture(scope="module")
def ycon(yuan):
    with yuan[1].connect() as c:
        yield c


def test_every_printed_cell_is_the_exact_sum_rounded_on_its_own(ycon):
    for unit in MEMBERS:
        rows = dict(ycon.execute("select coalesce(subject_code, '合计'), total_income from marts.gongkai_02 "
                                 "where unit_code = ? and fiscal_year = 2024", [unit]).fetchall())
        for code in ["206", "20605", "2060501", "2060599", "208", "20805", "2080505"]:
            expected = printed(expenditure_yuan(unit, code))
            assert rows.get(code, Decimal("0.00")) == expected, (unit, code)
        assert rows["合计"] == printed(expenditure_yuan(unit)), unit
    # the figures the fixture was made for, as they print
    t_y1 = dict(ycon.execute("select coalesce(subject_code, '合计'), total_income from marts.gongkai_02 "
                             "where unit_code = 'T-Y1'").fetchall())
    assert (t_y1["206"], t_y1["20605"], t_y1["2060501"], t_y1["2060599"]) == (
        Decimal("2.47"), Decimal("2.47"), Decimal("1.23"), Decimal("1.23"))
    assert t_y1["2080505"] == Decimal("0.01")  # 50.00 元 = 0.005 万元: half away from zero, not to even
    assert t_y1["合计"] == Decimal("2.47") and t_y1["206"] + t_y1["208"] == Decimal("2.48")


def test_a_department_of_yuan_units_rounds_its_own_sums(ycon):
    dept = ycon.execute("select total_income from marts.gongkai_02 where unit_code = 'T-YD' "
                        "and subject_code = '2060501'").fetchone()[0]
    members = ycon.execute("select sum(total_income) from marts.gongkai_02 where unit_code in ('T-Y1', 'T-Y2') "
                           "and subject_code = '2060501'").fetchone()[0]
    assert dept == printed(expenditure_yuan("T-YD", "2060501")) == Decimal("2.47")
    assert members == Decimal("2.46")  # the members' printed figures: 尾数误差 of 0.01, allowed by R016
    basic = ycon.execute("select basic_expenditure from marts.gongkai_03 where unit_code = 'T-YD' "
                         "and subject_code is null").fetchone()[0]
    assert basic == printed(expenditure_yuan("T-YD", expenditure_type="BASIC"))


def test_the_unit_and_the_exact_yuan_are_kept(ycon):
    assert ycon.execute("select unit_code, amount_unit from marts.dim_unit_years "
                        "where unit_code in ('T-Y1', 'T-YD', 'WH-KJJ-XMZX') and fiscal_year = 2024 order by 1"
                        ).fetchall() == [("T-Y1", "元"), ("T-YD", "元"), ("WH-KJJ-XMZX", "万元")]
    rows = ycon.execute("select subject_code, amount, amount_yuan, amount_unit from marts.fct_expenditure "
                        "where unit_code = 'T-Y1' order by subject_code").fetchall()
    entered = {r["subject_code"]: Decimal(r["amount"]) for r in leaves("amt_expenditure") if r["unit_code"] == "T-Y1"}
    assert {code: yuan for code, _, yuan, _ in rows} == entered
    assert all(amount == printed(yuan) and unit == "元" for _, amount, yuan, unit in rows)
    # the seed unit, entered in 万元, keeps its figures and gets its 元
    assert ycon.execute("select amount, amount_yuan from marts.fct_expenditure where unit_code = 'WH-KJJ-XMZX' "
                        "and subject_code = '2060501'").fetchone() == (Decimal("821.93"), Decimal("8219300.00"))


def test_analysis_marts_use_the_printed_figures(ycon):
    budget = sum(Decimal(r["amount"]) for r in leaves("amt_budget") if r["unit_code"] == "T-Y1")
    final = printed(expenditure_yuan("T-Y1", "206"))
    rate = ycon.execute("select budget_amount, final_amount, execution_rate_pct from marts.mart_budget_execution "
                        "where unit_code = 'T-Y1' and subject_code = '206'").fetchone()
    assert rate[:2] == (printed(budget), final)
    assert rate[2] == (final / printed(budget) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) == Decimal("98.8")
    trend = ycon.execute("select amount from marts.mart_expenditure_trend where unit_code = 'T-Y1' "
                         "and fiscal_year = 2024 and subject_code = '206'").fetchone()[0]
    assert trend == final
    # a share item that prints as 0.01 is kept (the structure mart filters on the printed figure)
    items = dict(ycon.execute("select item_code, amount from marts.mart_expenditure_structure where unit_code = "
                              "'T-Y1' and breakdown = 'gpb_by_class'").fetchall())
    assert items == {"206": final, "208": printed(expenditure_yuan("T-Y1", "208"))}


def tampered(yuan, tmp_path, update: str) -> dict[str, list[dict]]:
    work, run = yuan
    db = tmp_path / run.db_path.name  # same file name: compiled SQL names the catalog after it
    shutil.copy(run.db_path, db)
    with duckdb.connect(str(db)) as c:
        assert all(rows == [] for rows in rerun_rules(c, work / "target").values())
        c.execute(update)
        return rerun_rules(c, work / "target")


def test_a_yuan_unit_still_fails_beyond_the_rounding_band(yuan, tmp_path):
    """R003 (合计 = Σ 类) of T-Y1's 公开02 adds 3 printed figures (band 0.015): its 合计 prints 2.47 over 类 rows of
    2.47 + 0.01 (-0.01 passes); printed 0.01 lower, -0.02 fails."""
    results = tampered(yuan, tmp_path, "update marts.gongkai_02 set total_income = total_income - 0.01 "
                                        "where unit_code = 'T-Y1' and subject_code is null")
    failing = [r for r in results["R003"] if r["unit_code"] == "T-Y1" and r["column_name"] == "total_income"]
    assert [r["difference"] for r in failing] == [Decimal("-0.02")], results["R003"]


def test_a_wan_yuan_unit_is_still_checked_exactly(yuan, tmp_path):
    """The same 0.01 that T-Y1 prints as 尾数误差 fails the seed unit, whose leaves are entered in 万元."""
    results = tampered(yuan, tmp_path, "update marts.gongkai_02 set total_income = total_income + 0.01 "
                                        "where unit_code = 'WH-KJJ-XMZX' and subject_code is null")
    failing = [r for r in results["R003"] if r["column_name"] == "total_income"]
    assert [(r["unit_code"], r["difference"]) for r in failing] == [("WH-KJJ-XMZX", Decimal("0.01"))]


def test_consolidation_of_yuan_members_fails_beyond_the_band(yuan, tmp_path):
    results = tampered(yuan, tmp_path, "update marts.gongkai_02 set total_income = total_income + 0.02 "
                                        "where unit_code = 'T-YD' and subject_code = '2060501'")
    failing = [r for r in results["R016"] if r["column_name"] == "total_income" and r["subject_code"] == "2060501"]
    assert [(r["unit_code"], r["difference"]) for r in failing] == [("T-YD", Decimal("0.03"))], results["R016"]
