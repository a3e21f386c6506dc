#!/usr/bin/env python3
"""Run the README's ready-made analyst queries against a built warehouse and write them, with their
output, as Markdown (docs/analyst_queries.md). The test suite regenerates the page from a fresh build and
checks that the committed page is current."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]

QUERIES: list[tuple[str, str, str]] = [
    ("Ten-year trend of one 类 for a unit",
     "决算 of 206 科学技术支出 for one unit, 2015–2024, with the change against the year before. Years known "
     "only as totals (detail_level = summary) have no 类 detail and do not appear here; see the next query.",
     """select fiscal_year, subject_code, subject_name, amount, gpb_amount,
       prior_year_amount, change_amount, growth_rate_pct
from marts.mart_expenditure_trend
where unit_code = 'WH-KJJ-XMZX' and subject_code = '206'
  and fiscal_year between 2015 and 2024
order by fiscal_year"""),
    ("Ten-year trend of a unit's totals",
     "Headline totals per year, including years known only from a later narrative (detail_level = summary).",
     """select fiscal_year, measure_code, measure_name_zh, detail_level, amount,
       prior_year_amount, change_amount, growth_rate_pct
from marts.mart_totals_trend
where unit_code = 'WH-KJJ-XMZX' and measure_code in ('expenditure_total', 'gpb_expenditure')
  and fiscal_year between 2015 and 2024
order by measure_code, fiscal_year"""),
    ("Units of a department ranked by growth",
     "The units of 武汉市科技创新局 (WH-KJJ) by the growth of their 本年支出合计 in 2024.",
     """select t.unit_code, t.unit_name, t.amount, t.prior_year_amount, t.growth_rate_pct,
       rank() over (order by t.growth_rate_pct desc nulls last) as growth_rank
from marts.mart_totals_trend as t
join marts.dim_units as u using (unit_code)
where u.department_code = 'WH-KJJ' and u.unit_kind <> '部门'
  and t.fiscal_year = 2024 and t.measure_code = 'expenditure_total'
order by growth_rank, t.unit_code"""),
    ("Budget execution below 90%",
     "一般公共预算财政拨款 决算 against 年初预算, where less than 90% of the budget was spent.",
     """select unit_code, fiscal_year, subject_code, subject_name, budget_amount, final_amount,
       execution_rate_pct
from marts.mart_budget_execution
where execution_rate_pct < 90
order by execution_rate_pct, unit_code, fiscal_year, subject_code"""),
]


def markdown_table(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    fmt = lambda v: "" if v is None else str(v)  # noqa: E731
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + f"\n\n({len(rows)} row{'s' if len(rows) != 1 else ''})"


def render(db: Path) -> str:
    parts = ["# Analyst queries", "",
             "Ready queries for the DuckDB warehouse (`duckdb warehouse/juesuan.duckdb`, or any BI tool on schema "
             "`marts`). The output below is from the shipped data, produced by "
             "`./juesuan queries` after `./juesuan build`; the test suite checks it is current.", ""]
    with duckdb.connect(str(db), read_only=True) as con:
        for title, text, sql in QUERIES:
            parts += [f"## {title}", "", text, "", "```sql", sql + ";", "```", "", markdown_table(con, sql), ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=ROOT / "warehouse" / "juesuan.duckdb", help="built warehouse")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "analyst_queries.md",
                        help="Markdown file to write ('-' for standard output)")
    args = parser.parse_args(argv)
    text = render(args.db)
    if str(args.out) == "-":
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
