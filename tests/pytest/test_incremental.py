"""Incremental builds by unit-year: a warehouse built, then changed (a unit-year added; one removed, a unit
leaving its department, a unit-year restated) and built again incrementally, equals a full build of the
changed data in every model, and the incremental runs rebuilt exactly the unit-years they had to.

Data: the repository's seeds plus the constructed multi-unit fixture (tests/pytest/fixtures/multi_unit)."""
from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import PUBLISHING, ROOT, DbtRun, copy_project, run_dbt

pytestmark = pytest.mark.slow  # builds warehouses; ./juesuan test -m "not slow" skips it

FIXTURE = Path(__file__).parent / "fixtures" / "multi_unit"
BUILD = [sys.executable, str(ROOT / "scripts" / "build.py")]
# rows of these models are per unit-year but built by the scope, or differ by design between two builds
NOT_COMPARED = {"int_build_scope"}


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


def seed_path(project: Path, name: str) -> Path:
    return next(project.glob(f"seeds/**/{name}"))


def write_seeds(project: Path, fixture_rows: dict[str, tuple[list[str], list[list[str]]]]) -> None:
    """Seeds of `project` = the repository's seeds + the given fixture rows (replacing any earlier ones)."""
    for name, (header, rows) in fixture_rows.items():
        base_header, base_rows = read_csv(seed_path(ROOT, name))
        assert base_header == header, name
        with seed_path(project, name).open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows([header, *base_rows, *rows])


def fixture(drop=lambda name, row: False, replace: dict[str, list[list[str]]] | None = None):
    """The multi-unit fixture's rows, without those `drop` selects, with whole files replaced by `replace`."""
    out = {}
    for src in sorted(FIXTURE.glob("*.csv")):
        header, rows = read_csv(src)
        rows = (replace or {}).get(src.name, rows)
        out[src.name] = (header, [r for r in rows if not drop(src.name, dict(zip(header, r)))])
    return out


def unit_year_is(unit: str, year: int):
    return lambda name, row: row.get("unit_code") == unit and row.get("fiscal_year") == str(year)


def scope(run: DbtRun) -> tuple[set[tuple[str, int]], set[bool]]:
    with run.connect() as c:
        rows = c.execute("select unit_code, fiscal_year, full_build from intermediate.int_build_scope").fetchall()
    return {(u, y) for u, y, _ in rows}, {f for _, _, f in rows}


def model_tables(db: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(db), read_only=True) as c:
        return c.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('intermediate', 'marts') or table_name = 'audit_report_cells' "
            "order by 1, 2").fetchall()


def differences(incremental: Path, full: Path) -> dict[str, tuple[int, int]]:
    """Per model table: (rows only in the incremental build, rows only in the full build), where not (0, 0)."""
    tables = model_tables(full)
    assert tables == model_tables(incremental)
    out = {}
    with duckdb.connect() as c:
        c.execute(f"attach '{incremental}' as inc (read_only)")
        c.execute(f"attach '{full}' as full_ (read_only)")
        for schema, table in tables:
            if table in NOT_COMPARED:
                continue
            a, b = f'inc.{schema}."{table}"', f'full_.{schema}."{table}"'
            only_inc = c.execute(f"select count(*) from (select * from {a} except all select * from {b})").fetchone()[0]
            only_full = c.execute(f"select count(*) from (select * from {b} except all select * from {a})").fetchone()[0]
            if only_inc or only_full:
                out[table] = (only_inc, only_full)
    return out


S0 = dict(drop=unit_year_is("T-A3", 2024))  # before: T-A3's 2024 report not yet in


def s2_fixture():
    """After: T-A2 2022 withdrawn, T-M outside any department in 2023, T-B1 2024 re-filed (new source)."""
    header, years = read_csv(FIXTURE / "ref_unit_years.csv")
    years = [r if r[:2] != ["T-B1", "2024"] else r[:4] + ["re-filed " + r[4]] + r[5:] for r in years]
    _, members = read_csv(FIXTURE / "ref_unit_memberships.csv")
    members = [r if r[:2] != ["T-M", "T-DEPT-B"] else ["T-M", "T-DEPT-B", "2022", "2022"] for r in members]
    return dict(drop=unit_year_is("T-A2", 2022),
                replace={"ref_unit_years.csv": years, "ref_unit_memberships.csv": members})


def compiled_test(work: Path, name: str = "relationships_fct_revenue_unit_code__unit_code__ref_dim_units_") -> str:
    [path] = (work / "target" / "compiled").rglob(f"{name}.sql")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One project copy built three times into one file (full, then twice incrementally), and full builds
    of the same data for comparison."""
    work = tmp_path_factory.mktemp("incremental")
    project = copy_project(work / "project")
    db = work / "inc.duckdb"
    out = {}

    write_seeds(project, fixture(**S0))
    out["s0"] = run_dbt(["build"], project, db, work)
    assert out["s0"].returncode == 0, out["s0"].output[-4000:]
    shutil.copy(db, work / "s0.duckdb")
    out["s0"] = DbtRun(out["s0"].returncode, out["s0"].output, work / "s0.duckdb")

    write_seeds(project, fixture())
    out["s1"] = run_dbt(["build"], project, db, work)
    assert out["s1"].returncode == 0, out["s1"].output[-4000:]
    out["s1_full"] = run_dbt(["build"], project, work / "s1_full.duckdb", work)
    shutil.copy(db, work / "s1.duckdb")
    out["s1"] = DbtRun(out["s1"].returncode, out["s1"].output, work / "s1.duckdb")

    write_seeds(project, fixture(**s2_fixture()))
    out["s2"] = run_dbt(["build"], project, db, work)
    assert out["s2"].returncode == 0, out["s2"].output[-4000:]
    out["s2_test_sql"] = compiled_test(work)
    out["s2_full"] = run_dbt(["build"], project, work / "s2_full.duckdb", work)
    out["s2_full_test_sql"] = compiled_test(work)
    out["work"], out["project"] = work, project
    return out


def test_first_build_is_full(runs):
    units, flags = scope(runs["s0"])
    assert flags == {True} and ("T-A1", 2022) in units and ("T-A3", 2024) not in units


def test_adding_a_unit_year_rebuilds_it_its_department_and_the_department_members(runs):
    units, flags = scope(runs["s1"])
    assert flags == {False}
    assert units == {("T-A3", 2024), ("T-DEPT-A", 2024), ("T-A1", 2024), ("T-A2", 2024), ("T-M", 2024)}


def test_added_unit_year_gives_the_same_warehouse_as_a_full_build(runs):
    assert runs["s1_full"].returncode == 0
    assert differences(runs["s1"].db_path, runs["s1_full"].db_path) == {}


def test_removal_membership_change_and_restatement_are_rebuilt(runs):
    units, flags = scope(DbtRun(0, "", runs["work"] / "inc.duckdb"))
    assert flags == {False}
    assert units == {
        # T-A2 2022 withdrawn: its department and the remaining members
        ("T-A2", 2022), ("T-DEPT-A", 2022), ("T-A1", 2022), ("T-A3", 2022),
        # T-M out of 乙 in 2023: 乙 (by the ledger) and its remaining member
        ("T-M", 2023), ("T-DEPT-B", 2023), ("T-B1", 2023),
        # T-B1 2024 re-filed: its department (T-M is in 甲 in 2024)
        ("T-B1", 2024), ("T-DEPT-B", 2024),
    }


def test_changed_data_gives_the_same_warehouse_as_a_full_build(runs):
    assert runs["s2_full"].returncode == 0
    assert differences(runs["work"] / "inc.duckdb", runs["s2_full"].db_path) == {}
    with duckdb.connect(str(runs["work"] / "inc.duckdb"), read_only=True) as c:
        assert c.execute("select count(*) from marts.gongkai_01 where unit_code = 'T-A2' and fiscal_year = 2022"
                         ).fetchone() == (0,)


def test_unchanged_data_rebuilds_nothing(runs, tmp_path):
    db = tmp_path / "again.duckdb"
    shutil.copy(runs["work"] / "inc.duckdb", db)  # built from the project's current (s2) data
    rerun = run_dbt(["build", "--select", "int_build_scope"], runs["project"], db, tmp_path)
    assert rerun.returncode == 0, rerun.output[-3000:]
    assert scope(rerun) == (set(), set())


def test_renaming_a_unit_rebuilds_every_year_of_it_in_the_trend_marts(runs, tmp_path):
    """The trend marts are incremental by unit and print the unit's name in every year: a renamed unit puts
    all its unit-years in the build scope, and every trend row of it carries the new name."""
    db = tmp_path / "renamed.duckdb"
    shutil.copy(runs["work"] / "inc.duckdb", db)  # built from the s2 data
    project = copy_project(tmp_path / "project")
    s2 = fixture(**s2_fixture())
    header, units = s2["ref_units.csv"]
    name = header.index("unit_name")
    renamed = [r[:name] + ["测试单位甲一（更名）"] + r[name + 1:] if r[0] == "T-A1" else r for r in units]
    write_seeds(project, {**s2, "ref_units.csv": (header, renamed)})
    run = run_dbt(["build"], project, db, tmp_path)
    assert run.returncode == 0, run.output[-3000:]
    units_in_scope, flags = scope(run)
    assert flags == {False}
    assert {y for u, y in units_in_scope if u == "T-A1"} == {2022, 2023, 2024}
    with run.connect() as c:
        for mart in ("mart_totals_trend", "mart_expenditure_trend"):
            assert c.execute(f"select count(distinct fiscal_year) from marts.{mart} where unit_code = 'T-A1'"
                             ).fetchone() == (3,)
        assert c.execute("select distinct unit_name from marts.mart_totals_trend where unit_code = 'T-A1'"
                         ).fetchall() == [("测试单位甲一（更名）",)]


def test_tests_check_only_the_rebuilt_unit_years_after_an_incremental_run(runs):
    """The generic tests on per-unit-year models are filtered to int_build_scope after an incremental run
    (macros/incremental/build_scope.sql), and read whole tables after a full one."""
    assert "int_build_scope" in runs["s2_test_sql"]
    assert "int_build_scope" not in runs["s2_full_test_sql"]


def test_an_incremental_build_that_fails_keeps_the_warehouse(runs, tmp_path):
    """scripts/build.py: a defect in the added unit-year fails its rule; the warehouse file is unchanged."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from build import build_fingerprint

    project = copy_project(tmp_path / "project")
    write_seeds(project, fixture(**S0))
    db = tmp_path / "wh" / "juesuan.duckdb"
    db.parent.mkdir()
    shutil.copy(runs["work"] / "s0.duckdb", db)
    db.with_name(db.name + ".build.json").write_text(json.dumps({"code_fingerprint": build_fingerprint(project)}))
    before = hashlib.sha256(db.read_bytes()).hexdigest()

    broken = fixture()
    header, rows = broken["amt_expenditure.csv"]
    rows = [r[:5] + ["99.99"] if r[:2] == ["T-A3", "2024"] and r[4] == "PROJECT" else r for r in rows]
    broken["amt_expenditure.csv"] = (header, rows)
    write_seeds(project, broken)
    proc = subprocess.run([*BUILD, "--project-dir", str(project), "--db", str(db)], capture_output=True, text=True,
                          cwd=project)
    assert proc.returncode != 0
    assert "build: incremental (same code as the last build)" in proc.stdout
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert "T-A3" in proc.stderr and "R007" in proc.stdout + proc.stderr


def test_a_bulk_batch_is_added_incrementally_and_equals_a_full_build(tmp_path):
    """The scale path: generated Parquet data, then one new unit-year as a batch file (amt_revenue.add1.parquet,
    …). scripts/build.py sees the same code and seeds and builds only what the bulk files feed."""
    project = copy_project(tmp_path / "project")
    bulk = tmp_path / "bulk"
    gen = [sys.executable, str(ROOT / "scripts" / "generate_synthetic.py"), "--out", str(bulk)]
    subprocess.run([*gen, "--units", "4", "--years", "2023-2024"], check=True, capture_output=True)
    vars_arg = [f"--dbt-arg=--vars", "--dbt-arg=" + json.dumps({"bulk_dir": str(bulk)})]

    def build(db: Path, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([*BUILD, "--project-dir", str(project), "--db", str(db), *vars_arg, *extra],
                              capture_output=True, text=True, cwd=project, env=PUBLISHING)

    db = tmp_path / "inc" / "juesuan.duckdb"
    first = build(db)
    assert first.returncode == 0 and "build: full (no warehouse yet)" in first.stdout, first.stdout[-3000:]
    # each successful build publishes: the marts, the docs site, a manifest whose counts are the warehouse's
    published = tmp_path / "inc" / "published"
    first_snapshot = (published / "current").resolve()
    manifest = json.loads((first_snapshot / "manifest.json").read_text(encoding="utf-8"))
    assert "build: publish: " in first.stdout and (first_snapshot / "docs" / "index.html").stat().st_size > 100_000
    assert "exposure.juesuan.http_api" in (first_snapshot / "docs" / "manifest.json").read_text(encoding="utf-8")
    rows = {f"{t['schema']}.{t['table']}": t["rows"] for t in manifest["tables"]}
    with duckdb.connect(str(db), read_only=True) as c:
        assert rows["marts.gongkai_01"] == c.execute("select count(*) from marts.gongkai_01").fetchone()[0] > 0
    subprocess.run([*gen, "--units", "1", "--years", "2024", "--first-unit", "4", "--department", "S-D00000",
                    "--batch", "add1"], check=True, capture_output=True)
    added = build(db)
    assert added.returncode == 0, added.stdout[-3000:] + added.stderr[-3000:]
    assert "only what the bulk files feed" in added.stdout
    with duckdb.connect(str(db), read_only=True) as c:
        assert c.execute("select unit_code from intermediate.int_build_scope order by 1").fetchall() == [
            ("S-D00000",), ("S-U0000000",), ("S-U0000001",), ("S-U0000002",), ("S-U0000003",), ("S-U0000004",)]
        assert c.execute("select count(*) from marts.gongkai_01 where unit_code = 'S-U0000004'").fetchone()[0] > 0
    second_snapshot = (published / "current").resolve()
    assert second_snapshot != first_snapshot and first_snapshot.is_dir()  # the one before is kept
    with duckdb.connect(str(second_snapshot / "juesuan.duckdb"), read_only=True) as c:
        assert c.execute("select count(*) from marts.gongkai_01 where unit_code = 'S-U0000004'").fetchone()[0] > 0
    full = tmp_path / "full" / "juesuan.duckdb"
    assert build(full, "--full-refresh", "--no-publish").returncode == 0
    assert not (full.parent / "published").exists()
    assert differences(db, full) == {}


def test_the_ledger_runs_after_every_incremental_model(warehouse):
    """int_build_ledger lists the per-unit-year and per-unit models by hand (depends_on); it must be exactly
    those tagged, and they are the incremental models."""
    manifest = json.loads((warehouse.db_path.parent / "target" / "manifest.json").read_text(encoding="utf-8"))
    nodes = manifest["nodes"]
    models = {k: n for k, n in nodes.items() if n["resource_type"] == "model"}
    per_unit_year = {k for k, n in models.items() if "per_unit_year" in n["tags"]}
    per_unit = {k for k, n in models.items() if "per_unit" in n["tags"]}
    incremental = {k for k, n in models.items() if n["config"]["materialized"] == "incremental"}
    ledger = set(nodes["model.juesuan.int_build_ledger"]["depends_on"]["nodes"])
    assert len(per_unit_year) == 23 and per_unit == {"model.juesuan.mart_totals_trend",
                                                     "model.juesuan.mart_expenditure_trend"}
    assert per_unit_year | per_unit == incremental and not per_unit_year & per_unit
    assert incremental <= ledger


def test_a_seed_that_gains_a_column_makes_the_next_build_full(tmp_path):
    """A new row of a seed keeps the build incremental; a new column (the header, or the seeds' YAML) does not:
    dbt reloads a seed into its table of the last build, which has the old columns."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from build import build_fingerprint

    project = copy_project(tmp_path / "project")
    before = build_fingerprint(project)
    seed = project / "seeds" / "audit" / "ref_accepted_findings.csv"
    seed.write_text(seed.read_text(encoding="utf-8")
                    + "N001,IMP-DAE7287C,2024,k,印刷错误,审计组,2026-12-01\n", encoding="utf-8")
    assert build_fingerprint(project) == before
    header, *rows = seed.read_text(encoding="utf-8").splitlines()
    seed.write_text("\n".join([header + ",note", *(r + "," for r in rows)]) + "\n", encoding="utf-8")
    assert build_fingerprint(project) != before
