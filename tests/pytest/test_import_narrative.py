"""The narrative parser (scripts/importer/narrative.py) on the real documents: what each sentence claims,
bound to its measure, with the precision it was printed with."""
from __future__ import annotations

import sys
from decimal import Decimal

import pytest

from conftest import ROOT, SOURCE_DOCUMENTS

sys.path.insert(0, str(ROOT / "scripts"))
from importer.document import read_document, read_text  # noqa: E402
from importer.narrative import load_measures, parse_narrative  # noqa: E402

WUHAN = SOURCE_DOCUMENTS / "000_421607ae11f0bf0a.txt"
SHPT = SOURCE_DOCUMENTS / "shpt_caizhengju_2024_bumen_juesuan.pdf"
pytestmark = pytest.mark.skipif(not WUHAN.exists() or not SHPT.exists(), reason="shared source documents missing")
MEASURES = load_measures(ROOT / "seeds" / "audit")


@pytest.fixture(scope="module")
def shpt():
    return parse_narrative(read_document(SHPT), MEASURES)


@pytest.fixture(scope="module")
def wuhan():
    return parse_narrative(read_document(WUHAN), MEASURES)


def one(claims, kind, **where):
    found = [c for c in claims if c.kind == kind and all(getattr(c, k) == v for k, v in where.items())]
    assert len(found) == 1, (kind, where, found)
    return found[0]


def test_amounts_are_bound_to_their_measure_with_their_precision(shpt, wuhan):
    c = one(shpt, "amount", measure="fiscal_grand_total")
    assert (c.amount, c.amount_decimals, c.page, c.line) == (Decimal("0.3"), 1, 21, 14)
    assert one(shpt, "amount", measure="other_income").amount_decimals == 1       # 其他收入6.2万元
    assert one(shpt, "amount", measure="grand_total").amount == Decimal("2995.39")
    assert one(shpt, "amount", measure="personnel").amount == Decimal("2152.26")
    assert one(wuhan, "amount", measure="public").amount == Decimal("126.36")     # 公用 经费 (a space inside)
    assert one(wuhan, "amount", measure="basic_expenditure").section == "三、支出决算情况说明"
    assert one(wuhan, "amount", measure="gpb_basic_2").amount == Decimal("1066.15")  # 基本支出 in 五: 公开05表


def test_shares_keep_their_base_and_breakdown(shpt, wuhan):
    c = one(shpt, "share", subject_label="一般公共服务支出")
    assert (c.amount, c.base_amount, c.percent, c.percent_decimals) == (
        Decimal("2106.66"), Decimal("2940.05"), Decimal("71.73"), 2)
    group = [s for s in shpt if s.kind == "share" and s.group_no == c.group_no]
    assert sum(s.percent for s in group) == Decimal("100.07")
    named = one(wuhan, "share", measure="basic_expenditure")       # 占本年支出68.6%
    assert (named.base_measure, named.percent, named.percent_decimals) == ("expenditure_total", Decimal("68.6"), 1)


def test_changes_executions_and_parts(shpt, wuhan):
    c = one(shpt, "change", measure="grand_total")
    assert (c.direction, c.change_amount, c.rate_direction, c.percent) == ("减少", Decimal("56.95"), "下降", Decimal("1.87"))
    e = one(shpt, "execution", measure="gpb_expenditure")
    assert (e.amount, e.base_amount, e.percent, e.direction) == (Decimal("2940.05"), Decimal("2993.92"), Decimal("98.20"), "小于")
    item = one(shpt, "execution", subject_label="一般公共服务支出/财政事务/行政运行")
    assert (item.measure, item.amount, item.base_amount) == ("gpb_class_3", Decimal("1511.89"), Decimal("1560.05"))
    sangong = one(shpt, "execution", measure="sangong")
    assert (sangong.amount, sangong.base_amount, sangong.percent) == (Decimal("0.00"), Decimal("0.95"), Decimal("0"))
    assert one(shpt, "amount", measure="sangong_budget").amount == Decimal("0.95")
    parts = one(shpt, "parts")
    assert (parts.amount, parts.base_amount, parts.terms) == (Decimal("251.25"), Decimal("251.26"), 3)
    assert {w.amount for w in shpt if w.kind == "within"} == {Decimal("246.47"), Decimal("0")}
    w = one(wuhan, "change", measure="grand_total")
    assert (w.percent, w.percent_decimals) == (Decimal("9.1"), 1)
    klass = one(wuhan, "execution", subject_label="科学技术支出")
    assert (klass.measure, klass.amount, klass.base_amount, klass.percent) == (
        "gpb_class", Decimal("1309.75"), Decimal("1311.27"), Decimal("99.9"))
    assert one(wuhan, "parts").terms == 2


def test_template_leftovers_are_claims(tmp_path):
    text = WUHAN.read_text(encoding="utf-8").replace("主要原因是单位基本支出增加", "主要原因是XX单位基本支出增加（减少）")
    path = tmp_path / "leftover.txt"
    path.write_text(text, encoding="utf-8")
    claims = parse_narrative(read_text(path, text), MEASURES)
    assert sorted(c.label for c in claims if c.kind == "template_text") == ["XX", "增加(减少)"]


def test_a_document_without_a_narrative_has_no_claims(tmp_path):
    path = tmp_path / "tables_only.txt"
    text = "\n".join(WUHAN.read_text(encoding="utf-8").splitlines()[:300])
    assert parse_narrative(read_text(path, text), MEASURES) == []


def test_a_share_without_its_percent_sign_is_a_claim(tmp_path):
    text = WUHAN.read_text(encoding="utf-8").replace("占本年收入100%", "占本年收入100")
    claims = parse_narrative(read_text(tmp_path / "bare.txt", text), MEASURES)
    assert [(c.label, c.percent) for c in claims if c.kind == "bare_percent"] == [("占本年收入100", Decimal("100"))]
    assert not [c for c in parse_narrative(read_document(WUHAN), MEASURES) if c.kind == "bare_percent"]
