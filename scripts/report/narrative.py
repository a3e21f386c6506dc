"""第三部分 情况说明 (its sections, by the names dim_report_outline gives them: NARRATIVES) and the 名词解释,
written from the marts' figures that report/data.py loads (Report.narrative): no query here. Which sections a
layout prints, in which order and under which numbers, is data (dim_report_outline, walked by document.py).

Every figure is read from a mart (or is a ratio of two mart figures, rounded half away from zero like
macros/percent.sql); nothing is typed. Texts only a person can write (主要原因是…, 主要成效…) come from
marts.fct_narrative_texts by section_code and are appended where the published documents put them; a missing
text is left out, never invented. A sentence whose figures are missing is left out as well.

    sections = build_sections(report)            # [(heading, [paragraph, …]), …] in the layout's order
    sections = build_sections(report, texts={})  # as if no person-written text existed
    narrative_paragraphs(report, "gpb")          # one section by its outline name
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from .data import Report, Table, fill

CN_NUMBERS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"]
SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）[^。]*$")

class Section(NamedTuple):
    """One numbered section: heading ("一、收入支出决算总体情况说明") and its paragraphs. A paragraph that is a
    sub-heading ("（一）一般公共预算财政拨款支出决算总体情况") matches SUBHEADING."""
    heading: str
    paragraphs: list[str]


# ---------------------------------------------------------------------------------------------- formatting

def money(value: Decimal) -> str:
    """万元 as the narrative writes them: 1553.97, 100 (not 100.00), 0.60."""
    q = Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return str(int(q)) if q == q.to_integral_value() else f"{q:.2f}"


def pct(value: Decimal) -> str:
    """Percent as the narrative writes it: 9.1, 100 (not 100.0)."""
    q = Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return str(int(q)) if q == q.to_integral_value() else f"{q:.1f}"


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """100 × part / whole to one decimal, half away from zero (exact Decimal arithmetic, like percent())."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def class_label(class_name: str) -> str:
    """科学技术支出 -> 科学技术(类) (the narrative puts (类) before 支出)."""
    return (class_name[:-2] if class_name.endswith("支出") else class_name) + "(类)"


def sentence(body: str) -> str:
    body = body.rstrip("。；，")
    return body + "。"


def with_reason(body: str, reason: str | None, joiner: str = "，") -> str:
    """body + (joiner + person-written reason) + 。 — joiner "，" continues the sentence, "。" starts a new one."""
    body = body.rstrip("。；，")
    if not reason:
        return body + "。"
    reason = reason.strip()
    if joiner == "。":
        return body + "。" + sentence(reason)
    return body + joiner + sentence(reason)


def change_clause(label: str, m: Measure | None, each: bool = False) -> str | None:
    """"收入合计增加130.03万元，增长9.1%" or None when the prior year is unknown."""
    if m is None or m.prior is None or m.change is None:
        return None
    each_ = "各" if each else ""
    if m.change == 0:
        return f"{label}{each_}持平"
    verb, rate_verb = ("增加", "增长") if m.change > 0 else ("减少", "下降")
    text = f"{label}{each_}{verb}{money(abs(m.change))}万元"
    if m.rate is not None:
        text += f"，{rate_verb}{pct(abs(m.rate))}%"
    return text


# ------------------------------------------------------------------------------------------------ facts

@dataclass
class Measure:
    amount: Decimal
    prior: Decimal | None
    change: Decimal | None
    rate: Decimal | None


@dataclass
class Facts:
    """What the 情况说明 of one unit-year says, read from the marts."""
    report: Report
    measures: dict[str, Measure]
    structure: dict[str, list[dict[str, Any]]]     # breakdown -> rows (item_code, item_name, amount, share_pct, …)
    budget: list[dict[str, Any]]                   # mart_budget_execution rows (subject_code None = total)
    procurement: list[dict[str, Any]]
    assets: list[dict[str, Any]]
    projects: list[dict[str, Any]]

    @property
    def year(self) -> int:
        return self.report.fiscal_year

    @property
    def subject(self) -> str:
        """本单位 / 本部门"""
        return "本部门" if self.report.report_kind == "部门决算" else "本单位"

    def total_row(self, table_code: str) -> dict[str, Any] | None:
        """The 合计 row of a subject table (02, 03, 05, 07, 08): the first row without a subject."""
        rows = self.report.table(table_code).rows
        return next((r for r in rows if r["subject_code"] is None), None)


def load_facts(report: Report) -> Facts:
    """The facts of `report` its 情况说明 is written from (report.narrative, loaded by data.load_report)."""
    n = report.narrative
    if n is None:
        raise ValueError(f"{report.unit_code} {report.fiscal_year}: loaded without its narrative data")
    measures = {r["measure_code"]: Measure(r["amount"], r["prior_year_amount"], r["change_amount"],
                                           r["growth_rate_pct"]) for r in n.measures}
    structure: dict[str, list[dict[str, Any]]] = {}
    for r in n.structure:
        structure.setdefault(r["breakdown"], []).append(r)
    return Facts(report, measures, structure, n.budget, n.procurement, n.assets, n.projects)


# --------------------------------------------------------------------------------------------- sections

def _s1_overview(f: Facts, t: Mapping[str, str]) -> list[str]:
    inc, exp = f.measures.get("grand_total_income"), f.measures.get("grand_total_expenditure")
    if inc is None or exp is None:
        return []
    y, p = f.year, f.year - 1
    if inc.amount == exp.amount:
        out = f"{y}年度收、支总计{money(inc.amount)}万元。"
        same_change = inc.change == exp.change and inc.rate == exp.rate
        clause = change_clause("收、支总计", inc, each=True) if same_change else None
        if clause:
            out += with_reason(f"与{p}年度相比，{clause}", t.get("overview_reason"))
        elif not same_change:
            parts = [c for c in (change_clause("收入总计", inc), change_clause("支出总计", exp)) if c]
            if parts:
                out += with_reason(f"与{p}年度相比，" + "；".join(parts), t.get("overview_reason"))
    else:
        out = f"{y}年度收入总计{money(inc.amount)}万元，支出总计{money(exp.amount)}万元。"
        parts = [c for c in (change_clause("收入总计", inc), change_clause("支出总计", exp)) if c]
        if parts:
            out += with_reason(f"与{p}年度相比，" + "；".join(parts), t.get("overview_reason"))
    return [out]


def _shares(rows: list[dict[str, Any]], of: str) -> list[str]:
    return [f"{r['item_name']}{money(r['amount'])}万元，占{of}{pct(r['share_pct'])}%" for r in rows if r["amount"]]


def _total_with_change(f: Facts, measure: str, label: str, reason: str | None) -> str | None:
    m = f.measures.get(measure)
    if m is None:
        return None
    clause = change_clause(label, m)
    if clause:
        return with_reason(f"{f.year}年度{label}{money(m.amount)}万元，与{f.year - 1}年度相比，{clause}", reason)
    return f"{f.year}年度{label}{money(m.amount)}万元。"


def _s2_income(f: Facts, t: Mapping[str, str]) -> list[str]:
    head = _total_with_change(f, "income_total", "收入合计", t.get("income_reason"))
    rows = f.structure.get("income_by_source", [])
    # 财政拨款 sources are one column of 公开02 (财政拨款收入): the narrative names them together
    fiscal = [r for r in rows if r["fund_group"] == "FISCAL"]
    items = []
    if fiscal:
        items.append({"item_name": "财政拨款收入", "amount": sum(r["amount"] for r in fiscal),
                      "share_pct": sum(r["share_pct"] for r in fiscal)})
    items += [r for r in rows if r["fund_group"] != "FISCAL"]
    parts = _shares(items, "本年收入")
    if not head and not parts:
        return []
    return [(head or "") + ("其中：" + "；".join(parts) + "。" if parts else "")]


def _s3_expenditure(f: Facts, t: Mapping[str, str]) -> list[str]:
    head = _total_with_change(f, "expenditure_total", "支出合计", t.get("expenditure_reason"))
    parts = _shares(f.structure.get("expenditure_by_nature", []), "本年支出")
    if not head and not parts:
        return []
    return [(head or "") + ("其中：" + "；".join(parts) + "。" if parts else "")]


def _s4_fiscal(f: Facts, t: Mapping[str, str]) -> list[str]:
    out = []
    inc, exp = f.measures.get("fiscal_grand_total_income"), f.measures.get("fiscal_grand_total_expenditure")
    y, p = f.year, f.year - 1
    if inc is not None and exp is not None:
        if inc.amount == exp.amount:
            text = f"{y}年度财政拨款收、支总计{money(inc.amount)}万元。"
            clause = change_clause("财政拨款收、支总计", inc, each=True) if inc.change == exp.change else None
        else:
            text = f"{y}年度财政拨款收入总计{money(inc.amount)}万元，财政拨款支出总计{money(exp.amount)}万元。"
            clause = "；".join(c for c in (change_clause("财政拨款收入总计", inc),
                                          change_clause("财政拨款支出总计", exp)) if c) or None
        if clause:
            text += with_reason(f"与{p}年度相比，{clause}", t.get("fiscal_reason"), joiner="。")
        out.append(text)
    parts, gpb_changed = [], False
    gpb = f.measures.get("gpb_income")
    if gpb is not None and gpb.amount:
        part = f"一般公共预算财政拨款收入{money(gpb.amount)}万元"
        if gpb.change:
            part += f"，比{p}年度决算数{'增加' if gpb.change > 0 else '减少'}{money(abs(gpb.change))}万元"
            gpb_changed = True
        elif gpb.change == 0:
            part += f"，与{p}年度决算数持平"
        parts.append(part)
    for r in f.structure.get("income_by_source", []):
        if r["fund_group"] == "FISCAL" and r["item_code"] != "GPB" and r["amount"]:
            parts.append(f"{r['item_name']}{money(r['amount'])}万元")
    if parts:
        text = f"{y}年度财政拨款收入中，" + "；".join(parts)
        out.append(with_reason(text, t.get("gpb_income_reason") if gpb_changed else None, joiner="。"))
    return out


def _s5_gpb(f: Facts, t: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    y, p = f.year, f.year - 1
    gpb, total = f.measures.get("gpb_expenditure"), f.measures.get("expenditure_total")
    classes = [r for r in f.structure.get("gpb_by_class", []) if r["amount"]]
    classes.sort(key=lambda r: r["item_code"])
    budget_total = next((r for r in f.budget if r["subject_code"] is None), None)
    row05 = f.total_row("05")
    if gpb is None and not classes and budget_total is None:
        return out

    n = iter(CN_NUMBERS)
    if gpb is not None:
        out.append(f"（{next(n)}）一般公共预算财政拨款支出决算总体情况")
        text = f"{y}年度一般公共预算财政拨款支出{money(gpb.amount)}万元"
        share = percent(gpb.amount, total.amount) if total is not None else None
        text += f"，占本年支出合计的{pct(share)}%。" if share is not None else "。"
        clause = change_clause("一般公共预算财政拨款支出", gpb)
        if clause:
            text += with_reason(f"与{p}年度相比，{clause}", t.get("gpb_expenditure_reason"), joiner="。")
        out.append(text)

    if classes:
        out.append(f"（{next(n)}）一般公共预算财政拨款支出决算结构情况")
        amount = gpb.amount if gpb is not None else sum(r["amount"] for r in classes)
        parts = [f"{class_label(r['item_name'])}支出{money(r['amount'])}万元，占{pct(r['share_pct'])}%" for r in classes]
        out.append(f"{y}年度一般公共预算财政拨款支出{money(amount)}万元，主要用于以下方面：" + "；".join(parts) + "。")

    out.append(f"（{next(n)}）一般公共预算财政拨款支出决算具体情况")
    if budget_total is not None and budget_total["budget_amount"]:
        text = (f"{y}年度一般公共预算财政拨款支出年初预算为{money(budget_total['budget_amount'])}万元，"
                f"支出决算为{money(budget_total['final_amount'])}万元")
        if budget_total["execution_rate_pct"] is not None:
            text += f"，完成年初预算的{pct(budget_total['execution_rate_pct'])}%"
        text += "。"
    elif gpb is not None:
        text = f"{y}年度一般公共预算财政拨款支出决算为{money(gpb.amount)}万元。"
    else:
        text = ""
    if row05 is not None:
        parts = [f"{label}{money(row05[col])}万元" for col, label in
                 (("basic_expenditure", "基本支出"), ("project_expenditure", "项目支出")) if row05[col]]
        if parts:
            text += "其中：" + "，".join(parts) + "。"
    if t.get("project_outcomes"):
        text += sentence(t["project_outcomes"].strip())
    if text:
        out.append(text)
    else:
        out.pop()   # the sub-heading has nothing under it
        return out
    by_class = [r for r in f.budget if r["subject_code"] is not None and r["subject_level"] == "类"]
    for i, r in enumerate(by_class, start=1):
        text = (f"{i}、{r['subject_name']}(类)。年初预算为{money(r['budget_amount'] or 0)}万元，"
                f"支出决算为{money(r['final_amount'] or 0)}万元")
        if r["execution_rate_pct"] is not None:
            text += f"，完成年初预算的{pct(r['execution_rate_pct'])}%"
        out.append(with_reason(text, t.get(f"class_reason:{r['subject_code']}")))
    return out


def _s6_basic(f: Facts, t: Mapping[str, str]) -> list[str]:
    row05 = f.total_row("05")
    basic = row05["basic_expenditure"] if row05 is not None else None
    if not basic:
        return [f"{f.subject}{f.year}年度没有一般公共预算财政拨款基本支出。"] if row05 is not None else []
    rows = f.report.table("06").rows
    parts = []
    for cost_type in ("人员经费", "公用经费"):
        total = next((r["amount"] for r in rows if r["subject_code"] is None and r["cost_type"] == cost_type), None)
        if not total:
            continue
        names = [r["item_name"] for r in rows if r["cost_type"] == cost_type and r["subject_code"]
                 and len(r["subject_code"]) == 5 and r["amount"] > 0]
        parts.append(f"{cost_type}{money(total)}万元" + ("，主要包括：" + "、".join(names) if names else ""))
    text = f"{f.year}年度一般公共预算财政拨款基本支出{money(basic)}万元"
    return [text + ("，其中，" + "；".join(parts) if parts else "") + "。"]


def _s7_gov_fund(f: Facts, t: Mapping[str, str]) -> list[str]:
    table = f.report.table("07")
    if table.is_empty:
        return [f"{f.subject}{f.year}年度没有政府性基金预算财政拨款收入支出。"]
    r = f.total_row("07") or {}
    parts = [f"{label}{money(r[col])}万元" for col, label in (
        ("opening_balance", "年初结转和结余"), ("income", "本年收入"), ("total_expenditure", "本年支出")) if r.get(col)]
    sub = [f"{label}{money(r[col])}万元" for col, label in (
        ("basic_expenditure", "基本支出"), ("project_expenditure", "项目支出")) if r.get(col)]
    text = f"{f.year}年度政府性基金预算财政拨款" + "，".join(parts)
    if sub:
        text += "（其中：" + "，".join(sub) + "）"
    if r.get("closing_balance"):
        text += f"，年末结转和结余{money(r['closing_balance'])}万元"
    return [text + "。"]


def _s8_soe(f: Facts, t: Mapping[str, str]) -> list[str]:
    table = f.report.table("08")
    if table.is_empty:
        return [f"{f.subject}{f.year}年度没有国有资本经营预算财政拨款支出。"]
    r = f.total_row("08") or {}
    text = f"{f.year}年度国有资本经营预算财政拨款支出{money(r.get('total_expenditure') or 0)}万元"
    sub = [f"{label}{money(r[col])}万元" for col, label in (
        ("basic_expenditure", "基本支出"), ("project_expenditure", "项目支出")) if r.get(col)]
    return [text + ("，其中：" + "，".join(sub) if sub else "") + "。"]


SangongItem = tuple[str, Decimal, Decimal, list[tuple[str, Decimal]]]   # label, budget, final, [(sub-item, final)]


def _item_name(header_levels: list[str]) -> str:
    """A 三公 column's item, whatever level the layout prints 预算数/决算数 and 小计 at: the national layout heads
    `决算数 公务用车购置及运行费 小计`, Shanghai's `公务用车购置及运行费 小计 决算数`; both name 公务用车购置及运行费."""
    names = [level for level in header_levels if level not in ("预算数", "决算数", "小计")]
    return names[-1] if names else header_levels[-1]


def _sangong_items(table: Table) -> tuple[tuple[Decimal, Decimal], list[SangongItem]]:
    """(budget, final) in total and per item [(label, budget, final, [(sub-item, final)])] from 公开09 as printed:
    the national layout prints one row with 预算数/决算数 column groups; others print one row per item."""
    cols = {c.name: c for c in table.columns}
    if "final_outbound_travel" in cols:
        row = table.rows[0] if table.rows else {}
        val = lambda name: row.get(name) or Decimal(0)  # noqa: E731
        items = []
        for key in ("outbound_travel", "vehicle_subtotal", "official_reception"):
            label = _item_name(cols[f"final_{key}"].header_levels)
            subs = []
            if key == "vehicle_subtotal":
                subs = [(_item_name(cols[f"final_{k}"].header_levels), val(f"final_{k}"))
                        for k in ("vehicle_purchase", "vehicle_operation")]
            items.append((label, val(f"budget_{key}"), val(f"final_{key}"), subs))
        return (val("budget_total"), val("final_total")), items
    rows = table.rows
    total = next((r for r in rows if r["item_name"] == "合计"), None)
    items = [(r["item_name"].removeprefix("其中："), r["budget_total"], r["final_total"], [])
             for r in rows if r is not total]
    if total is None:
        return (sum((i[1] for i in items), Decimal(0)), sum((i[2] for i in items), Decimal(0))), items
    return (total["budget_total"], total["final_total"]), items


def _s9_sangong(f: Facts, t: Mapping[str, str]) -> list[str]:
    (budget, final), items = _sangong_items(f.report.table("09"))
    if not final and not any(i[2] for i in items):
        return [f"{f.subject}{f.year}年度没有财政拨款“三公”经费支出。"]

    def budget_vs_final(label: str, b: Decimal, d: Decimal) -> str:
        text = f"{label}年初预算为{money(b)}万元，支出决算为{money(d)}万元"
        rate = percent(d, b)
        return text + (f"，完成年初预算的{pct(rate)}%" if rate is not None else "")

    text = budget_vs_final(f"{f.year}年度财政拨款“三公”经费支出", budget, final) + "。"
    parts = []
    for label, b, d, subs in items:
        if not b and not d:
            continue
        part = budget_vs_final(label, b, d)
        named = [f"{name}支出决算为{money(v)}万元" for name, v in subs if v]
        if named:
            part += "（其中：" + "，".join(named) + "）"
        parts.append(part)
    if parts:
        text += "其中：" + "；".join(parts) + "。"
    return [text]


def _s10_operating(f: Facts, t: Mapping[str, str]) -> list[str]:
    return [sentence(t["operating_costs"].strip())] if t.get("operating_costs") else []


def _s11_procurement(f: Facts, t: Mapping[str, str]) -> list[str]:
    if not f.procurement:
        return []
    total = f.procurement[0]["total_amount"]
    name = f.report.unit_name
    if not total:
        return [f"{f.year}年度{name}没有政府采购支出。"]
    parts = [f"{r['category_name']}{money(r['amount'])}万元" for r in f.procurement if r["amount"]]
    return [f"{f.year}年度{name}政府采购支出总额{money(total)}万元，其中：" + "、".join(parts) + "。"]


def _s12_assets(f: Facts, t: Mapping[str, str]) -> list[str]:
    if not f.assets:
        return []
    d = f.assets[0]["as_of_date"]
    items = [f"{r['item_name']}{r['quantity']}{r['measure_unit']}" for r in f.assets]
    body = items[0] + ("；" + "，".join(items[1:]) if len(items) > 1 else "")
    return [f"截至{d.year}年{d.month}月{d.day}日，{f.report.unit_name}共有{body}。"]


def _performance_management(f: Facts, t: Mapping[str, str]) -> list[str]:
    """十三 （一） 预算绩效管理工作开展情况: the person's text, continued by the projects evaluated and their funds."""
    row05 = f.total_row("05")
    if not (f.projects or t.get("performance_management")):
        return []
    executed = sum((p["executed_amount"] or Decimal(0) for p in f.projects), Decimal(0))
    figures = ""
    if f.projects:
        figures = f"共涉及项目{len(f.projects)}个，资金{money(executed)}万元"
        share = percent(executed, row05["project_expenditure"]) if row05 is not None else None
        if share is not None:
            figures += f"，占一般公共预算项目支出总额的{pct(share)}%"
    text = (t.get("performance_management") or "").strip()
    if text and figures:
        # the person's first sentence says what was evaluated; the figures continue it
        first, _, rest = text.partition("。")
        text = f"{first}，{figures}。{rest}"
    elif figures:
        text = f"{f.year}年度一般公共预算项目支出绩效自评{figures}。"
    return [sentence(text)]


def _overall_evaluation(f: Facts, t: Mapping[str, str]) -> list[str]:
    """十三 （二） 单位整体支出自评结果: units and funds evaluated (fct_overall_evaluations), then the person's
    appraisal."""
    o = f.report.narrative.overall if f.report.narrative else None
    text = (t.get("overall_evaluation") or "").strip()
    if o is None:
        return [sentence(text)] if text else []
    who = "我部门" if f.report.report_kind == "部门决算" else "我单位"
    body = f"{who}组织对{o['units_evaluated']}个单位开展整体支出绩效自评，资金{money(o['amount'])}万元"
    return [with_reason(body, text)]


def _project_evaluation(f: Facts, t: Mapping[str, str]) -> list[str]:
    """十三 （三） 项目支出自评结果: each project's budget, execution, score and grade, then the problems found and
    the improvements (person-written)."""
    if not f.projects:
        return []
    text = f"{f.year}年度项目支出绩效自评共涉及{len(f.projects)}个项目。"
    for p in f.projects:
        line = f"“{p['project_name']}”项目"
        facts = []
        if p["budget_amount"] is not None and p["executed_amount"] is not None:
            facts.append(f"年度财政资金预算数{money(p['budget_amount'])}万元，执行数{money(p['executed_amount'])}万元")
            if p["execution_rate_pct"] is not None:
                facts.append(f"执行率{money(p['execution_rate_pct'])}%")
        if p["total_score"] is not None:
            facts.append(f"自评得分{money(p['total_score'])}分" +
                         (f"，评定等级为“{p['grade']}”" if p["grade"] else ""))
        if facts:
            text += line + "，".join(facts) + "。"
    if t.get("performance_problems"):
        text += "发现的问题及原因：" + sentence(t["performance_problems"].strip())
    if t.get("performance_improvements"):
        text += "下一步改进措施：" + sentence(t["performance_improvements"].strip())
    return [text]


def _performance(f: Facts, t: Mapping[str, str]) -> list[str]:
    """预算绩效 as one section without sub-sections (Shanghai's 十、预算绩效管理情况)."""
    return _performance_management(f, t) + _overall_evaluation(f, t) + _project_evaluation(f, t)


def performance_scores(report: Report) -> list[str]:
    """附件 （一） 项目绩效自评得分: each project's total score and grade (fct_project_performance)."""
    projects = [p for p in (report.narrative.projects if report.narrative else []) if p["total_score"] is not None]
    out = []
    for p in projects:
        who = (f"{report.fiscal_year}年度{report.unit_name}预算项目" if len(projects) == 1
               else f"“{p['project_name']}”项目")
        grade = f"，评定等级为“{p['grade']}”" if p["grade"] else ""
        out.append(f"{who}绩效自评得分{money(p['total_score'])}分{grade}。")
    return out


# the 情况说明's sections by the name dim_report_outline.content gives them (narrative:<name>)
NARRATIVES = {
    "overview": _s1_overview, "income": _s2_income, "expenditure": _s3_expenditure, "fiscal": _s4_fiscal,
    "gpb": _s5_gpb, "basic": _s6_basic, "gov_fund": _s7_gov_fund, "soe": _s8_soe, "sangong": _s9_sangong,
    "operating": _s10_operating, "procurement": _s11_procurement, "assets": _s12_assets,
    "performance": _performance, "performance_management": _performance_management,
    "overall_evaluation": _overall_evaluation, "project_evaluation": _project_evaluation,
}


def narrative_paragraphs(report: Report, name: str, texts: Mapping[str, str] | None = None) -> list[str]:
    """The paragraphs of the 情况说明 section `name` (a key of NARRATIVES) of `report`; `texts` overrides
    marts.fct_narrative_texts (e.g. {} = none written)."""
    if name not in NARRATIVES:
        raise KeyError(f"no narrative section {name!r} (dim_report_outline.content_key of a narrative item); "
                       f"known: {', '.join(sorted(NARRATIVES))}")
    facts = load_facts(report)
    return [p for p in NARRATIVES[name](facts, report.narrative.texts if texts is None else texts) if p]


def build_sections(report: Report, texts: Mapping[str, str] | None = None) -> list[Section]:
    """第三部分 情况说明 of `report` as its layout's outline (dim_report_outline) numbers it: one Section per
    section, a sub-section's heading (（一）…) as a paragraph followed by its own. `texts` overrides
    marts.fct_narrative_texts (e.g. {} = none written). Sub-sections with nothing to say are left out and the
    others keep the outline's numbers; a section keeps its number even when it has no sentence."""
    from .document import build_document

    doc = build_document(report, final=True, texts=texts)
    part = next((p for p in doc.parts if p.children and p.children[0].anchor.startswith("section-")), None)
    if part is None:
        return []
    sections = []
    for item in part.children:
        paragraphs = list(item.paragraphs)
        for sub in item.children:
            paragraphs += [sub.heading] + sub.paragraphs
        sections.append(Section(item.heading, paragraphs))
    return sections


# ------------------------------------------------------------------------------------------ 名词解释

class GlossaryEntry(NamedTuple):
    term: str                 # 基本支出, or 本单位使用的支出功能分类科目（到项级）
    definition: str | None    # 指为保障机构正常运转…
    items: list[str]          # numbered items under the term ("1. 科学技术(类)…(项): 反映…")
    number: str = ""          # as the layout numbers it: （一） or 一、


def glossary(report: Report) -> list[GlossaryEntry]:
    """The 名词解释 as the layout prints it (Report.glossary_terms, marts.dim_glossary_terms): its terms with their
    definitions ({admin_level}: the unit's 市级 / 区级 …), the 项 the unit used (from 公开03, all funds) with their
    explanation (dim_function_subjects.description_zh), the 支出性质 with a description (基本支出, 项目支出);
    numbered in the layout's style, an entry with nothing to say (no 项 used) left out."""
    n = report.narrative
    subject = "本部门" if report.report_kind == "部门决算" else "本单位"
    values = {"admin_level": report.admin_level or "本级", "subject": subject}
    entries: list[tuple[str, str | None, list[str], str]] = []
    for e in report.glossary_terms:
        style = e["number_style"]
        if e["entry_kind"] == "term":
            entries.append((fill(e["term_zh"], values) or "", fill(e["definition_zh"], values), [], style))
        elif e["entry_kind"] == "used_subjects":
            items = []
            for i, r in enumerate(n.used_subjects if n else [], start=1):
                name = f"{class_label(r['class_name'])}{r['section_name']}(款){r['subject_name']}(项)"
                items.append(f"{i}. {name}: {r['description_zh']}" if r["description_zh"] else f"{i}. {name}")
            if items:
                entries.append((fill(e["term_zh"], values) or "", None, items, style))
        elif e["entry_kind"] == "expenditure_types":
            entries += [(r["expenditure_type_name"], r["description_zh"], [], style)
                        for r in (n.expenditure_types if n else [])]
    return [GlossaryEntry(term, definition, items,
                          f"（{CN_NUMBERS[i]}）" if style == "（一）" else f"{CN_NUMBERS[i]}、")
            for i, (term, definition, items, style) in enumerate(entries)]
