"""The report's 三公 paragraph names each item from 公开09 / 表7's headers, whichever level a layout prints
预算数/决算数 and 小计 at (the national layout heads `决算数 公务用车购置及运行费 小计`, Shanghai 2024
`公务用车购置及运行费 小计 决算数`). The headers are the layouts' own (seeds/templates/ref_template_columns.csv)."""
from __future__ import annotations

import csv
import sys
from decimal import Decimal

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from report.data import Column, Table  # noqa: E402
from report.narrative import _sangong_items  # noqa: E402


def sangong_table(layout: str) -> Table:
    with (ROOT / "seeds/templates/ref_template_columns.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["template_version"] == layout and r["table_code"] == "09"]
    columns = [Column(r["column_name"], r["column_no"] or None, r["header_zh"].split(" "), None) for r in rows]
    # 预算数 1.00 for each item, 决算数 0.50; the vehicle items 0.20 (purchase) and 0.30 (operation)
    values = {c.name: Decimal("0.50") if c.name.startswith("final_") else Decimal("1.00") for c in columns}
    values.update(final_vehicle_purchase=Decimal("0.20"), final_vehicle_operation=Decimal("0.30"))
    return Table("09", "表7", "财政拨款“三公”经费支出决算表", None, "本单位无三公经费支出", False, columns, [values])


@pytest.mark.parametrize("layout", ["CN2024", "SH2024"])
def test_items_are_named_by_their_item_not_their_phase(layout):
    _, items = _sangong_items(sangong_table(layout))
    names = [(label.replace("（", "(").replace("）", ")"), [name for name, _ in subs]) for label, _, _, subs in items]
    assert names == [("因公出国(境)费", []), ("公务用车购置及运行费", ["公务用车购置费", "公务用车运行费"]),
                     ("公务接待费", [])]
    assert [(b, d) for _, b, d, _ in items] == [(Decimal("1.00"), Decimal("0.50"))] * 3


@pytest.mark.parametrize("layout", ["CN2024", "SH2024"])
def test_a_table_with_only_budget_figures_shows_its_empty_statement(layout):
    table = sangong_table(layout)
    table.rows = [{c.name: (Decimal("1.00") if "预算数" in c.header_levels else Decimal(0)) for c in table.columns}]
    assert table.shows_empty_statement and not table.is_empty
