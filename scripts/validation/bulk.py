"""The bulk Parquet files as files: each is a bulk table's (by its name, `<table>.parquet` or
`<table>.<batch>.parquet`), readable, with that table's columns in its types (scripts/importer/store.py TABLES).
A file that fails is named and left out of the checks of rows (its rows are not read)."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb

from .declarations import KEYS, REQUIRED
from .problems import Problem

INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER"}


def bulk_tables() -> dict[str, dict[str, str]]:
    """table -> column -> DuckDB type, from the bulk tables' schemas."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from importer.store import TABLES

    out = {}
    for table, schema in TABLES.items():
        out[table] = {part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1].upper().replace(" ", "")
                      for part in re.split(r",(?![^(]*\))", schema)}
    return out


def compatible(found: str, wanted: str) -> bool:
    found = found.upper().replace(" ", "")
    if found == wanted:
        return True
    if wanted == "INTEGER":
        return found in INTEGERS
    decimal = re.fullmatch(r"DECIMAL\((\d+),(\d+)\)", found)
    want = re.fullmatch(r"DECIMAL\((\d+),(\d+)\)", wanted)
    if want and decimal:  # a narrower decimal of the same scale holds only values the wanted one holds
        return int(decimal.group(2)) == int(want.group(2)) and int(decimal.group(1)) <= int(want.group(1))
    return False


def essential(table: str) -> set[str]:
    """The columns a bulk file cannot do without (a key, an amount, a required column); others, added to a bulk
    table after a batch was written, are read as NULL."""
    cols = set(KEYS.get(table, ())) | {c for c, _ in REQUIRED.get(table, [])} | {"amount"}
    return cols


def check_bulk_files(con: duckdb.DuckDBPyConnection, files: list[Path]) -> tuple[dict[str, list[Path]], list[Problem]]:
    tables = bulk_tables()
    good: dict[str, list[Path]] = {}
    problems = []
    for path in files:
        table = path.name.split(".", 1)[0]
        if table not in tables:
            problems.append(Problem(path, 0, "bulk_unknown_table", f"bulk tables: {', '.join(tables)}"))
            continue
        try:
            found = {name: kind for name, kind in con.execute(
                f"select column_name, column_type from (describe select * from read_parquet('{str(path).replace(chr(39), chr(39) * 2)}'))"
            ).fetchall()}
        except duckdb.Error as e:
            problems.append(Problem(path, 0, "bulk_unreadable", str(e).splitlines()[0]))
            continue
        wrong = []
        for column, kind in tables[table].items():
            if column not in found:
                if column in essential(table):
                    wrong.append(f"{column} is missing")
            elif not compatible(found[column], kind):
                said = " (money is DECIMAL, never a float)" if "DECIMAL" in kind and found[column] in ("DOUBLE", "FLOAT") else ""
                wrong.append(f"{column} is {found[column]}, not {kind}{said}")
        if wrong:
            problems.append(Problem(path, 0, "bulk_schema", "; ".join(wrong)))
            continue
        good.setdefault(table, []).append(path)
    return good, problems
