#!/usr/bin/env python3
"""The portability lint: DuckDB-only SQL in models and tests compiled for Spark.

Every model, macro and test runs on DuckDB and on Spark; where the dialects differ the SQL goes through a dispatch
macro (macros/portability/). This lint parses each compiled statement with sqlglot for the Spark dialect and names
each construct Spark does not run that came back: a DuckDB function (string_split, list_filter, regexp_matches,
arg_min, …), a DuckDB type (hugeint, ubigint, varchar without a length), UNION ALL BY NAME, * EXCLUDE, COLUMNS(…),
a lambda, a MATERIALIZED hint, an aggregate ordered inside its parentheses, round() to a column's digits, // and
regexp_replace's 'g' flag. sqlglot's Spark parser accepts much that Spark does not (Databricks syntax), hence the
list: each entry was met porting this project.

    scripts/portability.py target/compiled      lint a folder of compiled SQL (dbt compile --target spark)
    scripts/portability.py --sql "select …"    lint one statement
Exit status 1 when anything is found, one line per construct: <file>: <construct>.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import sqlglot
from sqlglot import exp

# DuckDB functions Spark 4 does not have (or has with another meaning), by lower-case name
DUCKDB_FUNCTIONS = {
    "string_split", "string_split_regex", "str_split", "str_split_regex", "regexp_matches", "regexp_full_match",
    "list_filter", "list_transform", "list_value", "list_contains", "list_has", "list_distinct", "list_sort",
    "list_concat", "list_append", "list_prepend", "list_extract", "list_element", "list_aggregate", "len_list",
    "arg_min", "arg_max", "starts_with", "ends_with", "strftime", "strptime", "epoch", "epoch_ms", "struct_pack",
    "range", "generate_series", "unnest", "read_parquet", "read_csv", "read_csv_auto", "read_json", "glob",
    "hash", "md5_number", "list", "histogram", "quantile_cont", "quantile_disc", "today", "time_bucket",
    "make_date",
}
# (sqlglot parses Spark's min_by as ArgMin and i -> … as Lambda too: those two are text rules below)
SQLGLOT_DUCKDB_ONLY = {exp.StrToTime: "strptime", exp.TimeToStr: "strftime", exp.Unnest: "unnest",
                       exp.Columns: "COLUMNS(…)"}
DUCKDB_TYPES = {exp.DataType.Type.INT128: "hugeint", exp.DataType.Type.UBIGINT: "ubigint",
                exp.DataType.Type.UINT: "uinteger", exp.DataType.Type.UINT128: "uhugeint",
                exp.DataType.Type.USMALLINT: "usmallint", exp.DataType.Type.UTINYINT: "utinyint"}
# what the AST does not tell apart from Spark's own syntax, by its text (comments and string literals removed)
TEXT_RULES = [
    (re.compile(r"\*\s*exclude\s*\(", re.I), "* EXCLUDE (…) (Spark: * EXCEPT)"),
    (re.compile(r"\bunion\s+(all\s+)?by\s+name\b", re.I), "UNION ALL BY NAME"),
    (re.compile(r"\bas\s+(not\s+)?materialized\s*\(", re.I), "a CTE MATERIALIZED hint"),
    (re.compile(r"\blambda\s+\w+\s*:", re.I), "a lambda (lambda x: …)"),
    (re.compile(r"(?<![/:])//(?![/])"), "// integer division (Spark: div)"),
    (re.compile(r"\bvarchar\b(?!\s*\()", re.I), "varchar without a length (Spark: string)"),
    (re.compile(r"\bunpivot\s+\w+\s+on\b", re.I), "DuckDB's UNPIVOT … ON … INTO statement"),
    (re.compile(r"\b(hugeint|ubigint|uinteger|uhugeint)\b", re.I), "a DuckDB integer type (hugeint, ubigint, uinteger)"),
    (re.compile(r"\b(starts_with|ends_with)\s*\(", re.I), "DuckDB starts_with/ends_with (Spark: startswith)"),
    (re.compile(r"\barg_(min|max)\s*\(", re.I), "DuckDB arg_min/arg_max (Spark: min_by/max_by)"),
    (re.compile(r"\bstring_agg\s*\((?:[^()]|\([^()]*\))*\border\s+by\b", re.I),
     "string_agg(… order by …) (Spark: listagg(…) within group (order by …))"),
]
AGGREGATES = (exp.Min, exp.Max, exp.Sum, exp.Count, exp.Avg, exp.AnyValue, exp.First, exp.Last, exp.ArrayAgg)
STRINGS_AND_COMMENTS = re.compile(r"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/", re.S)


def _text_findings(sql: str) -> list[str]:
    bare = STRINGS_AND_COMMENTS.sub("''", sql)
    return [name for pattern, name in TEXT_RULES if pattern.search(bare)]


def duckdb_only(sql: str) -> list[str]:
    """The DuckDB-only constructs of one SQL text (one or more statements), each named once, in a stable order."""
    found: list[str] = _text_findings(sql)
    try:
        statements = sqlglot.parse(sql, read="spark")
    except sqlglot.errors.ParseError as e:
        first = str(e).splitlines()[0]
        return sorted(set(found + [f"not Spark SQL: {first[:160]}"]))
    for tree in statements:
        if tree is None:
            continue
        for node in tree.walk():
            if isinstance(node, exp.Anonymous) and node.name.lower() in DUCKDB_FUNCTIONS:
                found.append(f"DuckDB function {node.name.lower()}()")
            elif type(node) in SQLGLOT_DUCKDB_ONLY:
                found.append(f"DuckDB {SQLGLOT_DUCKDB_ONLY[type(node)]}")
            elif isinstance(node, exp.DataType) and node.this in DUCKDB_TYPES:
                found.append(f"DuckDB type {DUCKDB_TYPES[node.this]}")
            elif isinstance(node, exp.Union) and node.args.get("by_name"):
                found.append("UNION ALL BY NAME")
            elif isinstance(node, AGGREGATES) and node.find(exp.Order) is not None \
                    and not isinstance(node.parent, exp.WithinGroup):
                found.append(f"an ordered aggregate {node.key}(… order by …)")
            elif isinstance(node, exp.Round) and node.args.get("decimals") is not None \
                    and not isinstance(node.args["decimals"], exp.Literal) \
                    and not (isinstance(node.args["decimals"], exp.Neg) and isinstance(node.args["decimals"].this, exp.Literal)):
                found.append("round() to a column's digits (Spark: a constant)")
            elif isinstance(node, exp.RegexpReplace) and any(
                    isinstance(node.args.get(a), exp.Literal) and node.args[a].is_string
                    for a in ("position", "occurrence", "modifiers")):
                found.append("regexp_replace(…, 'g') (Spark replaces every match)")
    return sorted(set(found))


def lint_folder(folder: Path) -> dict[Path, list[str]]:
    return {path: problems for path in sorted(folder.rglob("*.sql"))
            if (problems := duckdb_only(path.read_text(encoding="utf-8")))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("folders", nargs="*", type=Path, help="folders of compiled SQL (target/compiled)")
    parser.add_argument("--sql", help="lint this statement instead")
    args = parser.parse_args(argv)
    if args.sql is not None:
        found = {Path("<sql>"): duckdb_only(args.sql)}
    else:
        if not args.folders:
            parser.error("give a folder of compiled SQL or --sql")
        found = {p: f for folder in args.folders for p, f in lint_folder(folder).items()}
    for path, problems in found.items():
        for problem in problems:
            print(f"{path}: {problem}")
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
