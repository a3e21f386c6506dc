"""Every figure of the nine printed tables of the 2024 report, compared with a fixture transcribed from
the source document independently of the seeds (tests/pytest/golden/)."""
from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden" / "gongkai_2024_unit_421607.csv"
UNIT, YEAR = "WH-KJJ-XMZX", 2024
TABLES = [f"{n:02d}" for n in range(1, 10)]


def golden_rows() -> dict[str, dict[tuple[str, int], dict]]:
    """table -> (side, line_no) -> {subject_code, item_name, amounts{column: Decimal}}"""
    tables: dict[str, dict] = defaultdict(dict)
    with GOLDEN.open(encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            key = (rec["side"], int(rec["line_no"]))
            row = tables[rec["table_code"]].setdefault(
                key, {"subject_code": rec["subject_code"], "item_name": rec["item_name"], "amounts": {}})
            row["amounts"][rec["column_name"]] = Decimal(rec["amount"])
    return tables


GOLDEN_TABLES = golden_rows()


def mart_rows(con, table: str) -> dict[tuple[str, int], dict]:
    cur = con.execute(f"select * from marts.gongkai_{table} where unit_code = ? and fiscal_year = ?", [UNIT, YEAR])
    names = [d[0] for d in cur.description]
    out = {}
    for values in cur.fetchall():
        rec = dict(zip(names, values))
        out[(rec.get("side") or "", rec["line_no"])] = rec
    return out


def test_golden_fixture_covers_all_nine_tables():
    assert sorted(GOLDEN_TABLES) == TABLES
    assert sum(len(r["amounts"]) for t in GOLDEN_TABLES.values() for r in t.values()) == 593


@pytest.mark.parametrize("table", TABLES)
def test_every_printed_row_and_figure(con, table):
    expected = GOLDEN_TABLES[table]
    actual = mart_rows(con, table)
    assert sorted(actual) == sorted(expected), f"公开{table}表: printed rows differ"
    for key, exp in expected.items():
        got = actual[key]
        where = f"公开{table}表 {key[0]} 行{key[1]} {exp['item_name']}"
        assert (got["subject_code"] or "") == exp["subject_code"], where
        assert got["item_name"] == exp["item_name"], where
        for column, amount in exp["amounts"].items():
            assert isinstance(got[column], Decimal), f"{where} [{column}] is not DECIMAL"
            assert got[column] == amount, f"{where} [{column}]: mart {got[column]} != document {amount}"


@pytest.mark.parametrize("table", ["01", "04"])
def test_other_side_columns_are_blank(con, table):
    """A two-sided table prints each amount column on one side only; the other side's rows hold 0.00."""
    for (side, line), row in mart_rows(con, table).items():
        own = set(GOLDEN_TABLES[table][(side, line)]["amounts"])
        for column, value in row.items():
            if isinstance(value, Decimal) and column not in own:
                assert value == 0, f"公开{table}表 {side} 行{line} [{column}] = {value}"


def test_document_cross_checks(con):
    """Figures the narrative (第三部分) states, recomputed from the marts."""
    total = con.execute("select income_amount from marts.gongkai_01 where line_no = 30").fetchone()[0]
    assert total == Decimal("1553.97")
    basic, project = con.execute(
        "select basic_expenditure, project_expenditure from marts.gongkai_03 where line_no = 1").fetchone()
    assert round(basic / total * 100, 1) == Decimal("68.6")
    assert round(project / total * 100, 1) == Decimal("31.4")
    personnel, public = [r[0] for r in con.execute(
        "select amount from marts.gongkai_06 where item_name in ('人员经费合计', '公用经费合计') order by line_no").fetchall()]
    assert (personnel, public) == (Decimal("939.79"), Decimal("126.36"))
    shares = dict(con.execute(
        "select subject_code, total_expenditure from marts.gongkai_05 where length(subject_code) = 3").fetchall())
    # Plain rounding gives 4.5 for 社会保障和就业 (69.23 / 1553.97 = 4.455%); the document prints 4.4 so that
    # its four shares sum to 100.0 (largest remainder, see the shares mart of the multi-year issue).
    assert {k: round(v / total * 100, 1) for k, v in shares.items()} == {
        "206": Decimal("84.3"), "208": Decimal("4.5"), "210": Decimal("3.4"), "221": Decimal("7.9")}
