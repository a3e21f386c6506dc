#!/usr/bin/env python3
"""Generate a synthetic province of budget units for scale tests: units in departments over years, using the
project's chart of accounts, with realistic magnitudes (personnel costs dominate 基本支出, a few 类 per unit,
year-on-year drift). Every unit-year reconciles by construction; every unit is marked synthetic
(data_origin = synthetic, codes start with S-). Written as typed Parquet files named like the seeds, for the
bulk load path (dbt var bulk_dir), or as CSV seed files (--format csv).

--first-unit K --department CODE --batch NAME adds units numbered from K to an existing department, written
as batch files (amt_revenue.NAME.parquet, …) beside an earlier data set: how a new unit-year arrives.

--inject-defects N breaks N unit-years on purpose, one known defect each, and writes defects.json:
  econ_detail     a 基本工资 row off by 10.00: 公开06 ≠ 公开05 基本支出 (R010)
  sangong_econ    公务接待费 booked in 公开06 with no 三公 决算 (R014, R010)
  missing_revenue one revenue row dropped: income ≠ expenditure (R005, R006, R009)
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from importer.store import TABLES as BULK_TABLES  # noqa: E402

CENT = Decimal("0.01")
# the bulk tables and their types: one definition, shared with the importer of published reports
TABLES = BULK_TABLES
# 机构运行-type 项 per main 类, with the project 项 of the same 款 (all in the project's chart)
MAIN_SUBJECTS = [("2060501", "2060599")]
PERSONNEL_LINKED = {"2080505": Decimal("0.08"), "2101102": Decimal("0.06"), "2210201": Decimal("0.07"),
                    "2210202": Decimal("0.012"), "2210203": Decimal("0.03"), "2089999": Decimal("0.003")}
ECON_SPLIT = [("30101", Decimal("0.25")), ("30102", Decimal("0.14")), ("30107", Decimal("0.36")),
              ("30112", Decimal("0.01")), ("30302", Decimal("0.10"))]
PUBLIC_SPLIT = [("30201", Decimal("0.25")), ("30209", Decimal("0.25")), ("30228", Decimal("0.12")),
                ("30229", Decimal("0.30")), ("30211", Decimal("0.02"))]


def money(x: Decimal | float) -> Decimal:
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


def unit_year(rng: random.Random, unit: str, year: int, base: Decimal) -> dict[str, list[tuple]]:
    """One reconciling unit-year: revenue = expenditure per 项 (GPB, plus 事业收入 for some units)."""
    rows: dict[str, list[tuple]] = {t: [] for t in TABLES}
    main, project_subject = MAIN_SUBJECTS[0]
    personnel = money(base * Decimal("0.75"))
    public = money(base * Decimal("0.10"))
    linked = {code: money(personnel * share) for code, share in PERSONNEL_LINKED.items()}
    running = personnel + public - sum(linked.values())  # 机构运行 carries the rest of 基本支出
    project = money(base * Decimal(str(rng.uniform(0.05, 0.45))))
    lines = [(main, "BASIC", running), (project_subject, "PROJECT", project)]
    lines += [(code, "BASIC", amount) for code, amount in linked.items()]
    for subject, kind, amount in lines:
        rows["amt_revenue"].append((unit, year, subject, "GPB", amount))
        rows["amt_expenditure"].append((unit, year, subject, "GPB", kind, amount))
    if rng.random() < 0.2:  # some units earn 事业收入 and spend it on 基本支出
        extra = money(base * Decimal("0.05"))
        rows["amt_revenue"].append((unit, year, main, "BUS", extra))
        rows["amt_expenditure"].append((unit, year, main, "NFS", "BASIC", extra))
    # 基本支出 by economic 款: personnel = linked items + split of the rest; public = split; residuals on x99
    econ: dict[str, Decimal] = {"30108": linked["2080505"], "30110": linked["2101102"], "30113": linked["2210201"]}
    rest = personnel - sum(econ.values()) - linked["2210202"] - linked["2210203"] - linked["2089999"]
    for code, share in ECON_SPLIT:
        econ[code] = money(rest * share)
    econ["30199"] = rest - sum(econ[c] for c, _ in ECON_SPLIT)
    econ["30399"] = linked["2210202"] + linked["2210203"] + linked["2089999"]
    reception = money(public * Decimal("0.01")) if rng.random() < 0.3 else Decimal(0)
    for code, share in PUBLIC_SPLIT:
        econ[code] = money(public * share)
    econ["30299"] = public - sum(econ[c] for c, _ in PUBLIC_SPLIT) - reception
    if reception:
        econ["30217"] = reception
        rows["amt_sangong"].append((unit, year, "BUDGET", "RECEPTION", money(reception * Decimal("1.2"))))
        rows["amt_sangong"].append((unit, year, "FINAL", "RECEPTION", reception))
    rows["amt_basic_expenditure_economic"] = [(unit, year, "GPB", c, a) for c, a in sorted(econ.items()) if a != 0]
    return rows


def generate(units: int, years: list[int], seed: int, per_department: int, defects: int,
             first_unit: int = 0, department: str | None = None) -> tuple[dict, list[dict]]:
    rng = random.Random(seed)
    out: dict[str, list[tuple]] = {t: [] for t in TABLES}
    n_departments = 0 if department else max(1, -(-units // per_department))
    for d in range(n_departments):
        dept = f"S-D{d:05d}"
        out["ref_units"].append((dept, f"合成部门{d:05d}", "部门", None, None, "市级", "合成"))
        for year in years:
            out["ref_unit_years"].append((dept, year, "CN2024", "部门决算", "synthetic", "synthetic", "full", "万元"))
    for u in range(first_unit, first_unit + units):
        unit, dept = f"S-U{u:07d}", department or f"S-D{u // per_department:05d}"
        out["ref_units"].append((unit, f"合成单位{u:07d}", "事业单位", "公益一类", dept, "市级", "合成"))
        out["ref_unit_memberships"].append((unit, dept, years[0], None))
        base = Decimal(str(round(rng.lognormvariate(6.5, 0.8), 2)))  # ~700 万元, long tail
        for year in years:
            base = money(base * Decimal(str(rng.gauss(1.05, 0.05))))
            out["ref_unit_years"].append((unit, year, "CN2024", "单位决算", "synthetic", "synthetic", "full", "万元"))
            for table, rows in unit_year(rng, unit, year, base).items():
                out[table].extend(rows)
    injected: list[dict] = []
    candidates = rng.sample(range(units * len(years)), k=min(defects, units * len(years)))
    kinds = ["econ_detail", "sangong_econ", "missing_revenue"]
    for i, pick in enumerate(candidates):
        unit, year, kind = f"S-U{first_unit + pick // len(years):07d}", years[pick % len(years)], kinds[i % len(kinds)]
        if kind == "econ_detail":
            rows = out["amt_basic_expenditure_economic"]
            j = next(k for k, r in enumerate(rows) if r[:2] == (unit, year) and r[3] == "30101")
            rows[j] = rows[j][:4] + (rows[j][4] + Decimal("10.00"),)
            rules = ["R010"]
        elif kind == "sangong_econ":
            rows = out["amt_basic_expenditure_economic"]
            if any(r[:2] == (unit, year) and r[3] == "30217" for r in rows):
                j = next(k for k, r in enumerate(rows) if r[:2] == (unit, year) and r[3] == "30217")
                rows[j] = rows[j][:4] + (rows[j][4] + Decimal("0.50"),)
            else:
                rows.append((unit, year, "GPB", "30217", Decimal("0.50")))
            rules = ["R010", "R014"]
        else:
            rows = out["amt_revenue"]
            j = next(k for k, r in enumerate(rows) if r[:2] == (unit, year) and r[2] == "2080505")
            rows.pop(j)
            rules = ["R005", "R006", "R009"]
        injected.append({"unit_code": unit, "fiscal_year": year, "defect": kind, "rules": rules})
    return out, injected


def write(out: dict[str, list[tuple]], folder: Path, fmt: str, batch: str | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    import pandas as pd

    con = duckdb.connect()
    for table, schema in TABLES.items():
        names = [part.split()[0] for part in schema.replace("(18,2)", "").split(", ")]
        frame = pd.DataFrame(out[table], columns=names)
        if "amount" in names:
            frame["amount"] = frame["amount"].astype(str)  # exact: Decimal -> text -> DECIMAL(18,2)
        con.execute(f"create or replace table t ({schema})")
        con.execute("insert into t select * from frame")
        target = folder / (f"{table}.{batch}.{fmt}" if batch else f"{table}.{fmt}")
        opts = "(format parquet)" if fmt == "parquet" else "(header, delimiter ',')"
        con.execute(f"copy t to '{target}' {opts}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=100, help="number of units (default 100)")
    parser.add_argument("--years", type=str, default="2022-2024", help="year range, e.g. 2015-2024")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--per-department", type=int, default=20, help="units per department (default 20)")
    parser.add_argument("--inject-defects", type=int, default=0, metavar="N", help="break N unit-years on purpose")
    parser.add_argument("--first-unit", type=int, default=0, metavar="K", help="number units from K (default 0)")
    parser.add_argument("--department", metavar="CODE",
                        help="put every unit in this existing department and write no department rows")
    parser.add_argument("--batch", metavar="NAME", help="write <table>.NAME.<format> files (a batch beside earlier ones)")
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (bulk_dir)")
    args = parser.parse_args(argv)
    first, _, last = args.years.partition("-")
    years = list(range(int(first), int(last or first) + 1))
    out, injected = generate(args.units, years, args.seed, args.per_department, args.inject_defects,
                             args.first_unit, args.department)
    write(out, args.out, args.format, args.batch)
    (args.out / (f"defects.{args.batch}.json" if args.batch else "defects.json")).write_text(json.dumps(injected, ensure_ascii=False, indent=1), encoding="utf-8")
    facts = sum(len(out[t]) for t in TABLES if t.startswith("amt_"))
    print(f"{args.units} units × {len(years)} years: {facts} fact rows, {len(injected)} defects → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
