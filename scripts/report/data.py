"""Read one unit-year's report from the warehouse marts: layout (titles, headers, notes) and rows.

Everything a renderer prints comes from here; renderers never compute figures from seeds."""
from __future__ import annotations

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
class Table:
    table_code: str          # national meaning: 01 … 09 (mart gongkai_NN)
    printed_table_no: str    # 公开01表, or 表7 in another layout
    title: str               # 收入支出决算总表
    note: str | None
    empty_statement: str | None  # "本单位2024年度无…" when the table has no figures
    has_line_numbers: bool
    columns: list[Column]
    rows: list[dict[str, Any]]   # mart rows in printed order (amounts are Decimal)

    @property
    def is_empty(self) -> bool:
        return all(row[c.name] == 0 for row in self.rows for c in self.columns)

    @property
    def shows_empty_statement(self) -> bool:
        """Whether the empty_statement is printed under the table: it has one and every 决算 figure is zero.

        Columns under 预算数 (公开09's 年初预算) do not count: the document prints "本单位2024年度无财政拨款
        “三公”经费支出。" under a 公开09 whose only figures are 预算数. For 07/08 this is `is_empty`."""
        return bool(self.empty_statement) and all(
            row[c.name] == 0 for row in self.rows for c in self.columns if c.header_levels[:1] != ["预算数"])

    def sides(self) -> list[str | None]:
        return sorted({c.side for c in self.columns}, key=lambda s: (s != "income", s or ""))


@dataclass
class Report:
    unit_code: str
    unit_name: str
    unit_kind: str
    report_kind: str         # 单位决算 / 部门决算
    fiscal_year: int
    template_version: str
    tables: list[Table] = field(default_factory=list)

    def table(self, code: str) -> Table:
        return next(t for t in self.tables if t.table_code == code)


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


def load_report(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int) -> Report:
    head = _records(con, """
        select u.unit_code, u.unit_name, u.unit_kind, y.report_kind, y.fiscal_year, y.template_version
        from marts.dim_unit_years as y join marts.dim_units as u using (unit_code)
        where y.unit_code = ? and y.fiscal_year = ? and y.detail_level = 'full'""", [unit_code, fiscal_year])
    if not head:
        raise LookupError(f"no full report for unit {unit_code!r} in {fiscal_year} (see marts.dim_unit_years)")
    h = head[0]
    report = Report(h["unit_code"], h["unit_name"], h["unit_kind"], h["report_kind"], h["fiscal_year"],
                    h["template_version"])
    tables = _records(con, "select * from marts.dim_report_tables where template_version = ? order by table_code",
                      [report.template_version])
    for t in tables:
        cols = [Column(c["column_name"], c["column_no"], c["header_zh"].split(), c["side"]) for c in _records(
            con, "select * from marts.dim_report_columns where template_version = ? and table_code = ? "
                 "order by column_order", [report.template_version, t["table_code"]])]
        order = "side desc, line_no" if t["table_code"] in ("01", "04") else "line_no"
        rows = _records(con, f"select * from marts.gongkai_{t['table_code']} "
                             f"where unit_code = ? and fiscal_year = ? order by {order}", [unit_code, fiscal_year])
        note = t["note_zh"]
        empty = (t["empty_statement_zh"] or "").replace("{year}", str(fiscal_year)) or None
        report.tables.append(Table(t["table_code"], t["printed_table_no"], t["title"], note, empty,
                                   bool(t["has_line_numbers"]), cols, rows))
    return report


def amount(value: Decimal | None) -> str:
    """Amounts as printed: two decimals, blank where zero."""
    return "" if value is None or value == 0 else f"{value:,.2f}"
