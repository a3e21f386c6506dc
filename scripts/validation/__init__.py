"""One validation layer for every input: the seed CSVs, the bulk Parquet batches (scripts/generate_synthetic.py,
an export of your own) and the batches of imported reports (./juesuan import). It runs before dbt, reports every
problem at once (file, line or row, rule, column, value) and, when any is an error, nothing is loaded.

The rules are in one registry, seeds/validation/ref_input_rules.csv (id, severity, what it applies to, message);
the checks of a single value are in `rows.py`, those across rows and files are SQL over all inputs together in
`relational.py`, and what they check (references, keys, required columns, leaf tables) is in `declarations.py`.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the staging YAMLs are read on every build

from .problems import Problem, Rule, load_rules, registered
from .read import CsvFile, read_csv

ROOT = Path(__file__).resolve().parents[2]

__all__ = ["Problem", "Rule", "Validation", "validate", "run_validation", "load_rules"]


@dataclass
class Validation:
    problems: list[Problem] = field(default_factory=list)
    seeds: dict[str, CsvFile] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


TYPE_ALIASES = {"string": "varchar", "text": "varchar"}


def column_types(seeds_dir: Path) -> dict[str, dict[str, str]]:
    types: dict[str, dict[str, str]] = {}
    for yml in sorted(seeds_dir.rglob("*.yml")):
        for seed in (yaml.load(yml.read_text(encoding="utf-8"), Loader=LOADER) or {}).get("seeds", []):
            # `string` (the type name DuckDB and Spark share) is checked as DuckDB's varchar
            types[seed["name"]] = {k: TYPE_ALIASES.get(str(v).lower(), str(v).lower())
                                   for k, v in (seed.get("config", {}).get("column_types") or {}).items()}
    return types


def staging_accepted_values(models_dir: Path) -> dict[str, dict[str, list[str]]]:
    """table -> column -> the values the staging model of that seed or bulk table accepts (its accepted_values
    tests, where the staging column has the input column's name): checked before dbt, so that a wrong value is
    named by file and line instead of failing as a dbt test."""
    import re

    out: dict[str, dict[str, list[str]]] = {}
    for yml in sorted((models_dir / "staging").glob("stg_*.yml")):
        sql = yml.with_suffix(".sql")
        if not sql.exists():
            continue
        text = sql.read_text(encoding="utf-8")
        tables = set(re.findall(r"ref\('(\w+)'\)", text)) | set(re.findall(r"source\('bulk', '(\w+)'\)", text))
        for model in (yaml.load(yml.read_text(encoding="utf-8"), Loader=LOADER) or {}).get("models", []):
            for column in model.get("columns", []):
                name = column["name"]
                # only a column staging passes through as it is (trimmed), not one it derives
                if not re.search(rf"(trim\({name}\)|^\s*{name})\s+as\s+{name}\b", text, re.M):
                    continue
                for test in column.get("data_tests", []) or []:
                    if isinstance(test, dict) and "accepted_values" in test:
                        spec = test["accepted_values"]
                        values = (spec.get("arguments") or spec).get("values")
                        if values:
                            for table in tables:
                                out.setdefault(table, {})[name] = [str(v) for v in values]
    return out


def bulk_files(bulk_dir: Path | None) -> list[Path]:
    return sorted(bulk_dir.glob("*.parquet")) if bulk_dir is not None and bulk_dir.is_dir() else []


def run_validation(seeds_dir: Path, bulk_dir: Path | None = None, models_dir: Path | None = None) -> Validation:
    """Every rule over the seeds of `seeds_dir` and the Parquet files of `bulk_dir` (if given)."""
    import duckdb

    from . import relational, rows
    from .bulk import check_bulk_files

    rules = load_rules(seeds_dir)
    types = column_types(seeds_dir)
    if models_dir is None:
        models_dir = seeds_dir.parent / "models" if (seeds_dir.parent / "models" / "staging").is_dir() else ROOT / "models"
    result = Validation()
    problems: list[Problem] = []
    for path in sorted(seeds_dir.rglob("*.csv")):
        seed, found = read_csv(path)
        problems += found
        if not seed.readable:
            continue
        if seed.name not in types:
            problems.append(Problem(path, 0, "declared", ""))
            continue
        problems += rows.check_header(seed, types[seed.name])
        problems += rows.check_values(seed, types[seed.name])
        result.seeds[seed.name] = seed

    con = duckdb.connect()
    for seed in result.seeds.values():
        relational.load_seed(con, seed, types[seed.name])
    good_bulk, found = check_bulk_files(con, bulk_files(bulk_dir))
    problems += found
    for table, files in good_bulk.items():
        relational.load_bulk(con, table, files)
    columns: dict[str, list[str]] = {}
    relational.union_inputs(con, set(result.seeds) | set(good_bulk), set(result.seeds), set(good_bulk), columns)
    allowances = result.seeds["ref_negative_allowances"].rows if "ref_negative_allowances" in result.seeds else []
    decimals = {name: [c for c, k in t.items() if k.startswith("decimal")] for name, t in types.items()}
    problems += relational.check(con, columns, staging_accepted_values(models_dir), allowances,
                                 {n: s.path for n, s in result.seeds.items()}, decimals)
    problems += rows.check_charts(con, columns)
    con.close()
    result.problems = registered(problems, rules)
    return result


def validate(seeds_dir: Path, bulk_dir: Path | None = None) -> list[Problem]:
    """Every problem (errors and warnings) of the seeds and bulk files."""
    return run_validation(seeds_dir, bulk_dir).problems


def rules_table(seeds_dir: Path = ROOT / "seeds") -> list[dict[str, str]]:
    with open(seeds_dir / "validation" / "ref_input_rules.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
