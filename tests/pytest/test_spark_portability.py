"""The portability lint (scripts/portability.py): every DuckDB-only construct this project met porting to Spark is
named when it comes back, the Spark forms the dispatch macros write are not, and the lint is not blind: the
project compiled for DuckDB is full of what it looks for. (The Spark build's own compiled SQL is linted clean in
test_spark.py.) No Spark needed: these run in the developers' subset."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from portability import duckdb_only, main  # noqa: E402

DUCKDB_ONLY = [
    ("select string_split(a, ',') from t", "string_split"),
    ("select len(list_filter(range(1, 3), lambda i: i > 1)) from t", "lambda"),
    ("select regexp_matches(a, 'x+') from t", "regexp_matches"),
    ("select arg_min(a, b) from t group by c", "arg_min"),
    ("select cast(a as hugeint) from t", "hugeint"),
    ("select a::ubigint from t", "ubigint"),
    ("select cast(a as varchar) from t", "varchar"),
    ("select a from t union all by name select a from u", "UNION ALL BY NAME"),
    ("select * exclude (a, b) from t", "EXCLUDE"),
    ("with x as not materialized (select 1 as a) select * from x", "MATERIALIZED"),
    ("select string_agg(a, ', ' order by b) from t", "string_agg"),
    ("select min(a order by b) from t", "ordered aggregate"),
    ("select round(a, d + 2) from t", "round()"),
    ("select regexp_replace(a, '\\s', '', 'g') from t", "regexp_replace"),
    ("select (a * 2) // b from t", "integer division"),
    ("select unnest(string_split(a, ',')) from t", "unnest"),
    ("unpivot t on columns(lambda c: c not in ('a')) into name n value v", "UNPIVOT"),
    ("select hash(a, b) from t", "hash"),
    ("select starts_with(a, 'x') from t", "starts_with"),
]

SPARK_FORMS = [
    "select split(a, '\\Q,\\E') from t",
    "select size(filter(sequence(1, greatest(1, 3 - 1)), i -> i < 3 and (i > 1))) from t",
    "select (a rlike 'x+') from t",
    "select min_by(a, b) from t group by c",
    "select cast(a as decimal(38, 0)), cast(a as string), a::string from t",
    "select * except (a, b) from t",
    "select listagg(a, ', ') within group (order by b) from t",
    "select nullif(array_join(array_sort(collect_set(a) filter (where b > 0)), '; '), '') from t",
    "select round(a, 2), round(cast(a as double) * power(10, d)) / power(10, d) from t",
    "select (a * 2) div b from t",
    "select explode(split(a, ',')) from t",
    "select xxhash64('x', t.*) from t",
    "select * from t unpivot (amount for column_name in (x, y))",
    "select a, count(*) filter (where b > 0) from t group by all qualify row_number() over (order by a) = 1",
    "-- a comment with // and union all by name\nselect 'a string: * exclude (x), lambda x: 1' as s",
]


@pytest.mark.parametrize("sql, construct", DUCKDB_ONLY, ids=[c for _, c in DUCKDB_ONLY])
def test_spark_lint_names_each_duckdb_only_construct(sql, construct):
    found = duckdb_only(sql)
    assert any(construct.lower() in f.lower() for f in found), found


@pytest.mark.parametrize("sql", SPARK_FORMS)
def test_spark_lint_passes_the_portable_forms(sql):
    assert duckdb_only(sql) == []


def test_spark_lint_is_not_blind_on_the_duckdb_compilation(warehouse, capsys):
    """The warehouse fixture's compiled SQL (the duckdb target) goes through the dispatch macros' DuckDB side: the
    lint names what Spark would refuse there, model by model, and exits 1."""
    compiled = warehouse.db_path.parent / "target" / "compiled"
    assert main([str(compiled)]) == 1
    lines = capsys.readouterr().out.splitlines()
    by_model = {}
    for line in lines:
        path, construct = line.rsplit(": ", 1) if ": " in line else (line, "")
        by_model.setdefault(Path(path.split(": ")[0]).name, []).append(line)
    assert any("UNION ALL BY NAME" in l for l in by_model["stg_balances.sql"]), by_model.get("stg_balances.sql")
    assert any("EXCLUDE" in l for l in by_model["audit_report_cells.sql"])
    assert any("string_split" in l for l in by_model["int_narrative_checks.sql"])
