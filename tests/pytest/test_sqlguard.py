"""The SQL guard (scripts/sqlguard.py) and the reader's connection (scripts/published.py): hostile statements
are refused with their reason and change nothing; a reader's queries give the marts' exact values."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

from publish import publish  # noqa: E402
from published import connect, current, query  # noqa: E402
from sqlguard import MAX_CHARS, Refused, check  # noqa: E402

HOSTILE = yaml.safe_load((Path(__file__).parent / "fixtures" / "hostile_sql.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def published_dir(warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("published")
    publish(warehouse.db_path, out, ROOT)
    return out


def files_of(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_corpus_has_at_least_fifty_hostile_statements():
    assert len(HOSTILE) >= 50 and len({c["sql"] for c in HOSTILE}) == len(HOSTILE)


@pytest.mark.parametrize("case", HOSTILE, ids=[f"{i:02d}" for i in range(len(HOSTILE))])
def test_a_hostile_statement_is_refused_with_its_reason_and_nothing_changes(case, published_dir):
    before = files_of(published_dir)
    with pytest.raises(Refused) as refused:
        query(case["sql"], published_dir, max_rows=100, timeout=1.0)
    assert case["expect"] in str(refused.value)
    assert files_of(published_dir) == before
    assert not list(Path("/tmp").glob("juesuan_hostile*"))


def test_a_megabyte_of_input_and_deep_nesting_are_refused(published_dir):
    tables = current(published_dir).tables
    megabyte = "select 1" + " " * (1 << 20) + "-- x"
    with pytest.raises(Refused, match=f"the statement has {len(megabyte)} characters; at most {MAX_CHARS} are read"):
        check(megabyte, tables)
    with pytest.raises(Refused):
        check("select " + "(" * 5000 + "1" + ")" * 5000, tables)


def test_a_readers_queries_give_the_marts_values(published_dir, con):
    """CTEs, joins, windows, aggregates, set operations: what runs is the checked tree written back, and it gives
    exactly what a direct query of the warehouse gives."""
    cases = [
        ("select amount from marts.mart_totals_trend where unit_code = 'WH-KJJ-XMZX' and fiscal_year = 2024 "
         "and measure_code = 'expenditure_total'", [(Decimal("1553.97"),)]),
        ("with e as (select fiscal_year, sum(amount) as total from marts.fct_expenditure group by all) "
         "select fiscal_year, total, round(100 * total / sum(total) over (), 2) as share from e order by 1", None),
        ("select u.unit_name, y.fiscal_year from marts.dim_units u join marts.dim_unit_years y using (unit_code) "
         "where y.detail_level = 'full' order by 1, 2", None),
        ("select item_name, amount, rank() over (order by amount desc) from marts.gongkai_06 "
         "where cost_type = '公用经费' order by 3, 1 limit 5", None),
        ("select unit_code from marts.dim_units union select unit_code from marts.dim_unit_years order by 1", None),
        ("select count(*) filter (where severity = 'error') as errors, count(*) as findings from audit.findings",
         None),
    ]
    for sql, expected in cases:
        result = query(sql, published_dir, max_rows=1000)
        direct = con.execute(sql).fetchall()
        assert result.rows == direct and not result.truncated, sql
        if expected is not None:
            assert result.rows == expected


def test_at_most_the_row_limit_is_returned_and_a_smaller_limit_is_kept(published_dir, con):
    n = con.execute("select count(*) from marts.gongkai_06").fetchone()[0]
    assert n > 10
    capped = query("select line_no from marts.gongkai_06 order by line_no", published_dir, max_rows=10)
    assert capped.truncated and [r[0] for r in capped.rows] == list(range(1, 11))
    own = query("select line_no from marts.gongkai_06 order by line_no limit 3", published_dir, max_rows=10)
    assert not own.truncated and len(own.rows) == 3


def test_the_readers_connection_refuses_files_and_settings_even_without_the_guard(published_dir):
    """Defence in depth: the connection itself is read-only, with file access off and its configuration locked."""
    con = connect(current(published_dir))
    try:
        for sql, message in [("select * from read_text('/etc/hostname')", "file system operations are disabled"),
                             ("set enable_external_access = true", "the configuration has been locked"),
                             ("create table marts.x as select 1", "read-only mode")]:
            with pytest.raises(duckdb.Error, match=message):
                con.execute(sql)
    finally:
        con.close()


def test_the_sql_command_prints_a_result_and_refuses_with_exit_2(published_dir, tmp_path):
    juesuan = str(ROOT / "juesuan")
    ok = subprocess.run([juesuan, "sql", "--published", str(published_dir), "--format", "csv",
                         "select unit_code, amount from marts.mart_totals_trend where fiscal_year = 2024 and "
                         "measure_code = 'expenditure_total' order by 1"], cwd=tmp_path, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines() == ["unit_code,amount", "WH-KJJ-XMZX,1553.97"]
    refused = subprocess.run([juesuan, "sql", "--published", str(published_dir), "select * from read_text('/etc/passwd')"],
                             cwd=tmp_path, capture_output=True, text=True)
    assert refused.returncode == 2 and refused.stderr.startswith("sql: refused: FROM read_text(…)")
    nothing = subprocess.run([juesuan, "sql", "--published", str(tmp_path / "none"), "select 1"],
                             cwd=tmp_path, capture_output=True, text=True)
    assert nothing.returncode == 1 and "nothing published" in nothing.stderr
