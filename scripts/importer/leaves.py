"""The leaf facts a report's printed cells imply, in the shapes of seeds/amounts (万元, two decimals).

The tables carry the national meaning of their table_code whatever the layout numbers them (表7 of a Shanghai
print is 09), so one derivation serves every layout:

    amt_revenue                     02 leaf subjects × income columns; 财政拨款收入 split by fund: 政府性基金 from
                                    07's 本年收入, 国有资本经营 from 08's (where printed), the rest 一般公共预算
    amt_expenditure                 leaf subjects: 05 → GPB, 07 → GFB, 08 → SCB (基本/项目), 03 minus those →
                                    non-fiscal; 03's 上缴上级 / 经营 / 对附属单位补助 columns → non-fiscal
    amt_basic_expenditure_economic  06 economic 款 rows (一般公共预算)
    amt_sangong                     09 items, 预算数 (BUDGET) and 决算数 (FINAL)
    amt_balances                    04 年初/年末 by fund; 01's less the fiscal ones → non-fiscal; 01 使用非财政拨款结余,
                                    结余分配
Leaves are taken from printed figures only: a total or subtotal is never a leaf. A leaf that cannot be
derived (an unreadable leaf cell, a non-fiscal remainder below zero) is reported, not guessed.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from .numbers import DASH, NUMBER, UNREADABLE
from .tables import PrintedCell

ZERO = Decimal("0.00")
REVENUE_COLUMNS = {"superior_subsidy_income": "SUP", "business_income": "BUS", "operating_income": "OPR",
                   "affiliated_remittance_income": "AFF", "other_income": "OTH"}
OTHER_EXPENDITURE = {"remittance_to_superior": "REMIT", "operating_expenditure": "OPER",
                     "subsidy_to_affiliates": "SUBSID"}
SANGONG = {"outbound_travel": "OUTBOUND", "vehicle_purchase": "VEH_PURCHASE",
           "vehicle_operation": "VEH_OPERATION", "official_reception": "RECEPTION"}
FUNDS = {"07": "GFB", "08": "SCB"}


def derive_leaves(cells: list[PrintedCell]) -> tuple[dict[str, list[dict]], list[str]]:
    """Leaf rows per amounts table (without unit and year), and the problems met."""
    problems: list[str] = []
    grid: dict[tuple, PrintedCell] = {}
    for c in cells:
        grid[(c.table_code, c.side, c.row_key, c.subject_code, c.column_name)] = c

    def amount(table: str, row_key: str, subject: str, column: str, side: str = "") -> Decimal:
        cell = grid.get((table, side, row_key, subject, column))
        if cell is None or cell.state not in (NUMBER, DASH):
            if cell is not None and cell.state == UNREADABLE:
                raise _Unreadable(cell)
            return ZERO
        return cell.amount if cell.amount is not None else ZERO

    out: dict[str, list[dict]] = defaultdict(list)
    leaves = _leaf_subjects(cells)

    def safely(what: str, fn) -> None:
        try:
            fn()
        except _Unreadable as exc:
            c = exc.cell
            problems.append(f"{c.table_no} page {c.page} line {c.line}: the {what} leaf '{c.row_label}' "
                            f"{c.column_header} is unreadable ('{c.raw_text}'); its facts are not derived")

    def revenue(subject: str) -> None:
        fiscal = amount("02", "subject", subject, "fiscal_appropriation_income")
        by_fund = {fund: amount(t, "subject", subject, "income") for t, fund in FUNDS.items()}
        gpb = fiscal - sum(by_fund.values())
        for fund, value in {"GPB": gpb, **by_fund}.items():
            _add(out["amt_revenue"], problems, subject_code=subject, source_code=fund, amount=value,
                 what=f"{subject} 财政拨款收入 ({fund})")
        for column, source in REVENUE_COLUMNS.items():
            _add(out["amt_revenue"], problems, subject_code=subject, source_code=source,
                 amount=amount("02", "subject", subject, column), what=f"{subject} {source}")

    def expenditure(subject: str) -> None:
        for column, etype in (("basic_expenditure", "BASIC"), ("project_expenditure", "PROJECT")):
            fiscal = {"GPB": amount("05", "subject", subject, column),
                      **{fund: amount(t, "subject", subject, column) for t, fund in FUNDS.items()}}
            nfs = amount("03", "subject", subject, column) - sum(fiscal.values())
            for fund, value in {**fiscal, "NFS": nfs}.items():
                _add(out["amt_expenditure"], problems, subject_code=subject, fund_code=fund,
                     expenditure_type=etype, amount=value, what=f"{subject} {etype} ({fund})")
        for column, etype in OTHER_EXPENDITURE.items():
            _add(out["amt_expenditure"], problems, subject_code=subject, fund_code="NFS", expenditure_type=etype,
                 amount=amount("03", "subject", subject, column), what=f"{subject} {etype}")

    for subject in leaves.get("02", []):
        safely("收入决算表", lambda s=subject: revenue(s))
    for subject in sorted(set(leaves.get("03", [])) | set(leaves.get("05", []))):
        safely("支出决算表", lambda s=subject: expenditure(s))
    econ = sorted({c.subject_code for c in cells if c.table_code == "06" and len(c.subject_code) == 5})
    for code in econ:
        safely("基本支出", lambda code=code: _add(out["amt_basic_expenditure_economic"], problems, fund_code="GPB",
                                               econ_code=code, amount=amount("06", "econ", code, "amount"),
                                               what=f"06 {code}"))
    sangong_rows = {(c.side, c.row_key) for c in cells if c.table_code == "09"}
    for side, row_key in sorted(sangong_rows):
        for phase, prefix in (("BUDGET", "budget_"), ("FINAL", "final_")):
            for suffix, item in SANGONG.items():
                safely("三公", lambda p=phase, c=prefix + suffix, i=item: _add(
                    out["amt_sangong"], problems, phase=p, item_code=i, amount=amount("09", row_key, "", c, side),
                    what=f"09 {c}"))
    safely("结转结余", lambda: _balances(out, problems, amount))
    return dict(out), problems


class _Unreadable(Exception):
    def __init__(self, cell: PrintedCell):
        self.cell = cell


def _leaf_subjects(cells: list[PrintedCell]) -> dict[str, list[str]]:
    """Per subject-list table, the printed codes no other printed code of the table extends (the 项, or a 款
    printed without 项)."""
    codes: dict[str, set[str]] = defaultdict(set)
    for c in cells:
        if c.row_key == "subject" and c.subject_code:
            codes[c.table_code].add(c.subject_code)
    return {t: sorted(s for s in cs if not any(o != s and o.startswith(s) for o in cs)) for t, cs in codes.items()}


def _balances(out, problems, amount) -> None:
    opening = {f: amount("04", f"opening_{f}", "", "income_amount", "income") for f in ("GPB", "GFB", "SCB")}
    if not any(opening.values()):
        total = amount("04", "opening_balance", "", "income_amount", "income")
        if total:
            opening["GPB"] = total
            problems.append("公开04: 年初财政拨款结转和结余 is printed without its fund lines; booked as 一般公共预算")
    closing = {"GPB": amount("04", "closing_balance", "", "expenditure_general_budget", "expenditure"),
               "GFB": amount("04", "closing_balance", "", "expenditure_gov_fund", "expenditure"),
               "SCB": amount("04", "closing_balance", "", "expenditure_soe_capital", "expenditure")}
    opening["NFS"] = amount("01", "opening_balance", "", "income_amount", "income") - sum(opening.values())
    closing["NFS"] = amount("01", "closing_balance", "", "expenditure_amount", "expenditure") - sum(closing.values())
    for kind, values in (("OPENING", opening), ("CLOSING", closing)):
        for fund, value in values.items():
            _add(out["amt_balances"], problems, balance_kind=kind, fund_code=fund, subject_code=None, amount=value,
                 what=f"{kind} {fund}")
    for kind, row, column, side in (("USE_NONFISCAL_SURPLUS", "use_nonfiscal_surplus", "income_amount", "income"),
                                    ("SURPLUS_DISTRIBUTION", "surplus_distribution", "expenditure_amount",
                                     "expenditure")):
        _add(out["amt_balances"], problems, balance_kind=kind, fund_code="NFS", subject_code=None,
             amount=amount("01", row, "", column, side), what=kind)


def _add(rows: list[dict], problems: list[str], what: str, amount: Decimal, **keys) -> None:
    if amount < 0:
        problems.append(f"{what}: the printed figures imply {amount} (below zero); not booked")
        return
    if amount != 0:
        rows.append({**keys, "amount": amount})
