"""The catalogue of bad input (tests/pytest/fixtures/bad_input/catalogue.yml): every kind of broken seed or bulk
file a user can bring, each with the exact messages the validation layer prints, refused by ./juesuan build before
dbt runs, the warehouse unchanged (its checksum, and a figure read before and after).

A case is a list of edits to a fresh copy of the project's seeds (or bulk files written beside it); `expect` is
every problem printed, paths relative to the project (`seeds/…`) or the case's bulk folder (`bulk/…`).
"""
from __future__ import annotations

import csv
import hashlib
import io
import shutil
import sys
import time
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import ROOT, copy_project

sys.path.insert(0, str(ROOT / "scripts"))
import build  # noqa: E402
from validation import load_rules, run_validation  # noqa: E402

CATALOGUE = Path(__file__).parent / "fixtures" / "bad_input" / "catalogue.yml"
CASES = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
CSV_EDITS = {"set", "append", "rows", "drop_column", "add_column", "swap_columns", "encoding", "text", "hex"}


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    data = text.getvalue()
    if encoding == "utf-8-sig":
        path.write_bytes(b"\xef\xbb\xbf" + data.encode("utf-8"))
    else:
        path.write_bytes(data.encode(encoding))


def apply(edit: dict, project: Path, bulk: Path) -> None:
    """One edit of a case: a seed's line, rows, columns or bytes, or a bulk Parquet file made by a query."""
    if "bulk" in edit:
        bulk.mkdir(exist_ok=True)
        target = bulk / edit["bulk"]
        if "text" in edit:
            target.write_text(edit["text"], encoding="utf-8")
        else:
            with duckdb.connect() as con:
                con.execute(f"copy ({edit['sql']}) to '{target}' (format parquet)")
        return
    path = project / "seeds" / edit["file"]
    if "text" in edit:
        path.write_text(edit["text"], encoding="utf-8")
        return
    if "hex" in edit:
        path.write_bytes(bytes.fromhex(edit["hex"]))
        return
    rows = read_rows(path)
    header = rows[0]
    if "set" in edit:
        row = rows[edit["line"] - 1]
        for column, value in edit["set"].items():
            row[header.index(column)] = value
    if "append" in edit:
        rows += [next(csv.reader([line])) for line in edit["append"]]
    if "rows" in edit:
        rows = [header] + [next(csv.reader([line])) for line in edit["rows"]]
    if "drop_column" in edit:
        i = header.index(edit["drop_column"])
        rows = [r[:i] + r[i + 1:] for r in rows]
    if "add_column" in edit:
        name, value = edit["add_column"]
        rows = [rows[0] + [name]] + [r + [value] for r in rows[1:]]
    if "swap_columns" in edit:
        a, b = (header.index(c) for c in edit["swap_columns"])
        for r in rows:
            r[a], r[b] = r[b], r[a]
    write_rows(path, rows, edit.get("encoding", "utf-8"))


def said(problems, project: Path, bulk: Path) -> list[str]:
    return [str(p).replace(str(bulk) + "/", "bulk/").replace(str(project) + "/", "") for p in problems]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("pristine") / "project")


def case_project(pristine: Path, tmp_path: Path, case: dict) -> tuple[Path, Path]:
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    bulk = tmp_path / "bulk"
    for edit in case["edits"]:
        apply(edit, project, bulk)
    return project, bulk


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_catalogue_has_forty_kinds_and_names_registered_rules():
    rules = load_rules(ROOT / "seeds")
    assert len(CASES) >= 40
    assert len({c["case"] for c in CASES}) == len(CASES)
    for case in CASES:
        for line in case["expect"]:
            rule = line.split("[", 1)[1].split("]", 1)[0]
            assert rule in rules, (case["case"], rule)


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_bad_input_is_named_and_refused_before_dbt(case, pristine, tmp_path):
    """Every problem of the case, exactly as printed; then build.py refuses it and leaves the warehouse file
    (here a stand-in: the build stops before dbt opens anything) byte for byte as it was, removing the
    juesuan.failed.duckdb of an earlier attempt."""
    project, bulk = case_project(pristine, tmp_path, case)
    checked = run_validation(project / "seeds", bulk if bulk.exists() else None, project / "models")
    assert said(checked.problems, project, bulk) == case["expect"]
    assert checked.errors, "a case of the catalogue is refused"
    db = tmp_path / "wh" / "juesuan.duckdb"
    db.parent.mkdir()
    with duckdb.connect(str(db)) as con:
        con.execute("create table figure as select 1553.97::decimal(18,2) as amount")
    before = digest(db)
    # an earlier attempt's failed build: removed, or it would be taken for this one's
    (db.parent / "juesuan.failed.duckdb").write_bytes(b"an older failed build")
    args = ["--project-dir", str(project), "--db", str(db)] + (["--bulk-dir", str(bulk)] if bulk.exists() else [])
    assert build.main(args) == 1
    assert digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["juesuan.duckdb"]


@pytest.mark.slow
def test_the_catalogue_leaves_the_real_warehouse_unchanged(warehouse, pristine, tmp_path, capsys):
    """The whole catalogue through ./juesuan build's code against a copy of the real warehouse: each case is
    refused with its messages on stderr, and afterwards the warehouse has the same checksum and still prints
    公开01's 支出合计 as before. Also says how long the catalogue takes (docs/benchmarks.md)."""
    db = tmp_path / "wh" / "juesuan.duckdb"
    db.parent.mkdir()
    shutil.copy(warehouse.db_path, db)
    figure_sql = ("select sum(amount) from marts.fct_expenditure where unit_code = 'WH-KJJ-XMZX' "
                  "and fiscal_year = 2024")

    def figure():
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute(figure_sql).fetchone()[0]

    before, total_before = digest(db), figure()
    assert str(total_before) == "1553.97"
    started = time.perf_counter()
    for i, case in enumerate(CASES):
        work = tmp_path / f"case{i}"
        project, bulk = case_project(pristine, work, case)
        args = ["--project-dir", str(project), "--db", str(db)] + (["--bulk-dir", str(bulk)] if bulk.exists() else [])
        assert build.main(args) == 1, case["case"]
        err = capsys.readouterr().err.replace(str(bulk) + "/", "bulk/").replace(str(project) + "/", "")
        for line in case["expect"]:
            assert line in err, (case["case"], line)
        assert "was not touched" in err
    elapsed = time.perf_counter() - started
    assert digest(db) == before and figure() == total_before
    print(f"catalogue: {len(CASES)} cases refused in {elapsed:.1f}s")
