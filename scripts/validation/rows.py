"""The checks of one seed file's header and of each value on its own (its text: a number, a date, a code), and
the charts of accounts' own structure."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import duckdb

from .declarations import CHARTS
from .problems import Problem
from .read import CsvFile

MONEY = re.compile(r"^-?\d{1,16}(\.\d{1,2})?$")
INTEGER = re.compile(r"^-?\d+$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
BOOLEAN = {"true", "false", ""}


def check_header(seed: CsvFile, types: dict[str, str]) -> list[Problem]:
    problems = []
    header, declared = seed.header, list(types)
    for column in sorted({c for c in header if header.count(c) > 1}):
        problems.append(Problem(seed.path, 1, "header_duplicate", f"{column} is named {header.count(column)} times"))
    for column in declared:
        if column not in header:
            problems.append(Problem(seed.path, 1, "header_missing", "", column))
    for column in header:
        if column not in types:
            problems.append(Problem(seed.path, 1, "header_unknown", f"declared: {', '.join(declared)}", column))
    if not problems and header != declared:
        problems.append(Problem(seed.path, 1, "column_order", f"the YAML's order is {', '.join(declared)}"))
    return problems


def is_code(column: str, kind: str) -> bool:
    """A column whose values are numbers or codes (ASCII by nature), not free text."""
    return not kind.startswith("varchar") or column.endswith("_code") or column in ("phase", "balance_kind",
                                                                                    "expenditure_type")


def ascii_form(value: str) -> str:
    """What a value written with full-width characters means (８２１.９３ → 821.93, － → -)."""
    return unicodedata.normalize("NFKC", value).replace("−", "-").replace("，", ",")


def check_values(seed: CsvFile, types: dict[str, str]) -> list[Problem]:
    problems = []
    for line, row in zip(seed.lines, seed.rows):
        for column, kind in types.items():
            if column not in row:
                continue
            value = (row[column] or "").strip()
            if value and is_code(column, kind) and not value.isascii() and ascii_form(value).isascii():
                problems.append(Problem(seed.path, line, "fullwidth", f"write it as {ascii_form(value)!r}", column, value))
                continue
            if kind.startswith("decimal"):
                if column == "amount" and value == "":
                    problems.append(Problem(seed.path, line, "amount_required", "", column))
                elif value and not MONEY.match(value):
                    hint = "; without the thousands separator: " + repr(value.replace(",", "")) \
                        if MONEY.match(value.replace(",", "")) else ""
                    problems.append(Problem(seed.path, line, "money_format", hint.lstrip("; "), column, value))
            elif kind == "date" and value and not DATE.match(value):
                problems.append(Problem(seed.path, line, "date_format", "", column, value))
            elif kind == "integer" and value and not INTEGER.match(value):
                problems.append(Problem(seed.path, line, "integer_format", "", column, value))
            elif kind == "boolean" and value.lower() not in BOOLEAN:
                problems.append(Problem(seed.path, line, "boolean_format", "", column, value))
    return problems


def check_charts(con: duckdb.DuckDBPyConnection, columns: dict[str, list[str]]) -> list[Problem]:
    """ref_function_subjects / ref_economic_subjects, seeds and bulk rows together: a code's level is its
    length's, its parent is the code one level up and in the same chart, it names its source, and an economic
    款 has the cost type its 类's own row gives (the chart is the data)."""
    problems = []
    for seed, (code_col, level_col, levels) in CHARTS.items():
        if seed not in columns or not {code_col, level_col, "parent_code"} <= set(columns[seed]):
            continue
        source = " coalesce(source, source_document)" if {"source", "source_document"} <= set(columns[seed]) else \
            (" source" if "source" in columns[seed] else " source_document" if "source_document" in columns[seed] else " null")
        cost = ", cost_type" if "cost_type" in columns[seed] else ", null"
        rows = con.execute(f'select _file, _row, {code_col}, {level_col}, parent_code,{source}{cost} from in_{seed} '
                           f'order by _file, _row').fetchall()
        codes = {(r[2] or ""): r for r in rows}
        for path, line, code, level, parent, source_said, cost_type in rows:
            code, level, parent = code or "", level or "", parent or ""
            path = Path(path)
            if not code.isdigit() or levels.get(len(code)) != level:
                want = levels.get(len(code)) if code.isdigit() else None
                problems.append(Problem(path, line, "chart_level", f"{code_col} {code!r} is {level_col} "
                                        f"{want or 'no level'} by its length, not {level!r}"))
            elif len(code) == min(levels):
                if parent:
                    problems.append(Problem(path, line, "chart_parent", f"{code} is a {level} and has no parent, not {parent!r}"))
            elif parent != code[:-2]:
                problems.append(Problem(path, line, "chart_parent", f"{code}'s parent is {code[:-2]}, not {parent!r}"))
            elif parent not in codes:
                problems.append(Problem(path, line, "chart_parent", f"{code}'s parent {parent} is not in the chart"))
            if not (source_said or "").strip():
                problems.append(Problem(path, line, "chart_source", f"{code} has no source (the documents that print it)"))
            if cost != ", null" and len(code) > min(levels) and parent in codes:
                want = (codes[parent][6] or "").strip()
                if (cost_type or "").strip() != want:
                    problems.append(Problem(path, line, "chart_cost_type", f"{code} is {want} (类 {parent}), "
                                            f"not {(cost_type or '').strip()!r}"))
    return problems
