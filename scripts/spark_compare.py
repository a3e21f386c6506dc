"""Compare a Spark warehouse (the Parquet folders dbt-spark wrote) with a DuckDB warehouse, table by table, row for
row and cell for cell, in DuckDB. Used by tests/pytest/test_spark.py and scripts/benchmark_spark.py.

Hash columns are left out: 64-bit hashes are engine-specific by design (DuckDB hash() is UBIGINT, Spark xxhash64()
is BIGINT; macros/portability/hash.sql) and join rows within one warehouse only. They are found as the columns
DuckDB types UBIGINT, the type juesuan_hash returns there; the unit-year fingerprints made of them are not compared.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

HASH_TYPE = "UBIGINT"
NOT_COMPARED = frozenset({"int_unit_year_fingerprints", "int_build_ledger"})  # md5 of hash sums


def spark_tables(warehouse: Path) -> dict[tuple[str, str], Path]:
    """(schema, table) -> its Parquet folder, for every table the Spark build wrote (views write none)."""
    return {(db.name.removesuffix(".db"), t.name): t for db in warehouse.glob("*.db") for t in db.iterdir()
            if t.is_dir()}


def parquet_rows(folder: Path, columns: str = "*") -> str:
    """A table Spark wrote, as a DuckDB relation (its partition column read back from the folder names); an empty
    table is a folder without Parquet files."""
    if not any(folder.rglob("*.parquet")):
        return "(select 1 where false)"
    return f"(select {columns} from read_parquet('{folder}/**/*.parquet', hive_partitioning = true))"


def duck_tables(db: Path, schemas: tuple[str, ...] | None = None) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(schema, table) -> [(column, DuckDB type)] of every base table (of `schemas`, when given)."""
    with duckdb.connect(str(db), read_only=True) as c:
        rows = c.execute("select table_schema, table_name, column_name, data_type from information_schema.columns "
                         "join information_schema.tables using (table_catalog, table_schema, table_name) "
                         "where table_type = 'BASE TABLE' order by table_schema, table_name, ordinal_position"
                         ).fetchall()
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, table, column, dtype in rows:
        if schemas is None or schema in schemas:
            out.setdefault((schema, table.lower()), []).append((column.lower(), dtype))
    return out


def differences(duck_db: Path, warehouse: Path, skip: frozenset[str] = frozenset(),
                schemas: tuple[str, ...] | None = None) -> tuple[dict[str, int], dict[str, tuple]]:
    """Rows compared per table (every table both wrote, of `schemas` when given, but NOT_COMPARED and `skip`), and
    per table that differs: (rows only in Spark's, rows only in DuckDB's, up to three of Spark's rows)."""
    duck_cols = duck_tables(duck_db, schemas)
    compared, differ = {}, {}
    with duckdb.connect() as c:
        c.execute(f"attach '{duck_db}' as duck (read_only)")
        for (schema, table), folder in sorted(spark_tables(warehouse).items()):
            if table in NOT_COMPARED | skip or (schema, table) not in duck_cols:
                continue
            columns = [(n, t) for n, t in duck_cols[(schema, table)] if t != HASH_TYPE]
            d_rel = f'(select {", ".join(f"{chr(34)}{n}{chr(34)}" for n, _ in columns)} from duck."{schema}"."{table}")'
            if not any(folder.rglob("*.parquet")):  # empty on Spark: compared by DuckDB's count alone
                s_rel = f"(select * from {d_rel} where false)"
            else:  # each column typed as DuckDB's
                s_rel = parquet_rows(folder, ", ".join(f'cast("{n}" as {t}) as "{n}"' for n, t in columns))
            only_s = c.execute(f"select count(*) from ({s_rel} except all {d_rel})").fetchone()[0]
            only_d = c.execute(f"select count(*) from ({d_rel} except all {s_rel})").fetchone()[0]
            compared[f"{schema}.{table}"] = c.execute(f"select count(*) from {d_rel}").fetchone()[0]
            if only_s or only_d:
                sample = c.execute(f"select * from ({s_rel} except all {d_rel}) limit 3").fetchall()
                differ[f"{schema}.{table}"] = (only_s, only_d, sample)
    return compared, differ
