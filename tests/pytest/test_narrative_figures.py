"""The figures the 2024 情况说明 (第三部分) states, reproduced by the trend and analysis marts:
growth against 2023, structure shares (largest remainder, summing to 100.0) and budget execution."""
from __future__ import annotations

from decimal import Decimal as D

UNIT = "WH-KJJ-XMZX"


def test_growth_against_2023(con):
    rows = con.execute(
        "select measure_code, detail_level, prior_year_amount, change_amount, growth_rate_pct "
        "from marts.mart_totals_trend where unit_code = ? and fiscal_year = 2024 and prior_year_amount is not null",
        [UNIT]).fetchall()
    # 一、二、三、四、五(一): 收支总计, 收入合计, 支出合计, 财政拨款收支总计, 一般公共预算收入/支出 each +130.03, +9.1%
    assert {r[0] for r in rows} == {
        "income_total", "expenditure_total", "grand_total_income", "grand_total_expenditure",
        "fiscal_grand_total_income", "fiscal_grand_total_expenditure", "gpb_income", "gpb_expenditure"}
    assert {r[1:] for r in rows} == {("full", D("1423.94"), D("130.03"), D("9.1"))}


def test_2023_is_kept_apart_as_summary_only(con):
    assert con.execute("select distinct detail_level from marts.fct_unit_year_totals "
                       "where unit_code = ? and fiscal_year = 2023", [UNIT]).fetchall() == [("summary",)]
    assert con.execute("select count(*) from marts.gongkai_01 where fiscal_year = 2023").fetchone() == (0,)


def test_structure_shares_sum_to_100(con):
    shares = {(b, i): s for b, i, s in con.execute(
        "select breakdown, item_code, share_pct from marts.mart_expenditure_structure "
        "where unit_code = ? and fiscal_year = 2024", [UNIT]).fetchall()}
    assert shares == {
        ("income_by_source", "GPB"): D("100.0"),                       # 二: 财政拨款收入 占 100%
        ("expenditure_by_nature", "BASIC"): D("68.6"),                  # 三: 基本支出 68.6%
        ("expenditure_by_nature", "PROJECT"): D("31.4"),                #     项目支出 31.4%
        ("gpb_by_class", "206"): D("84.3"), ("gpb_by_class", "208"): D("4.4"),   # 五(二)
        ("gpb_by_class", "210"): D("3.4"), ("gpb_by_class", "221"): D("7.9"),
        ("gpb_basic_by_cost_type", "人员经费"): D("88.1"), ("gpb_basic_by_cost_type", "公用经费"): D("11.9"),
    }


def test_budget_execution(con):
    rows = {r[0]: r[1:] for r in con.execute(
        "select coalesce(subject_code, 'total'), budget_amount, final_amount, execution_rate_pct "
        "from marts.mart_budget_execution where unit_code = ? and fiscal_year = 2024", [UNIT]).fetchall()}
    # 五(三): 年初预算 1629.93, 决算 1553.97, 95.3%; by 类 99.9 / 69.2 / 63.3 / 90.3
    assert rows == {
        "total": (D("1629.93"), D("1553.97"), D("95.3")),
        "206": (D("1311.27"), D("1309.75"), D("99.9")),
        "208": (D("100.00"), D("69.23"), D("69.2")),
        "210": (D("83.00"), D("52.52"), D("63.3")),
        "221": (D("135.66"), D("122.47"), D("90.3")),
    }
