"""The same dbt project on Spark (issue 21): `scripts/spark.py build` (dbt-spark, session method, local[2], a Derby
catalog in a temporary folder) on the shipped seeds plus the multi-unit fixture passes every model and every test,
and each table it writes equals DuckDB's build of the same data, row for row and cell for cell; the reconciliation
rules fail on Spark on the broken seed fixtures exactly as on DuckDB, with the same failing rows; and the data
changed (a whole year withdrawn, a unit leaving its department, a unit-year re-filed) and built again incrementally
on Spark equals a full DuckDB build of the changed data. Every test here has `spark` in its name: `./juesuan test
-k spark` runs them."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, append_fixture, copy_project, run_dbt
from test_incremental import fixture as multi_unit_rows, s2_fixture, write_seeds
from test_reconciliation_rules import BROKEN_FIXTURES, RULES, broken_project, failing_rules

sys.path.insert(0, str(ROOT / "scripts"))
# the comparison: every table both engines wrote, hash columns (UBIGINT in DuckDB) left out
from spark_compare import HASH_TYPE, differences, duck_tables, parquet_rows, spark_tables  # noqa: E402

pytestmark = pytest.mark.slow

SPARK = [sys.executable, str(ROOT / "scripts" / "spark.py")]
FIXTURE = Path(__file__).parent / "fixtures" / "multi_unit"


@pytest.fixture(scope="module")
def spark_installed() -> None:
    proc = subprocess.run([*SPARK, "install"], capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]


@pytest.fixture(scope="module")
def builds(spark_installed: None, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One project copy (seeds + the multi-unit fixture) built by DuckDB and by Spark."""
    work = tmp_path_factory.mktemp("spark")
    project = copy_project(work / "project")
    append_fixture(project, FIXTURE)
    duck = run_dbt(["build"], project, work / "duck.duckdb", work / "duck")
    assert duck.returncode == 0, duck.output[-4000:]
    warehouse = work / "spark-warehouse"
    # a Derby catalog (kept between runs, as ./juesuan build --target spark keeps it): the incremental test builds
    # this warehouse again
    spark = spark_build(project, warehouse, work / "spark", "hive")
    return {"duck": duck, "spark": spark, "warehouse": warehouse, "work": work, "project": project}


def spark_build(project: Path, warehouse: Path, work: Path, catalog: str, *dbt_args: str
                ) -> subprocess.CompletedProcess:
    """scripts/spark.py build (dbt build --target spark) of `project` into `warehouse`; target/ and logs/ in `work`."""
    return subprocess.run([*SPARK, "build", "--project-dir", str(project), "--warehouse", str(warehouse),
                           "--catalog", catalog, "--target-path", str(work / "target"),
                           "--log-path", str(work / "logs"), *dbt_args],
                          capture_output=True, text=True, timeout=3600, cwd=project)


def test_spark_build_passes_every_model_and_test(builds):
    run = builds["spark"]
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-6000:]
    done = [line for line in out.splitlines() if "Done. PASS=" in line]
    assert done and " ERROR=0 " in done[-1] and " SKIP=0 " in done[-1], done


def test_spark_writes_every_table_duckdb_writes(builds):
    assert builds["spark"].returncode == 0
    duck = {k for k in duck_tables(builds["duck"].db_path)}
    spark = set(spark_tables(builds["warehouse"]))
    # both write the seeds, the intermediate and the marts tables, and the failures of the stored tests (none here)
    assert duck - spark == set(), sorted(duck - spark)
    assert spark - duck == set(), sorted(spark - duck)


def test_spark_tables_equal_duckdb_row_for_row_and_cell_for_cell(builds):
    assert builds["spark"].returncode == 0
    compared, differ = differences(builds["duck"].db_path, builds["warehouse"])
    assert len(compared) >= 120, len(compared)
    assert compared["marts.gongkai_01"] > 100 and compared["audit.audit_report_cells"] > 1000, compared
    assert differ == {}, differ
    hashed = {n for cols in duck_tables(builds["duck"].db_path).values() for n, t in cols if t == HASH_TYPE}
    assert hashed == {"cell_id", "signature_id"}, hashed  # what is left out, and nothing else


def test_spark_comparison_sees_one_changed_cell(builds, tmp_path):
    """The comparison is not blind: one 公开01 amount changed by 0.01 in a copy of DuckDB's warehouse, one row
    differs on each side of that table and nowhere else."""
    assert builds["spark"].returncode == 0
    changed = tmp_path / "changed.duckdb"
    shutil.copy(builds["duck"].db_path, changed)
    with duckdb.connect(str(changed)) as c:
        c.execute("update marts.gongkai_01 set income_amount = income_amount + 0.01 "
                  "where unit_code = 'WH-KJJ-XMZX' and fiscal_year = 2024 and line_no = 30")
    _, differ = differences(changed, builds["warehouse"])
    assert set(differ) == {"marts.gongkai_01"} and differ["marts.gongkai_01"][:2] == (1, 1), differ


def test_spark_marts_hold_the_shipped_figures(builds):
    """Not only equal: the real unit-year is there with its printed totals (表1 行30 总计 of 武汉市科技项目管理服务中心)."""
    assert builds["spark"].returncode == 0
    folder = spark_tables(builds["warehouse"])[("marts", "gongkai_01")]
    with duckdb.connect() as c:
        spark_total = c.execute(f"select income_amount from {parquet_rows(folder)} where unit_code = 'WH-KJJ-XMZX' "
                                "and fiscal_year = 2024 and line_no = 30").fetchall()
    with builds["duck"].connect() as c:
        duck_total = c.execute("select income_amount from marts.gongkai_01 where unit_code = 'WH-KJJ-XMZX' "
                               "and fiscal_year = 2024 and line_no = 30").fetchall()
    assert len(duck_total) == 1 and duck_total[0][0] > 0
    assert spark_total == duck_total


def test_spark_compiled_sql_has_no_duckdb_only_construct(builds):
    """Every model and test as compiled for Spark, linted by scripts/portability.py: nothing DuckDB-only came back."""
    from portability import lint_folder

    compiled = builds["work"] / "spark" / "target" / "compiled"
    files = list(compiled.rglob("*.sql"))
    assert len(files) > 600, len(files)  # every model and test of the project
    assert lint_folder(compiled) == {}


# ---------- the reconciliation rules on Spark, on the broken seed fixtures of test_reconciliation_rules

# the rules and everything they read, nothing else: R001–R016 (generic tests on audit_report_cells) and R017–R019
# (singular), each with the models and seeds upstream of it, and no other test
RULES_ONLY = ["--select", *[f"+{test}" for test in RULES.values()], "--indirect-selection", "empty"]


def stored_spark_failures(warehouse: Path, rule: str) -> list[dict]:
    """The failing rows Spark stored for a rule (store_failures: audit.<test name>)."""
    folder = spark_tables(warehouse)[("audit", RULES[rule].lower())]
    with duckdb.connect() as c:
        cur = c.execute(f"select * from {parquet_rows(folder)}")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


@pytest.mark.parametrize("fixture, expected_rules, fragment", BROKEN_FIXTURES, ids=[f for f, *_ in BROKEN_FIXTURES])
def test_spark_rules_fail_on_the_broken_fixtures_as_on_duckdb(spark_installed, tmp_path, fixture, expected_rules,
                                                              fragment):
    """Each broken fixture fails exactly its rules on Spark (dbt exits 1), and the failing rows Spark stores equal
    DuckDB's, cell for cell, as does every table the two builds wrote."""
    project = broken_project(tmp_path / "project", fixture)
    duck = run_dbt(["build", *RULES_ONLY], project, tmp_path / "broken.duckdb", tmp_path / "duck")
    assert duck.returncode == 1 and failing_rules(duck.output) == expected_rules, duck.output[-4000:]
    warehouse = tmp_path / "spark-warehouse"
    spark = spark_build(project, warehouse, tmp_path / "spark", "in-memory", *RULES_ONLY)
    out = spark.stdout + spark.stderr
    assert spark.returncode == 1, out[-6000:]
    assert failing_rules(out) == expected_rules, [line for line in out.splitlines() if " FAIL " in line]
    texts = [" ".join(str(v) for v in row.values()) for rule in expected_rules
             for row in stored_spark_failures(warehouse, rule)]
    assert any(fragment in t for t in texts), texts
    compared, differ = differences(duck.db_path, warehouse)
    assert differ == {}, differ
    for rule in expected_rules:
        assert compared[f"audit.{RULES[rule].lower()}"] > 0, rule


# ---------- an incremental build on Spark

def changed_fixture() -> dict:
    """The multi-unit data changed: every 2022 unit-year withdrawn (a whole fiscal_year partition goes), T-M outside
    any department in 2023, T-B1 2024 re-filed (test_incremental's s2 changes, with all of 2022 instead of one)."""
    s2 = s2_fixture()
    return multi_unit_rows(drop=lambda name, row: row.get("fiscal_year") == "2022", replace=s2["replace"])


@pytest.fixture(scope="module")
def incremental(builds: dict) -> dict:
    """The Spark warehouse of `builds` built again by scripts/spark.py build after the data changed, and a full
    DuckDB build of the changed data. (It changes builds' warehouse: the tests that use it come last.)"""
    assert builds["spark"].returncode == 0
    project: Path = builds["project"]
    write_seeds(project, changed_fixture())
    spark = spark_build(project, builds["warehouse"], builds["work"] / "spark-incremental", "hive")
    duck = run_dbt(["build"], project, builds["work"] / "changed.duckdb", builds["work"] / "duck-changed")
    assert duck.returncode == 0, duck.output[-4000:]
    return {"spark": spark, "duck": duck, "warehouse": builds["warehouse"]}


def test_spark_incremental_build_rebuilds_the_changed_unit_years(incremental):
    run = incremental["spark"]
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-6000:]
    folder = spark_tables(incremental["warehouse"])[("intermediate", "int_build_scope")]
    with duckdb.connect() as c:
        rows = c.execute(f"select unit_code, fiscal_year, full_build from {parquet_rows(folder)}").fetchall()
    assert {f for *_, f in rows} == {False}
    assert {(u, y) for u, y, _ in rows} == {
        # 2022 withdrawn: every unit-year and department-year of it
        *[(u, 2022) for u in ("T-A1", "T-A2", "T-A3", "T-M", "T-B1", "T-DEPT-A", "T-DEPT-B")],
        # T-M out of 乙 in 2023: 乙 (by the ledger) and its remaining member
        ("T-M", 2023), ("T-DEPT-B", 2023), ("T-B1", 2023),
        # T-B1 2024 re-filed: its department
        ("T-B1", 2024), ("T-DEPT-B", 2024),
    }


def test_spark_incremental_build_equals_a_full_duckdb_build_of_the_changed_data(incremental):
    """Every table of the Spark warehouse after the incremental run equals DuckDB's full build of the changed data;
    the withdrawn year has no rows and no partition left in any per-unit-year table."""
    assert incremental["spark"].returncode == 0
    compared, differ = differences(incremental["duck"].db_path, incremental["warehouse"],
                                   skip=frozenset({"int_build_scope"}))
    assert len(compared) >= 120 and differ == {}, differ
    tables = spark_tables(incremental["warehouse"])
    assert not list(tables[("marts", "gongkai_01")].glob("fiscal_year=2022"))
    assert not any(list(folder.glob("fiscal_year=2022")) for folder in tables.values())
    with duckdb.connect() as c:
        years = c.execute(f"select distinct fiscal_year from {parquet_rows(tables[('marts', 'gongkai_01')])} "
                          "order by 1").fetchall()
    assert years == [(2023,), (2024,)]
