"""docs/analyst_queries.md is generated from the data: regenerate it from a fresh build and compare."""
from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from analyst_queries import render  # noqa: E402


def test_analyst_queries_page_is_current(warehouse):
    page = (ROOT / "docs" / "analyst_queries.md").read_text(encoding="utf-8")
    assert render(warehouse.db_path) == page, "run: ./juesuan queries (after ./juesuan build)"


def test_budget_execution_query_finds_the_documents_two_classes(warehouse):
    page = render(warehouse.db_path)
    section = page.split("## Budget execution below 90%")[1]
    assert "| WH-KJJ-XMZX | 2024 | 210 | 卫生健康支出 | 83.00 | 52.52 | 63.3 |" in section
    assert "| WH-KJJ-XMZX | 2024 | 208 | 社会保障和就业支出 | 100.00 | 69.23 | 69.2 |" in section
