"""Shared pytest fixtures: build the warehouse once into a temporary folder, and helpers to run dbt on
copies of the project (for the broken-data tests). The repository's own warehouse/ is never touched."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))
# the project's real documents (../shared/source-documents beside the repository; JUESUAN_SOURCE_DOCUMENTS moves it)
SOURCE_DOCUMENTS = next((p for p in [Path(os.environ.get("JUESUAN_SOURCE_DOCUMENTS", "/nonexistent")),
                                     ROOT.parent / "shared" / "source-documents",
                                     Path("/work/shared/source-documents")] if p.is_dir()),
                        ROOT.parent / "shared" / "source-documents")
# builds of throw-away copies do not publish (docs + snapshot, ~10 s each); the tests of publishing ask for it
os.environ["JUESUAN_PUBLISH"] = "0"
PUBLISHING = {k: v for k, v in os.environ.items() if k != "JUESUAN_PUBLISH"}
PROJECT_PARTS = ["dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests/dbt", "bulk/empty"]


@dataclass
class DbtRun:
    returncode: int
    output: str
    db_path: Path

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.db_path), read_only=True)


def run_dbt(args: list[str], project_dir: Path, db_path: Path, work: Path, extra_env: dict | None = None) -> DbtRun:
    """Run one dbt command against `db_path`, keeping target/ and logs/ under `work`."""
    env = {**os.environ, "JUESUAN_DB": str(db_path), "DBT_PROFILES_DIR": str(project_dir),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **(extra_env or {})}
    cmd = [DBT, *args, "--project-dir", str(project_dir),
           "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800, cwd=project_dir)
    return DbtRun(proc.returncode, proc.stdout + proc.stderr, db_path)


def copy_project(dest: Path) -> Path:
    """A throw-away copy of the dbt project (no warehouse, no venv) that a test may break."""
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        else:
            (dest / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / part)
    return dest


def append_fixture(project: Path, fixture: Path) -> None:
    """Append every fixture CSV's rows to the seed of the same name (headers must agree)."""
    for src in sorted(fixture.glob("*.csv")):
        target = next(project.glob(f"seeds/**/{src.name}"))
        with src.open(encoding="utf-8") as f:
            header, *rows = list(csv.reader(f))
        with target.open(encoding="utf-8") as f:
            assert next(csv.reader(f)) == header, src.name
        with target.open("a", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)


def build_with_fixture(work: Path, fixture: Path, name: str) -> tuple[Path, DbtRun]:
    """A throw-away copy of the project with `fixture`'s CSVs appended to its seeds, validated, then built with
    `dbt build` (models and every test) into `work/<name>.duckdb`; both must succeed."""
    project = copy_project(work / "project")
    append_fixture(project, fixture)
    check = subprocess.run([sys.executable, str(ROOT / "scripts/validate_seeds.py"), "--seeds-dir",
                            str(project / "seeds")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    run = run_dbt(["build"], project, work / f"{name}.duckdb", work)
    assert run.returncode == 0, run.output[-6000:]
    return project, run


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    """The warehouse built from the repository's seeds with `dbt build` (models and every test)."""
    work = tmp_path_factory.mktemp("warehouse")
    run = run_dbt(["build"], ROOT, work / "juesuan.duckdb", work)
    assert run.returncode == 0, run.output[-5000:]
    return run


@pytest.fixture(scope="session")
def con(warehouse: DbtRun):
    connection = warehouse.connect()
    yield connection
    connection.close()
