"""The whole document of one unit-year in its layout's printed order: cover, 目录, 第一部分 …, each part's
sections (一、…) and sub-sections (（一）…), as marts.dim_report_outline lays it out (Report.outline), with what
fills each item. Renderers walk it; which items a layout prints and under which numbers is data, not code.

    doc = build_document(report)              # a draft: a missing person-written text is a placeholder line
    doc = build_document(report, final=True)  # final: no placeholder; a sub-section with nothing is left out and
                                              # the others are numbered on ((一), (二) … without a gap)

What fills an item (dim_report_outline.content_kind, content_key):
  text:<section_code>   the text a person wrote (fct_narrative_texts), one paragraph per line
  units                 the units the report includes (单位决算: its own accounts; 部门决算: the members of
                        dim_department_members), then the text `organization` (内设机构 …)
  narrative:<name>      a 情况说明 section written from the figures (narrative.NARRATIVES)
  attachment:performance_scores   each project's self-evaluation score and grade
  tables, glossary, toc, attachment:performance_tables   drawn by the renderer from the report's data
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .data import Report, fill
from .narrative import CN_NUMBERS, NARRATIVES, narrative_paragraphs, performance_scores

# what the renderer draws itself: the item is never "missing"
DRAWN = {"tables", "glossary", "toc"}


@dataclass
class Item:
    level: str                   # part | section | subsection
    number: str                  # 第一部分, 一、, （一）
    title: str
    toc_title: str
    anchor: str                  # the element id: part-2, section-5, part-1-2, section-13-2
    content_kind: str | None
    content_key: str | None
    chart_no: int | None = None
    paragraphs: list[str] = field(default_factory=list)
    placeholder: str | None = None   # printed where the content is missing (a draft only)
    children: list["Item"] = field(default_factory=list)
    drawn: bool = False          # the renderer draws the content from the report's data (tables, 名词解释 …)

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.level == "part" else f"{self.number}{self.title}"

    @property
    def toc_heading(self) -> str:
        return f"{self.number} {self.toc_title}" if self.level == "part" else f"{self.number}{self.toc_title}"

    @property
    def is_empty(self) -> bool:
        """Nothing to print under the heading (a drawn content is never empty here)."""
        return not (self.drawn or self.paragraphs or self.placeholder) and all(c.is_empty for c in self.children)


@dataclass
class Document:
    title: str                   # the report's name: 2024年度武汉市科技项目管理服务中心单位决算
    cover: list[str]             # the cover's lines
    toc_title: str | None        # 目 录, or None where the layout prints none
    parts: list[Item]
    final: bool

    def items(self) -> Iterator[Item]:
        for part in self.parts:
            yield part
            for section in part.children:
                yield section
                yield from section.children


def composition(report: Report) -> str:
    """The heading Shanghai gives 第一部分 二: 部门决算单位构成, or 机构设置 for a report of one unit."""
    return "部门决算单位构成" if report.report_kind == "部门决算" and len(report.members) != 1 else "机构设置"


def units_paragraphs(report: Report) -> list[str]:
    """Which accounts the report consolidates, from the data: a 单位决算 its own; a 部门决算 its members
    (the list itself is Report.members, drawn as a table). Empty for a 部门决算 published without its members."""
    name = report.unit_name
    if report.report_kind != "部门决算":
        return [f"从单位构成看，{name}决算由实行独立核算的单位本级决算组成。"]
    if not report.members:
        return []
    return [f"从预算单位构成看，{name}部门决算包括：{name}本级决算、下属行政事业单位决算。",
            f"纳入{name}{report.fiscal_year}年度部门决算编制范围的单位包括："]


def _written(texts: Mapping[str, str], key: str) -> list[str]:
    return [line.strip() for line in (texts.get(key) or "").splitlines() if line.strip()]


def _content(report: Report, kind: str | None, key: str | None,
             texts: Mapping[str, str]) -> tuple[list[str], bool, bool]:
    """(paragraphs, whether a part is missing, whether the renderer draws the content) of one item."""
    if kind == "text":
        paragraphs = _written(texts, key or "")
        return paragraphs, not paragraphs, False
    if kind == "units":
        organization = _written(texts, "organization")
        return units_paragraphs(report) + organization, not organization, bool(report.members)
    if kind == "narrative":
        paragraphs = narrative_paragraphs(report, key or "", texts)
        return paragraphs, not paragraphs, False
    if kind == "attachment" and key == "performance_scores":
        paragraphs = performance_scores(report)
        return paragraphs, not paragraphs, False
    if kind == "attachment" and key == "performance_tables":
        projects = bool(report.narrative and report.narrative.projects)
        return [], not projects, projects
    if kind in DRAWN:
        return [], False, True
    if kind is None:
        return [], False, False
    raise ValueError(f"content {kind}:{key} is one no renderer knows (text, units, narrative, attachment "
                     f"performance_scores / performance_tables, tables, glossary, toc)")


def build_document(report: Report, final: bool = False, texts: Mapping[str, str] | None = None) -> Document:
    """The document of `report` (loaded with its narrative) as its layout's outline lays it out. `texts`
    overrides marts.fct_narrative_texts (e.g. {} = none written)."""
    if not report.outline:
        raise LookupError(f"{report.unit_code} {report.fiscal_year}: layout {report.template_version} has no "
                          f"document outline (seeds/templates/ref_report_outline.csv)")
    texts = (report.narrative.texts if report.narrative else {}) if texts is None else texts
    values = {"unit": report.unit_name, "year": str(report.fiscal_year), "kind": report.report_kind,
              "composition": composition(report)}
    cover: list[str] = []
    toc_title: str | None = None
    parts: list[Item] = []
    for row in report.outline:
        level, kind, key = row["level"], row["content_kind"], row["content_key"]
        title, toc = fill(row["title_zh"], values) or "", fill(row["toc_title_zh"], values) or ""
        if level == "cover":
            cover.append(title)
            continue
        if level == "toc":
            toc_title = title
            continue
        where = (f"seeds/templates/ref_report_outline.csv, layout {report.template_version} item "
                 f"{row['item_order']}")
        if kind == "narrative" and key not in NARRATIVES:
            raise ValueError(f"{where}: no narrative section {key!r}; known: {', '.join(NARRATIVES)}")
        try:
            paragraphs, missing, drawn = _content(report, kind, key, texts)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
        item = Item(level, row["number_zh"] or "", title, toc, "", kind, key, row["chart_no"], paragraphs,
                    row["placeholder_zh"] if missing and not final else None, drawn=drawn)
        if level == "part":
            item.anchor = f"part-{len(parts) + 1}"
            parts.append(item)
        elif level == "section":
            parts[-1].children.append(item)
        else:
            parts[-1].children[-1].children.append(item)
    for p, part in enumerate(parts, start=1):
        narrative = any(s.content_kind == "narrative" or any(c.content_kind == "narrative" for c in s.children)
                        for s in part.children)
        for i, section in enumerate(part.children, start=1):
            section.anchor = f"section-{i}" if narrative else f"part-{p}-{i}"
            if final:
                section.children = [c for c in section.children if not c.is_empty]
                for j, sub in enumerate(section.children):
                    sub.number = f"（{CN_NUMBERS[j]}）"
            for j, sub in enumerate(section.children, start=1):
                sub.anchor = f"{section.anchor}-{j}"
    title = "".join(cover) if cover else f"{report.fiscal_year}年度{report.unit_name}{report.report_kind}"
    return Document(title, cover, toc_title, parts, final)


def toc_tables(report: Report) -> list[str]:
    """The 目录's lines under the tables' part: 一、收入支出决算总表 … in the layout's table order."""
    return [f"{CN_NUMBERS[i]}、{t.title}" for i, t in enumerate(report.tables)]


def performance_table_rows(report: Report) -> list[dict[str, Any]]:
    """Each project of the unit-year with its indicators (附件 项目绩效自评表): the project's fct_project_performance
    row with `indicators` (fct_performance_indicators rows in order)."""
    n = report.narrative
    if n is None:
        return []
    out = []
    for p in n.projects:
        row = dict(p)
        row["indicators"] = [i for i in n.indicators if i["project_code"] == p["project_code"]]
        out.append(row)
    return out
