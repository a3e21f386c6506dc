"""The narrative (情况说明) of a published report as claims the audit can check against the tables.

`parse_narrative(document, measures)` is a pure function from a document to rows. It finds the 情况说明 part
(from its 收入支出决算总体情况说明 heading to 名词解释 or the end), joins its lines into numbered sections
(一、… 二、…) and sentences (split at 。), and reads five kinds of claim from each sentence:

    amount     "本年收入合计2946.25万元": a figure, bound to a measure (a printed cell) by the label before it
    share      "财政拨款收入2940.05万元，占99.79%": a figure as a percentage of a base (the base the sentence
               names, 占本年支出合计的…, else the sentence's first figure); shares of one base form a group
    change     "减少56.95万元，下降1.87%": a change against last year, its direction words and rate, with the
               level it is a change of (the measure's figure in the sentence, or the one before it)
    execution  "年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%" (or 预算为…, as 三公 items
               are often written: 公务接待费预算为1万元，支出决算为0万元) and the direction word that follows
               (决算数小于预算数 / 大于 / 等于 / 基本持平)
    parts      "政府采购金额为251.25万元，其中：货物…4.79万元、工程…0万元、服务…246.47万元": a total and its
               parts; "within" for an amount that is part of it (面向中小企业…246.47万元)

and, from every sentence, what the template left where the unit was to write (template_text: XX局, 下降（增长）)
and a share printed without its % sign (bare_percent: 占99.79,).

Measures are data: seeds/audit/ref_narrative_measures.csv names, for each, the label (and section) it is
printed with and the printed cell it must equal; the SQL rules (N001–N006) compare. A claim whose label binds
to no measure is kept (measure None) and not checked against a table. Every figure keeps its precision as
printed (6.2万元 has one decimal; 9.1% one, 1.94% two), so the checks can use the report's own precision.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from importer.document import Document
from importer.numbers import clean, parse_amount

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "audit"

# the first heading of the 情况说明, as the national and Shanghai templates print it (部门/单位 and 说明 optional)
_START = re.compile(r"^[一二三四五六七八九十]+、(?:部门|单位)?收入支出决算总体情况(?:说明)?$")
_END = re.compile(r"名词解释|^第[一二三四五六七八九十]+部分(?!.*决算情况说明)")
_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
_SUBSECTION = re.compile(r"^\([一二三四五六七八九十]+\)")
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = re.compile(rf"(?P<num>{_NUM})万元")
_SHARE = re.compile(rf"^,?占(?P<base>[^\d,;。%]*?)(?P<pct>{_NUM})%")
_CHANGE = re.compile(rf"(?P<dir>增加|减少)(?P<num>{_NUM})万元(?:,(?P<rdir>增长|下降)(?P<rate>{_NUM})%)?")
_FLAT = re.compile(r"(?:与|比)\d{4}年度?(?:相比)?,?(?P<label>[^,;。]*?)(?:基本)?持平")
_EXECUTION = re.compile(rf"(?:年初)?预算(?:数)?为(?P<budget>{_NUM})万元,(?:支出)?决算(?:数)?为(?P<final>{_NUM})万元"
                        rf"(?:,完成(?:年初)?预算的(?P<rate>{_NUM})%)?")
_BARE_SHARE = re.compile(rf"占(?P<base>[^\d,;。%]{{0,12}}?)(?P<pct>{_NUM})(?![\d.%万])")
_DIRECTION = re.compile(r"决算数?(?:与预算数?)?(?P<word>小于|大于|等于|基本持平|持平)")
_CLAUSE_BREAK = re.compile(r"[,;:。]")
_ITEM = re.compile(r"(?:^|[。;:])\s*\d+、")
_LEVEL = re.compile(r"([^()、,;:。]+?)\((类|款|项)\)")
# what a template leaves where the unit was to write: XX局, ××, 增加（减少）, 下降（增长）
_TEMPLATE = re.compile(r"[XＸ×]{2,}|(?:增加|减少|增长|下降|上升|大于|小于)\((?:增加|减少|增长|下降|上升|大于|小于)\)")
_YEARS = re.compile(r"\d{4}年度?|与\d{4}年度?相比|比\d{4}年度?(?:决算数)?|截至\d{4}年\d+月\d+日")


@dataclass(frozen=True)
class Measure:
    measure: str
    priority: int
    label: re.Pattern
    section: re.Pattern | None


@dataclass
class Claim:
    claim_no: int
    kind: str                              # amount | share | change | execution | parts | within |
                                           # template_text | bare_percent
    section: str
    page: int
    line: int
    sentence: str
    label: str
    measure: str | None = None
    subject_label: str | None = None       # 类/款/项 names as printed, joined by '/'
    amount: Decimal | None = None          # the figure (万元): the level, the share's part, the final, the total
    amount_decimals: int | None = None
    base_amount: Decimal | None = None     # the share's base, the budget, the parts' sum
    base_measure: str | None = None        # the base the sentence names (占本年支出合计的…)
    base_decimals: int | None = None       # the places the base was printed with (when the narrative prints it)
    change_amount: Decimal | None = None
    change_decimals: int | None = None
    percent: Decimal | None = None
    percent_decimals: int | None = None
    direction: str | None = None           # 增加 / 减少 / 持平; 小于 / 大于 / 等于 / 基本持平
    rate_direction: str | None = None      # 增长 / 下降
    group_no: int | None = None            # the sentence: its shares of one base are one breakdown
    terms: int | None = None               # parts: how many


@dataclass
class _Text:
    """The narrative as one string, with the page and line each character came from."""
    text: str = ""
    origin: list[tuple[int, int]] = field(default_factory=list)

    def add(self, s: str, page: int, line: int) -> None:
        self.text += s
        self.origin.extend([(page, line)] * len(s))


def load_measures(folder: Path = SEEDS) -> list[Measure]:
    with open(folder / "ref_narrative_measures.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return sorted((Measure(r["measure"], int(r["priority"]), re.compile(r["label_pattern"]),
                           re.compile(r["section_pattern"]) if r["section_pattern"] else None) for r in rows),
                  key=lambda m: m.priority)


def _clean(text: str) -> str:
    """A line as the narrative is read: the number normaliser's (NFKC, no spaces, so 1, 553. 97 is one figure),
    without quotation marks (“三公”经费 is 三公经费)."""
    return clean(text).replace("“", "").replace("”", "").replace('"', "")


def _decimal(num: str) -> tuple[Decimal, int]:
    """A figure as printed (1,553.97, 6.2, 100) and how many places it was printed with."""
    printed = parse_amount(num, decimals=None)
    return printed.value, len(num.split(".")[1]) if "." in num else 0


def _label(before: str, unit_name: str = "") -> str:
    """The clause before a figure, without years, the unit it is of and connectives: what the figure is."""
    clause = _CLAUSE_BREAK.split(before)[-1]
    clause = _YEARS.sub("", clause)
    if unit_name:
        clause = clause.replace(_clean(unit_name), "")
    clause = re.sub(r"^(其中|主要用于以下方面|主要用于|包括)", "", clause)
    clause = re.sub(r"^(本单位|本部门|我单位|我部门)", "", clause)
    return re.sub(r"(为|是|达|共计|合计为|各)$", "", clause)


def bind(label: str, section: str, measures: list[Measure]) -> str | None:
    for m in measures:
        if m.label.search(label) and (m.section is None or m.section.search(section)):
            return m.measure
    return None


def narrative_text(doc: Document) -> list[tuple[str, _Text]]:
    """The 情况说明's sections: (heading, text) in order, lines joined as printed (a wrapped line continues
    its sentence). The part starts at the last 收入支出决算总体情况说明 heading that is followed by figures (the
    table of contents names it too) and ends at 名词解释 or the next part."""
    lines = [(p, n, _clean(t)) for p, n, t in doc.ordered_lines()]
    starts = [i for i, (_, _, t) in enumerate(lines) if _START.search(t) and len(t) < 40
              and any("万元" in u for _, _, u in lines[i + 1:i + 4])]
    if not starts:
        return []
    sections: list[tuple[str, _Text]] = []
    for p, n, t in lines[starts[-1]:]:
        if not t:
            continue
        if sections and _END.search(t):
            break
        if _SECTION.match(t) and len(t) < 40 or not sections:
            sections.append((t, _Text()))
            continue
        if _SUBSECTION.match(t) and len(t) < 40:
            t += "。"   # a sub-heading ends its sentence: (二)…结构情况 is not the label of the figure after it
        sections[-1][1].add(t, p, n)
    return sections


def parse_narrative(doc: Document, measures: list[Measure], unit_name: str = "") -> list[Claim]:
    """The claims of the document's 情况说明 (none when it has none). `unit_name`: the cover's, left out of
    labels (上海市普陀区财政局收入支出总计 is 收入支出总计)."""
    claims: list[Claim] = []
    group = 0
    for heading, body in narrative_text(doc):
        offset = 0
        item = ""   # the numbered item (1、科学技术支出(类)。) a sentence belongs to
        sentences = re.split(r"(?<=。)", body.text)
        for k, sentence in enumerate(sentences):
            start, offset = offset, offset + len(sentence)
            numbered = re.search(r"(?:^|[:;])-?\d+、", sentence)
            if numbered:
                item = sentence[numbered.end():]
            elif _SUBSECTION.match(sentence):
                item = ""
            page, line = body.origin[start] if start < len(body.origin) else body.origin[-1]
            for leftover in _TEMPLATE.finditer(sentence):
                claims.append(Claim(0, "template_text", heading, page, line, sentence, leftover.group()))
            if "万元" not in sentence and "%" not in sentence and "持平" not in sentence:
                continue
            group += 1
            after = sentences[k + 1] if k + 1 < len(sentences) else ""
            claims.extend(_sentence_claims(sentence, heading, page, line, measures, group, item, after, unit_name))
    # 面向中小企业/小微企业 amounts of a section are part of its 政府采购 total
    for c in list(claims):
        if c.kind == "amount" and re.search(r"中小企业|小微企业", c.label):
            total = next((t for t in claims if t.kind == "parts" and t.section == c.section), None)
            if total is not None:
                claims.append(Claim(0, "within", c.section, c.page, c.line, c.sentence, c.label,
                                    amount=c.amount, amount_decimals=c.amount_decimals,
                                    base_amount=total.amount))
    for i, c in enumerate(claims, start=1):
        c.claim_no = i
    return claims


def _subject_chain(text: str) -> str | None:
    """The subjects a text names by level, 一般公共服务支出(类)财政事务(款)行政运行(项) -> 一般公共服务支出/财政事务/行政运行."""
    levels = _LEVEL.findall(text)
    return "/".join(n for n, _ in levels) or None


_LEVEL_LABEL = {0: "(类)", 1: "(款)", 2: "(项)"}


def _sentence_claims(s: str, section: str, page: int, line: int, measures: list[Measure],
                     group: int, item: str = "", after: str = "", unit_name: str = "") -> list[Claim]:
    out: list[Claim] = []
    taken: list[tuple[int, int]] = []

    def new(kind: str, label: str, **kw) -> Claim:
        c = Claim(0, kind, section, page, line, s, label, **kw)
        out.append(c)
        return c

    # execution: 年初预算为A万元，支出决算为B万元，完成年初预算的R%; then its direction word
    for m in _EXECUTION.finditer(s):
        item_start = max([x.end() for x in _ITEM.finditer(s[:m.start()])] + [0])
        head = s[item_start:m.start()]
        chain = _subject_chain(head) or (_subject_chain(item.split("。")[0]) if item and item != s else None)
        label = _LEVEL_LABEL[min(chain.count("/"), 2)] if chain else _label(head, unit_name)
        measure = bind(label, section, measures)
        budget, bd = _decimal(m["budget"])
        final, fd = _decimal(m["final"])
        rate = _decimal(m["rate"]) if m["rate"] else (None, None)
        # its direction word: later in the sentence, or the sentence after (决算数小于预算数的主要原因…)
        d = _DIRECTION.search(s, m.end()) or _DIRECTION.match(after) or _DIRECTION.search(after[:20])
        new("execution", label, measure=measure, subject_label=chain, amount=final, amount_decimals=fd,
            base_amount=budget, base_decimals=bd, percent=rate[0], percent_decimals=rate[1], direction=d["word"] if d else None)
        new("amount", label, measure=measure, subject_label=chain, amount=final, amount_decimals=fd)
        # the budget is checked against a table only where one prints it (三公: 预算数 of 公开09表)
        budget_measure = next((x.measure for x in measures if measure and x.measure == measure + "_budget"), None)
        if budget_measure:
            new("amount", label + "年初预算", measure=budget_measure, amount=budget,
                amount_decimals=_decimal(m["budget"])[1])
        taken.append((m.start(), m.end()))

    # change: 增加X万元，增长R%
    levels: list[Claim] = []
    for m in _CHANGE.finditer(s):
        if any(a <= m.start() < b for a, b in taken):
            continue
        label = _label(s[:m.start()], unit_name)
        measure = bind(label, section, measures) if label else None
        c = new("change", label, measure=measure, change_amount=_decimal(m["num"])[0],
                change_decimals=_decimal(m["num"])[1], direction=m["dir"],
                percent=_decimal(m["rate"])[0] if m["rate"] else None,
                percent_decimals=_decimal(m["rate"])[1] if m["rate"] else None, rate_direction=m["rdir"])
        levels.append(c)
        taken.append((m.start(), m.end()))
    for m in _FLAT.finditer(s):
        label = _label(m["label"], unit_name) if m["label"] else ""
        c = new("change", label, measure=bind(label, section, measures), direction="持平")
        levels.append(c)

    # amounts, and the shares that follow them
    first: Claim | None = None
    parts_total: Claim | None = None
    parts: list[Claim] = []
    for m in _AMOUNT.finditer(s):
        if any(a <= m.start() < b for a, b in taken):
            continue
        head = s[:m.start()]
        label = _label(head, unit_name)
        chain = _subject_chain(label) if "(" in label else None
        measure = bind(_LEVEL_LABEL[min(chain.count("/"), 2)] if chain else label, section, measures)
        value, dec = _decimal(m["num"])
        c = new("amount", label, measure=measure, subject_label=chain, amount=value, amount_decimals=dec)
        first = first or c
        share = _SHARE.match(s[m.end():])
        if share:
            base_text = _YEARS.sub("", share["base"]).rstrip("的").replace("总额", "")
            base_measure = bind(base_text, section, measures) if base_text else None
            pct, pd = _decimal(share["pct"])
            new("share", label, measure=measure, subject_label=chain, amount=value, amount_decimals=dec,
                base_amount=None if base_text else (first.amount if first is not c else None),
                base_decimals=None if base_text or first is c else first.amount_decimals,
                base_measure=base_measure, percent=pct, percent_decimals=pd, group_no=group)
        # 政府采购: a total, then its 货物/工程/服务 parts; 中小企业/小微企业 amounts are within it
        own = label.split("、")[-1]   # 货物…4.79万元、工程采购金额0万元: a part's own label
        if parts_total is None and "政府采购" in label and not re.search(r"企业", label):
            parts_total = c
        elif parts_total and re.search(r"货物|工程|服务", own) and not re.search(r"企业", own):
            parts.append(c)
    # a share printed without its % sign (占99.79,)
    for m in _BARE_SHARE.finditer(s):
        new("bare_percent", m.group(), percent=_decimal(m["pct"])[0], percent_decimals=_decimal(m["pct"])[1])
    # a change without its own level takes the figure of its measure in the sentence, else the one before it
    for c in levels:
        same = [a for a in out if a.kind == "amount" and c.measure and a.measure == c.measure]
        prior = [a for a in out if a.kind == "amount"]
        level = same[0] if same else (prior[-1] if prior and not c.measure else None)
        if level is not None:
            c.amount, c.amount_decimals = level.amount, level.amount_decimals
            c.measure = c.measure or level.measure
            c.subject_label = c.subject_label or level.subject_label
    if parts_total is not None and parts:
        new("parts", parts_total.label, measure=parts_total.measure, amount=parts_total.amount,
            amount_decimals=parts_total.amount_decimals, base_amount=sum(p.amount for p in parts),
            terms=len(parts))
    return out
