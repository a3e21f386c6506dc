"""Read one unit-year's report from the warehouse marts: layout (titles, headers, notes) and rows.

Everything a renderer prints comes from here; renderers never compute figures from seeds."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

ROW_COLUMNS = ("fiscal_year", "unit_code", "side", "line_no", "subject_code", "item_name", "cost_type")


@dataclass
class Column:
    name: str               # mart column, e.g. expenditure_general_budget
    column_no: str | None   # 栏次 as printed, None where the layout prints none
    header_levels: list[str]  # "决算数 一般公共预算财政拨款" -> ["决算数", "一般公共预算财政拨款"]
    side: str | None        # income / expenditure for two-sided tables


@dataclass
class PageLayout:
    """How the layout prints a table's page (marts.dim_report_tables): its orientation and its subject codes."""
    orientation: str = "landscape"       # portrait | landscape
    code_header: str | None = None       # 功能分类科目编码, 支出功能分类科目编码, 经济分类科目编码
    code_levels: list[str] = field(default_factory=list)  # ["类", "款", "项"] printed under code_header
    code_columns: str | None = None      # spanned | split | single (None: the table prints no codes)
    fit: str = "width"                   # page: printed on one page; width: one page wide, as tall as needed
    column_groups: str | None = None     # "301 303|302|*": 类 codes of each column group printed side by side

    def code_cells(self, code: str | None) -> list[str]:
        """A row's code as the layout prints it, one text per level column: split gives each level's digits
        (类 3, then 2 per level: 210 | 11 | 01, an empty cell below the row's level); otherwise the whole code."""
        if self.code_columns != "split" or not self.code_levels:
            return [code or ""]
        code = code or ""
        return [code[:3]] + [code[3 + 2 * i:5 + 2 * i] for i in range(len(self.code_levels) - 1)]

    @property
    def level_columns(self) -> int:
        """Columns the codes take: one per level where levels are printed, else one."""
        return len(self.code_levels) if self.code_columns in ("spanned", "split") and self.code_levels else 1


@dataclass
class Table:
    table_code: str          # national meaning: 01 … 09 (mart gongkai_NN)
    printed_table_no: str    # 公开01表, or 表7 in another layout
    title: str               # 收入支出决算总表
    note: str | None
    empty_statement: str | None  # "本单位2024年度无…" when the table has no figures
    has_line_numbers: bool
    columns: list[Column]
    rows: list[dict[str, Any]]   # mart rows in printed order (amounts are Decimal)
    layout: PageLayout = field(default_factory=PageLayout)  # orientation, how codes are printed

    @property
    def is_empty(self) -> bool:
        return all(row[c.name] == 0 for row in self.rows for c in self.columns)

    @property
    def shows_empty_statement(self) -> bool:
        """Whether the empty_statement is printed under the table: it has one and every 决算 figure is zero.

        Columns headed 预算数 at any level (公开09's 年初预算; Shanghai prints it last) do not count: the document prints "本单位2024年度无财政拨款
        “三公”经费支出。" under a 公开09 whose only figures are 预算数. For 07/08 this is `is_empty`."""
        return bool(self.empty_statement) and all(
            row[c.name] == 0 for row in self.rows for c in self.columns if "预算数" not in c.header_levels)

    def group_headings(self) -> dict[int, str]:
        """Row index -> the group heading (人员经费 / 公用经费) printed above that row: above the first row of each
        group, where an economic table keeps each group's rows together (a layout interleaving them, SH2025's
        301, 302, 303, 310, prints none), unless the layout prints the group's 合计 above its items."""
        if not any(r.get("cost_type") for r in self.rows) or self.layout.column_groups:
            return {}  # column groups are headed in the table's header
        runs = [k for k, _ in itertools.groupby(r.get("cost_type") for r in self.rows if r["subject_code"])]
        if len(runs) != len(set(runs)):
            return {}
        headings: dict[int, str] = {}
        group, totals_seen = None, set()
        for i, r in enumerate(self.rows):
            if not r["subject_code"]:
                totals_seen.add(r["cost_type"])
            elif r["cost_type"] != group:
                group = r["cost_type"]
                if group not in totals_seen:
                    headings[i] = group
        return headings

    def column_blocks(self) -> list[tuple[str, list[dict[str, Any] | None]]]:
        """Where the layout prints the table as column groups side by side (PageLayout.column_groups, 公开06:
        301 303|302|*): each group's heading (its rows' cost type: 人员经费, 公用经费) and its printed lines, every
        group as long as the longest (None below a shorter one), the totals (人员经费合计, 公用经费合计) on one last
        line, each under the first group of its cost type. [] for a table printed as one list."""
        spec = self.layout.column_groups
        if not spec:
            return []
        groups = [g.split() for g in spec.split("|")]
        rest = next((i for i, g in enumerate(groups) if "*" in g), None)
        lines: list[list[dict[str, Any] | None]] = [[] for _ in groups]
        totals = []
        for r in self.rows:
            if not r["subject_code"]:
                totals.append(r)
                continue
            i = next((k for k, g in enumerate(groups) if r["subject_code"][:3] in g), rest)
            if i is None:
                raise ValueError(f"{self.printed_table_no}: 类 {r['subject_code'][:3]} is in no column group of "
                                 f"{spec!r} (dim_report_tables.column_groups; * takes every other 类)")
            lines[i].append(r)
        headings = [next((r["cost_type"] for r in g if r), "") for g in lines]
        depth = max(len(g) for g in lines)
        for g in lines:
            g += [None] * (depth - len(g))
        if totals:
            foot: list[dict[str, Any] | None] = [None] * len(groups)
            for t in totals:
                i = next((k for k, h in enumerate(headings) if h == t["cost_type"] and foot[k] is None), None)
                if i is None:
                    i = next(k for k in range(len(groups)) if foot[k] is None)
                foot[i] = t
            for g, t in zip(lines, foot):
                g.append(t)
        return list(zip(headings, lines))

    def sides(self) -> list[str | None]:
        return sorted({c.side for c in self.columns}, key=lambda s: (s != "income", s or ""))


@dataclass
class Narrative:
    """What the 情况说明, its charts and the 名词解释 of one unit-year need from the marts (loaded here, like
    everything a renderer shows: report/narrative.py and report/charts.py receive it)."""
    texts: dict[str, str]                 # marts.fct_narrative_texts: section_code -> person-written text
    measures: list[dict[str, Any]]        # marts.mart_totals_trend rows
    structure: list[dict[str, Any]]       # marts.mart_expenditure_structure rows, with sort_order and fund_group
    budget: list[dict[str, Any]]          # marts.mart_budget_execution rows (subject_code None = total first)
    procurement: list[dict[str, Any]]
    assets: list[dict[str, Any]]
    projects: list[dict[str, Any]]
    used_subjects: list[dict[str, Any]]   # the 项 公开03 prints a figure for, with names and explanations
    expenditure_types: list[dict[str, Any]]   # 支出性质 with a description (名词解释)
    overall: dict[str, Any] | None = None     # marts.fct_overall_evaluations: 单位整体支出绩效自评 (units, funds)
    indicators: list[dict[str, Any]] = field(default_factory=list)  # marts.fct_performance_indicators (附件 自评表)


@dataclass
class Report:
    unit_code: str
    unit_name: str
    unit_kind: str
    report_kind: str         # 单位决算 / 部门决算
    fiscal_year: int
    template_version: str
    tables: list[Table] = field(default_factory=list)
    narrative: Narrative | None = None
    outline: list[dict[str, Any]] = field(default_factory=list)   # marts.dim_report_outline: the whole document
    glossary_terms: list[dict[str, Any]] = field(default_factory=list)  # marts.dim_glossary_terms: the 名词解释
    admin_level: str | None = None   # 市级, 区级 … (marts.dim_units)
    members: list[dict[str, Any]] = field(default_factory=list)   # marts.dim_department_members of a 部门决算

    def table(self, code: str) -> Table:
        return next(t for t in self.tables if t.table_code == code)


def fill(template: str | None, values: dict[str, str]) -> str | None:
    """A seed text with its placeholders ({year}, {unit}, {kind}, {admin_level} …) replaced by `values`."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value) if template else template
    return template


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    if not Path(db).exists():
        raise FileNotFoundError(f"{db}: no warehouse here; run ./juesuan build first")
    return duckdb.connect(str(db), read_only=True)


def unit_years(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Every unit-year whose nine tables are known (detail_level full)."""
    return [(u, y) for u, y in con.execute(
        "select unit_code, fiscal_year from marts.dim_unit_years where detail_level = 'full' "
        "order by unit_code, fiscal_year").fetchall()]


def load_report(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int, narrative: bool = True) -> Report:
    """One unit-year's nine tables (and, unless narrative=False, what its 情况说明, charts and 名词解释 need)."""
    head = _records(con, """
        select u.unit_code, u.unit_name, u.unit_kind, y.report_kind, y.fiscal_year, y.template_version,
            u.admin_level
        from marts.dim_unit_years as y join marts.dim_units as u using (unit_code)
        where y.unit_code = ? and y.fiscal_year = ? and y.detail_level = 'full'""", [unit_code, fiscal_year])
    if not head:
        raise LookupError(f"no full report for unit {unit_code!r} in {fiscal_year} (see marts.dim_unit_years)")
    h = head[0]
    report = Report(h["unit_code"], h["unit_name"], h["unit_kind"], h["report_kind"], h["fiscal_year"],
                    h["template_version"], admin_level=h["admin_level"])
    tables = _records(con, "select * from marts.dim_report_tables where template_version = ? "
                           "order by print_order, table_code", [report.template_version])
    for t in tables:
        cols = [Column(c["column_name"], c["column_no"], c["header_zh"].split(), c["side"]) for c in _records(
            con, "select * from marts.dim_report_columns where template_version = ? and table_code = ? "
                 "order by column_order", [report.template_version, t["table_code"]])]
        order = "side desc, line_no" if t["table_code"] in ("01", "04") else "line_no"
        rows = _records(con, f"select * from marts.gongkai_{t['table_code']} "
                             f"where unit_code = ? and fiscal_year = ? order by {order}", [unit_code, fiscal_year])
        note = t["note_zh"]
        empty = fill(t["empty_statement_zh"], {"year": str(fiscal_year), "unit": report.unit_name}) or None
        layout = PageLayout(t["orientation"], t["code_header_zh"], (t["code_levels_zh"] or "").split(),
                            t["code_columns"], t["fit"], t["column_groups"])
        report.tables.append(Table(t["table_code"], t["printed_table_no"], t["title"], note, empty,
                                   bool(t["has_line_numbers"]), cols, rows, layout))
    report.outline = _records(con, "select * from marts.dim_report_outline where template_version = ? "
                                   "order by item_order", [report.template_version])
    report.glossary_terms = _records(con, "select * from marts.dim_glossary_terms where template_version = ? "
                                          "order by entry_order", [report.template_version])
    report.members = _records(con, "select * from marts.dim_department_members where department_code = ? "
                                   "and fiscal_year = ? order by member_no", [unit_code, fiscal_year])
    if narrative:
        report.narrative = load_narrative(con, report)
    return report


def load_narrative(con: duckdb.DuckDBPyConnection, report: Report) -> Narrative:
    key = [report.unit_code, report.fiscal_year]
    texts = {r["section_code"]: r["text_zh"] for r in _records(
        con, "select section_code, text_zh from marts.fct_narrative_texts where unit_code = ? and fiscal_year = ? "
             "and text_zh is not null and trim(text_zh) <> ''", key)}
    measures = _records(con, "select * from marts.mart_totals_trend where unit_code = ? and fiscal_year = ?", key)
    structure = _records(con, """
        select s.*, coalesce(rs.sort_order, et.sort_order) as sort_order, rs.fund_group
        from marts.mart_expenditure_structure as s
        left join marts.dim_revenue_sources as rs
            on s.breakdown = 'income_by_source' and rs.source_code = s.item_code
        left join marts.dim_expenditure_types as et
            on s.breakdown = 'expenditure_by_nature' and et.expenditure_type = s.item_code
        where s.unit_code = ? and s.fiscal_year = ?
        order by s.breakdown, coalesce(rs.sort_order, et.sort_order), s.item_code""", key)
    budget = _records(con, """
        select * from marts.mart_budget_execution where unit_code = ? and fiscal_year = ?
        order by subject_code nulls first""", key)
    procurement = _records(con, "select * from marts.fct_procurement where unit_code = ? and fiscal_year = ? "
                                "order by sort_order", key)
    assets = _records(con, "select * from marts.fct_assets where unit_code = ? and fiscal_year = ? "
                           "order by sort_order", key)
    projects = _records(con, "select * from marts.fct_project_performance where unit_code = ? and fiscal_year = ? "
                             "order by project_code", key)
    t03 = next((t for t in report.tables if t.table_code == "03"), None)
    used = [r["subject_code"] for r in (t03.rows if t03 else [])
            if r["subject_code"] and any(r[c.name] for c in t03.columns)]
    used_subjects = _records(con, """
        select s.subject_code, s.subject_name, s.description_zh, s.class_name, s.section_name
        from marts.dim_function_subjects as s
        where s.subject_level = '项' and list_contains(?, s.subject_code)
        order by s.subject_code""", [used]) if used else []
    types = _records(con, "select expenditure_type_name, description_zh from marts.dim_expenditure_types "
                          "where description_zh is not null order by sort_order", [])
    overall = _records(con, "select * from marts.fct_overall_evaluations where unit_code = ? and fiscal_year = ?",
                       key)
    indicators = _records(con, """
        select i.* from marts.fct_performance_indicators as i
        join marts.fct_project_performance as p using (project_code, fiscal_year)
        where p.unit_code = ? and i.fiscal_year = ?
        order by i.project_code, i.indicator_no""", key)
    return Narrative(texts, measures, structure, budget, procurement, assets, projects, used_subjects, types,
                     overall[0] if overall else None, indicators)


def amount(value: Decimal | None) -> str:
    """Amounts as printed: two decimals, blank where zero."""
    return "" if value is None or value == 0 else f"{value:,.2f}"


# ------------------------------------------------------------------------------------------ the audit

@dataclass
class Audit:
    """One imported report's audit: its checklist (every rule once) and its findings (audit.checklist,
    audit.findings)."""
    unit_code: str
    unit_name: str
    fiscal_year: int
    report_kind: str
    source_document: str
    checklist: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)

    def count(self, severity: str, status: str = "open") -> int:
        return sum(1 for f in self.findings if f["severity"] == severity and f["status"] == status)


@dataclass
class AuditSummary:
    """Findings over many reports: by rule and by report."""
    by_rule: list[dict[str, Any]]
    by_report: list[dict[str, Any]]


def audited_unit_years(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Every imported report the audit checked (audit.checklist)."""
    return [(u, y) for u, y in con.execute(
        "select distinct unit_code, fiscal_year from audit.checklist order by unit_code, fiscal_year").fetchall()]


def load_audit(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int) -> Audit:
    head = _records(con, """
        select y.unit_code, u.unit_name, y.fiscal_year, y.report_kind, y.source_document
        from marts.dim_unit_years as y join marts.dim_units as u using (unit_code)
        where y.unit_code = ? and y.fiscal_year = ? and y.data_origin = 'imported'""", [unit_code, fiscal_year])
    if not head:
        raise LookupError(f"no imported report of unit {unit_code!r} in {fiscal_year} (see audit.checklist)")
    h = head[0]
    audit = Audit(h["unit_code"], h["unit_name"], h["fiscal_year"], h["report_kind"], h["source_document"] or "")
    audit.checklist = _records(con, "select * from audit.checklist where unit_code = ? and fiscal_year = ? "
                                    "order by rule_id", [unit_code, fiscal_year])
    audit.findings = _records(con, """
        select * from audit.findings where unit_code = ? and fiscal_year = ?
        order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, status = 'accepted', rule_id,
            page, finding_key""",
                              [unit_code, fiscal_year])
    return audit


def load_audit_summary(con: duckdb.DuckDBPyConnection, reports: list[tuple[str, int]]) -> AuditSummary:
    """Findings by rule and by report, over the given reports (unit_code, fiscal_year)."""
    keys = [f"{u}|{y}" for u, y in reports]
    by_rule = _records(con, """
        select c.rule_id, any_value(c.rule_name) as rule_name, any_value(c.message_zh) as message_zh,
            count(*) as reports,
            count(*) filter (where c.outcome = 'fail') as failed,
            count(*) filter (where c.outcome = 'insufficient_data') as insufficient,
            count(*) filter (where c.outcome = 'not_applicable') as not_applicable,
            sum(c.open_findings) as open_findings, sum(c.accepted_findings) as accepted_findings,
            sum(c.rounding) as rounding
        from audit.checklist as c where list_contains(?, c.unit_code || '|' || c.fiscal_year)
        group by c.rule_id order by c.rule_id""", [keys])
    by_report = _records(con, """
        select c.unit_code, any_value(c.unit_name) as unit_name, c.fiscal_year, any_value(c.report_kind) as report_kind,
            count(*) filter (where c.outcome = 'fail') as rules_failed,
            count(*) filter (where c.outcome = 'insufficient_data') as rules_insufficient,
            sum(c.open_findings) as open_findings, sum(c.accepted_findings) as accepted_findings,
            (select count(*) from audit.findings as f where f.unit_code = c.unit_code
                and f.fiscal_year = c.fiscal_year and f.severity = 'info') as info_findings
        from audit.checklist as c where list_contains(?, c.unit_code || '|' || c.fiscal_year)
        group by c.unit_code, c.fiscal_year
        order by open_findings desc, c.unit_code, c.fiscal_year""", [keys])
    return AuditSummary(by_rule, by_report)
