"""Write imported reports as bulk-load batches (typed Parquet files read by the dbt source `bulk`).

One batch per unit-year, named `<table>.imp_<unit>_<year>.parquet` in the imports folder, so that importing
the same unit-year again replaces exactly its files; a unit the seeds lack has its row in
`ref_units.imp_unit_<unit>.parquet`, one per unit whatever its years. The folder also holds a zero-row `<table>.parquet` of
every bulk table, so the source resolves for tables a batch has no rows for.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

TABLES = {
    "ref_units": "unit_code VARCHAR, unit_name VARCHAR, unit_kind VARCHAR, unit_class VARCHAR, "
                 "parent_unit_code VARCHAR, admin_level VARCHAR, region VARCHAR",
    "ref_unit_years": "unit_code VARCHAR, fiscal_year INTEGER, template_version VARCHAR, report_kind VARCHAR, "
                      "source_document VARCHAR, data_origin VARCHAR, detail_level VARCHAR, amount_unit VARCHAR",
    "ref_unit_memberships": "unit_code VARCHAR, department_code VARCHAR, from_year INTEGER, to_year INTEGER",
    "ref_function_subjects": "subject_code VARCHAR, subject_name VARCHAR, subject_level VARCHAR, parent_code VARCHAR, "
                             "description_zh VARCHAR, source_document VARCHAR",
    "ref_economic_subjects": "econ_code VARCHAR, econ_name VARCHAR, econ_level VARCHAR, parent_code VARCHAR, "
                             "cost_type VARCHAR, source_document VARCHAR",
    "amt_revenue": "unit_code VARCHAR, fiscal_year INTEGER, subject_code VARCHAR, source_code VARCHAR, "
                   "amount DECIMAL(18,2)",
    "amt_expenditure": "unit_code VARCHAR, fiscal_year INTEGER, subject_code VARCHAR, fund_code VARCHAR, "
                       "expenditure_type VARCHAR, amount DECIMAL(18,2)",
    "amt_basic_expenditure_economic": "unit_code VARCHAR, fiscal_year INTEGER, fund_code VARCHAR, "
                                      "econ_code VARCHAR, amount DECIMAL(18,2)",
    "amt_sangong": "unit_code VARCHAR, fiscal_year INTEGER, phase VARCHAR, item_code VARCHAR, amount DECIMAL(18,2)",
    "amt_balances": "unit_code VARCHAR, fiscal_year INTEGER, balance_kind VARCHAR, fund_code VARCHAR, "
                    "subject_code VARCHAR, amount DECIMAL(18,2)",
    "imp_printed_tables": "unit_code VARCHAR, fiscal_year INTEGER, source_document VARCHAR, layout VARCHAR, "
                          "table_code VARCHAR, table_no VARCHAR, printed_table_no VARCHAR, printed_title VARCHAR, "
                          "heading_year INTEGER, first_page INTEGER, last_page INTEGER, empty_statement VARCHAR, "
                          "figures INTEGER, heading_unit VARCHAR, cover_unit VARCHAR",
    "imp_printed_cells": "unit_code VARCHAR, fiscal_year INTEGER, source_document VARCHAR, table_code VARCHAR, "
                         "table_no VARCHAR, side VARCHAR, row_order INTEGER, row_key VARCHAR, row_label VARCHAR, "
                         "line_no INTEGER, subject_dimension VARCHAR, subject_code VARCHAR, column_name VARCHAR, "
                         "column_no INTEGER, column_header VARCHAR, cell_state VARCHAR, amount DECIMAL(18,2), "
                         "raw_text VARCHAR, page INTEGER, line INTEGER, template_row_order INTEGER",
    "imp_narrative_claims": "unit_code VARCHAR, fiscal_year INTEGER, source_document VARCHAR, claim_no INTEGER, "
                            "claim_kind VARCHAR, section VARCHAR, page INTEGER, line INTEGER, sentence VARCHAR, "
                            "label VARCHAR, measure VARCHAR, subject_label VARCHAR, amount DECIMAL(18,2), "
                            "amount_decimals INTEGER, base_amount DECIMAL(18,2), base_measure VARCHAR, base_decimals INTEGER, "
                            "change_amount DECIMAL(18,2), change_decimals INTEGER, percent DECIMAL(9,4), "
                            "percent_decimals INTEGER, "
                            "direction VARCHAR, rate_direction VARCHAR, group_no INTEGER, terms INTEGER",
}


def columns(table: str) -> list[str]:
    return [c.strip().split(" ")[0] for c in re.split(r",(?![^(]*\))", TABLES[table])]


def batch_name(unit_code: str, year: int) -> str:
    return "imp_" + re.sub(r"[^A-Za-z0-9_-]", "_", unit_code) + f"_{year}"


def unit_batch_name(unit_code: str) -> str:
    """The batch of a unit's own row (ref_units), shared by all its imported years."""
    return "imp_unit_" + re.sub(r"[^A-Za-z0-9_-]", "_", unit_code)


def ensure_folder(folder: Path) -> None:
    """The imports folder with a zero-row file of every bulk table, in the table's current schema (a zero-row
    file of an older schema is written again; a file with rows is never touched)."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for table, schema in TABLES.items():
        empty = folder / f"{table}.parquet"
        if empty.exists():
            rows, names = con.execute(f"select count(*), (select list(name) from parquet_schema('{empty}')) "
                                      f"from read_parquet('{empty}')").fetchone()
            if rows or set(columns(table)) <= set(names):
                continue
        con.execute(f"create or replace temp table t ({schema})")
        con.execute(f"copy t to '{empty}' (format parquet)")
    con.close()


def write_batch(folder: Path, batch: str, rows: dict[str, list[tuple]]) -> list[Path]:
    """Write one batch's files as `<name>.parquet.tmp` beside their final names; returns the temp files.
    Amounts go through their text (Decimal -> VARCHAR -> DECIMAL(18,2)), so no figure passes through a float."""
    import pandas as pd

    con = _connection()
    written: list[Path] = []
    for table, schema in TABLES.items():
        data = rows.get(table, [])
        if not data:
            continue
        names = columns(table)
        frame = pd.DataFrame(data, columns=names, dtype=object)
        if "amount" in names:
            frame["amount"] = frame["amount"].map(lambda v: None if v is None else str(v))
        con.execute(f"create or replace temp table t ({schema})")
        con.register("frame", frame)
        con.execute("insert into t select * from frame")
        con.unregister("frame")
        tmp = folder / f"{table}.{batch}.parquet.tmp"
        con.execute(f"copy t to '{tmp}' (format parquet)")
        written.append(tmp)
    return written


_CON: duckdb.DuckDBPyConnection | None = None


def _connection() -> duckdb.DuckDBPyConnection:
    global _CON
    if _CON is None:
        _CON = duckdb.connect()
    return _CON


def files_of(folder: Path, batch: str) -> list[Path]:
    return sorted(folder.glob(f"*.{batch}.parquet"))


class Swap:
    """Put new batch files in place, keeping what they replace, so a failed build can put everything back."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.backup = folder / ".previous"
        self.moved: list[tuple[Path, Path | None]] = []   # (final path, backup or None)

    def replace(self, batch: str, temps: list[Path]) -> None:
        self.backup.mkdir(exist_ok=True)
        for old in files_of(self.folder, batch):
            saved = self.backup / old.name
            shutil.move(old, saved)
            self.moved.append((old, saved))
        for tmp in temps:
            final = tmp.with_suffix("")
            tmp.rename(final)
            if not any(f == final for f, _ in self.moved):
                self.moved.append((final, None))

    def rollback(self) -> None:
        for final, saved in reversed(self.moved):
            final.unlink(missing_ok=True)
            if saved is not None:
                shutil.move(saved, final)
        self.moved.clear()
        shutil.rmtree(self.backup, ignore_errors=True)

    def commit(self) -> None:
        self.moved.clear()
        shutil.rmtree(self.backup, ignore_errors=True)
