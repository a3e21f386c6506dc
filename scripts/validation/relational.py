"""The rules across rows and files, as SQL over every input at once: the seeds (as read, typed by their YAML)
and the bulk Parquet files (typed by the bulk tables of scripts/importer/store.py), unioned per table in views
`in_<table>` with the columns `_file` and `_row` (a seed's line, or a Parquet file's row from 1).

Each rule is one query (a function below returning its SQL) that returns only the failing rows:
`_file, _row, column_name, value, detail`.
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

import duckdb

from .declarations import (CONSISTENT, KEYS, LEAF_SEEDS, MUST_HAVE_FACTS, REFERENCES, REQUIRED, WAN_YUAN_BOUND,
                           YEAR_COLUMNS)
from .problems import Problem
from .read import CsvFile

LIMIT = 200  # failing rows reported per rule and table (the count of all is said)


def lit(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_type(kind: str) -> str:
    return {"varchar": "varchar", "integer": "integer", "date": "date", "boolean": "boolean"}.get(kind, kind)


# ---------------------------------------------------------------------------------------------- loading the inputs

def load_seed(con: duckdb.DuckDBPyConnection, seed: CsvFile, types: dict[str, str]) -> None:
    """seed_<seed>: the values as written (trimmed, blank as NULL) typed by the YAML, a value that does not parse
    being NULL and its column listed in _unparsed (the format rules have named it already)."""
    declared = [c for c in types if c in seed.header]
    # the rows go to DuckDB as a UTF-8 CSV of their own (the seed as read, whatever its encoding, with its lines)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["_row", *declared])
    for line, row in zip(seed.lines, seed.rows):
        writer.writerow([line, *((row.get(c) or "").strip() for c in declared)])
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", delete=False) as f:
        f.write(text.getvalue())
    typed, unparsed = [], []
    for c in declared:
        kind = sql_type(types[c])
        if kind == "varchar":
            typed.append(ident(c))
        else:
            typed.append(f"try_cast({ident(c)} as {kind}) as {ident(c)}")
            unparsed.append(f"case when {ident(c)} is not null and try_cast({ident(c)} as {kind}) is null then {lit(c)} end")
    flags = f"list_filter([{', '.join(unparsed)}], lambda x: x is not null)" if unparsed else "[]::varchar[]"
    try:
        con.execute(f"create or replace table {ident('seed_' + seed.name)} as select {lit(seed.path)} as _file, "
                    f"cast(_row as bigint) as _row{''.join(', ' + t for t in typed)}, {flags} as _unparsed "
                    f"from read_csv({lit(f.name)}, header = true, all_varchar = true, quote = '\"', escape = '\"', "
                    "delim = ',', strict_mode = true)")
    finally:
        os.unlink(f.name)


def load_bulk(con: duckdb.DuckDBPyConnection, table: str, files: list[Path]) -> None:
    paths = "[" + ", ".join(lit(str(p)) for p in files) + "]"
    con.execute(f"create or replace view {ident('bulk_' + table)} as select * exclude (filename, file_row_number), "
                f"filename as _file, file_row_number + 1 as _row, []::varchar[] as _unparsed "
                f"from read_parquet({paths}, union_by_name = true, filename = true, file_row_number = true)")


def union_inputs(con: duckdb.DuckDBPyConnection, tables: set[str], seeds: set[str], bulk: set[str],
                 columns: dict[str, list[str]]) -> None:
    """in_<table>: the seed's rows and the bulk files' rows of one table; a column either lacks is NULL there."""
    for table in sorted(tables):
        if table not in bulk:
            con.execute(f"create or replace view {ident('in_' + table)} as select * from {ident('seed_' + table)}")
            continue
        parts = [f"select * from {ident(prefix + table)}" for prefix, present in (("seed_", seeds), ("bulk_", bulk))
                 if table in present]
        con.execute(f"create or replace table {ident('in_' + table)} as {' union all by name '.join(parts)}")
    for table, column in con.execute("select table_name, column_name from information_schema.columns "
                                     "where table_name like 'in\\_%' escape '\\' order by table_name, ordinal_position").fetchall():
        columns.setdefault(table[3:], []).append(column)


# ---------------------------------------------------------------------------------------------- the rules' SQL

def known_reference(seed: str, cols: tuple[str, ...], target: str, target_cols: tuple[str, ...],
                    where: dict[str, str]) -> str:
    """A row's columns name a row of another table (with the filter on that table's rows). Rows of one file with
    the same unknown value are one problem, at the first of them, saying how many there are."""
    on = " and ".join(f"t.{ident(tc)} = s.{ident(c)}" for c, tc in zip(cols, target_cols))
    having = "".join(f" and t.{ident(k)} = {lit(v)}" for k, v in where.items())
    present = " and ".join(f"s.{ident(c)} is not null" for c in cols)
    return (f"select _file, min(_row) as _row, {lit(','.join(cols))} as column_name, value, "
            f"case when count(*) > 1 then count(*) || ' rows of this file have it, this one first' end as detail "
            f"from (select s._file, s._row, concat_ws(',', {', '.join(f's.{ident(c)}' for c in cols)}) as value "
            f"from {ident('in_' + seed)} s where {present} "
            f"and not exists (select 1 from {ident('in_' + target)} t where {on}{having})) group by _file, value")


# rows in the order the problems are said: the seeds' before the bulk files' (not by where the folders are), then by
# file and row
SEEDS_FIRST = "s._file not like '%.csv', s._file, s._row"


def where_said(file: str, row: str) -> str:
    """SQL: how a problem's text names another row: a seed's line, a Parquet file's row."""
    return f"case when {file} like '%.csv' then {file} || ':' || {row} else {file} || ':row ' || {row} end"


def unique_key(table: str, key: tuple[str, ...]) -> str:
    """No two rows of a table (seeds and bulk files together) have the same key; the second names the first, a
    seed's row coming before a bulk file's wherever the two folders are."""
    k = ", ".join(ident(c) for c in key)
    part = ", ".join("s." + ident(c) for c in key)
    return (f"with dup as (select {k} from {ident('in_' + table)} group by all having count(*) > 1), "
            f"rows as (select s.*, row_number() over (partition by {part} order by {SEEDS_FIRST}) as n, "
            f"first_value(s._file) over (partition by {part} order by {SEEDS_FIRST}) as first_file, "
            f"first_value(s._row) over (partition by {part} order by {SEEDS_FIRST}) as first_row "
            f"from {ident('in_' + table)} s semi join dup using ({k})) "
            f"select _file, _row, {lit(','.join(key))} as column_name, concat_ws(',', {k}) as value, "
            f"case when first_file = _file then 'already on ' || case when _file like '%.csv' then 'line ' else 'row ' end "
            f"|| first_row else 'already at ' || {where_said('first_file', 'first_row')} end as detail "
            f"from rows where n > 1")


def consistent(table: str, key: tuple[str, ...], cols: tuple[str, ...]) -> str:
    """Rows of a table with the same key agree on `cols`: each row that differs from the first of its key (a seed's
    row before a bulk file's) is named, with the row it differs from."""
    part = ", ".join("s." + ident(c) for c in key)
    values = "concat_ws(',', " + ", ".join(f"coalesce(s.{ident(c)}, '')" for c in cols) + ")"
    return (f"with rows as (select s._file, s._row, concat_ws(',', {part}) as key_value, {values} as value, "
            f"first_value({values}) over w as first_value, first_value(s._file) over w as first_file, "
            f"first_value(s._row) over w as first_row from {ident('in_' + table)} s "
            f"window w as (partition by {part} order by {SEEDS_FIRST})) "
            f"select _file, _row, {lit(','.join(cols))} as column_name, value, "
            f"{lit(','.join(key) + ' ')} || key_value || ' differs from ' || "
            f"case when first_file = _file then 'line ' || first_row else {where_said('first_file', 'first_row')} end "
            f"|| ' (' || first_value || ')' as detail from rows where value <> first_value")


def required(table: str, column: str, when: dict[str, str]) -> str:
    cond = "".join(f" and {ident(k)} = {lit(v)}" for k, v in when.items())
    said = f"'needed when ' || {lit(', '.join(f'{k} is {v}' for k, v in when.items()))}" if when else "null"
    return (f"select _file, _row, {lit(column)} as column_name, null as value, {said} as detail "
            f"from {ident('in_' + table)} where {ident(column)} is null and not list_contains(_unparsed, {lit(column)}){cond}")


def accepted_value(table: str, column: str, values: list[str]) -> str:
    allowed = ", ".join(lit(v) for v in values)
    return (f"select _file, _row, {lit(column)} as column_name, cast({ident(column)} as varchar) as value, "
            f"{lit('accepted: ' + ', '.join(values))} as detail from {ident('in_' + table)} "
            f"where {ident(column)} is not null and cast({ident(column)} as varchar) not in ({allowed})")


def fiscal_year_range(table: str, column: str) -> str:
    return (f"select _file, _row, {lit(column)} as column_name, cast({ident(column)} as varchar) as value, null as detail "
            f"from {ident('in_' + table)} where {ident(column)} not between 1990 and 2100")


def amount_negative(table: str, column: str, allowances: list[tuple[str, str]]) -> str:
    """A negative amount, unless ref_negative_allowances lets rows of this table with match_column =
    match_value have one."""
    allowed = "".join(f" and not coalesce(cast({ident(m)} as varchar) = {lit(v)}, false)" for m, v in allowances)
    return (f"select _file, _row, {lit(column)} as column_name, cast({ident(column)} as varchar) as value, null as detail "
            f"from {ident('in_' + table)} where {ident(column)} < 0{allowed}")


def amount_unit() -> str:
    return ("select _file, _row, 'amount_unit' as column_name, amount_unit as value, null as detail "
            "from in_ref_unit_years where amount_unit is not null and amount_unit not in ('万元', '元')")


def exact_wan_yuan(table: str) -> str:
    """A leaf table's rows with their amount in exact 万元 (an amount of a unit-year in 元 × 0.0001)."""
    return (f"select s.*, case when u.amount_unit = '元' then s.amount * 0.0001 else s.amount end as wan_yuan, "
            f"case when u.amount_unit = '元' then '元' else '万元' end as unit from {ident('in_' + table)} s left join "
            f"(select unit_code, fiscal_year, any_value(amount_unit) as amount_unit from in_ref_unit_years group by all) u "
            f"using (unit_code, fiscal_year)")


def amount_bound(table: str) -> str:
    return (f"select _file, _row, 'amount' as column_name, cast(amount as varchar) as value, null as detail "
            f"from ({exact_wan_yuan(table)}) where unit = '万元' and abs(amount) >= {WAN_YUAN_BOUND}")


def total_bound(table: str) -> str:
    """The absolute amounts of a table for a unit-year, and for a department-year (its members' together), stay
    below the exact 万元 type's bound: every subtotal a printed table shows is at most that sum. A set with a leaf
    beyond the bound is left to amount_bound, which names the leaf."""
    return (f"with leaves as ({exact_wan_yuan(table)}), "
            f"unit_years as (select 'unit-year' as kind, unit_code, fiscal_year, sum(abs(wan_yuan)) as total, "
            f"max(abs(wan_yuan)) as biggest, min(_file) as _file, min(_row) as _row from leaves group by all), "
            f"departments as (select 'department-year (its members together)' as kind, m.department_code as unit_code, "
            f"u.fiscal_year, sum(u.total) as total, max(u.biggest) as biggest, min(u._file) as _file, min(u._row) as _row "
            f"from unit_years u join in_ref_unit_memberships m on m.unit_code = u.unit_code "
            f"and u.fiscal_year between m.from_year and coalesce(m.to_year, 9999) group by all) "
            f"select _file, _row, 'sum of |amount|' as column_name, cast(cast(total as decimal(38, 2)) as varchar) as value, "
            f"'{table} of the ' || kind || ' ' || unit_code || ' ' || fiscal_year as detail "
            f"from (select * from unit_years union all select * from departments) "
            f"where total >= {WAN_YUAN_BOUND} and biggest < {WAN_YUAN_BOUND}")


def no_facts(table: str, file_said: str) -> str:
    return ("select u._file, u._row, 'unit_code,fiscal_year' as column_name, u.unit_code || ',' || u.fiscal_year as value, "
            f"{lit('it has no rows in ' + table + ' (' + file_said + ')')} as detail from in_ref_unit_years u "
            "where u.report_kind = '单位决算' and u.detail_level = 'full' "
            f"and not exists (select 1 from {ident('in_' + table)} f where f.unit_code = u.unit_code and f.fiscal_year = u.fiscal_year)")


def department_facts(table: str) -> str:
    """Leaf facts of a 部门决算 unit-year that has member units that year: its figures are its members' sum, so
    its own facts would be counted twice. One problem per file and department-year, at its first row."""
    return (f"select f._file, min(f._row) as _row, 'unit_code,fiscal_year' as column_name, "
            f"f.unit_code || ',' || f.fiscal_year as value, "
            f"count(*) || ' rows of {table}; its members: ' || string_agg(distinct m.unit_code, ', ' order by m.unit_code) as detail "
            f"from {ident('in_' + table)} f join in_ref_unit_years u using (unit_code, fiscal_year) "
            f"join in_ref_unit_memberships m on m.department_code = f.unit_code "
            f"and f.fiscal_year between m.from_year and coalesce(m.to_year, 9999) "
            f"where u.report_kind = '部门决算' group by f._file, f.unit_code, f.fiscal_year")


def memberships() -> str:
    """Two membership rows of one unit whose years overlap: in the same department (member_twice) or in two
    (member_of_two_departments); the later row is named, with the earlier one."""
    years = ("case when a.to_year is null and b.to_year is null then 'both from ' || greatest(a.from_year, b.from_year) || ' on' "
             "when least(coalesce(a.to_year, 9999), coalesce(b.to_year, 9999)) = greatest(a.from_year, b.from_year) "
             "then 'both in ' || greatest(a.from_year, b.from_year) "
             "else 'both in ' || greatest(a.from_year, b.from_year) || '–' || least(coalesce(a.to_year, 9999), coalesce(b.to_year, 9999)) end")
    return ("select a._file, a._row, 'unit_code' as column_name, a.unit_code as value, "
            "case when a.department_code = b.department_code then 'member_twice' else 'member_of_two_departments' end as rule, "
            "case when a.department_code = b.department_code "
            f"then a.unit_code || ' is a member of ' || a.department_code || ' here and at ' || {where_said('b._file', 'b._row')} "
            f"else a.unit_code || ' is a member of ' || a.department_code || ' here and of ' || b.department_code || ' at ' "
            f"|| {where_said('b._file', 'b._row')} end || ', ' || {years} as detail "
            "from in_ref_unit_memberships a join in_ref_unit_memberships b on a.unit_code = b.unit_code "
            "and (b._file, b._row) < (a._file, a._row) "
            "and a.from_year <= coalesce(b.to_year, 9999) and b.from_year <= coalesce(a.to_year, 9999)")


def membership_years() -> str:
    return ("select _file, _row, 'to_year' as column_name, cast(to_year as varchar) as value, "
            "'from_year is ' || from_year as detail from in_ref_unit_memberships where to_year < from_year")


# ---------------------------------------------------------------------------------------------- running them

def run(con: duckdb.DuckDBPyConnection, queries: list[tuple[str, str]]) -> list[Problem]:
    """The failing rows of every rule's SQL, in one query (the first LIMIT of each rule's query, and a line saying
    how many more there are)."""
    if not queries:
        return []
    # one order whatever the threads do: two problems of one row (a table's sum said for the unit-year and for its
    # department-year) come by their text
    ORDER = "_file not like '%.csv', _file, _row, column_name, value, detail"
    parts = [f"select {lit(rule)} as _rule, {i} as _query, * from ({sql})" if "as rule," not in sql else
             f"select rule as _rule, {i} as _query, * exclude (rule) from ({sql})" for i, (rule, sql) in enumerate(queries)]
    cur = con.execute("select *, count(*) over (partition by _query) as _n from (" + " union all by name ".join(parts)
                      + f") qualify row_number() over (partition by _query order by {ORDER}) <= {LIMIT} "
                      f"order by _query, {ORDER}")
    names = [d[0] for d in cur.description]
    problems = []
    seen: dict[int, int] = {}
    for values in cur.fetchall():
        r = dict(zip(names, values))
        problem = Problem(Path(r["_file"]), int(r["_row"]), r["_rule"], r["detail"] or "", r["column_name"], r["value"])
        problems.append(problem)
        seen[r["_query"]] = seen.get(r["_query"], 0) + 1
        if r["_n"] > LIMIT and seen[r["_query"]] == LIMIT:
            problems.append(Problem(problem.path, 0, problem.rule,
                                    f"and {r['_n'] - LIMIT} more rows like these (the first {LIMIT} are listed)"))
    return problems


def check(con: duckdb.DuckDBPyConnection, columns: dict[str, list[str]], accepted: dict[str, dict[str, list[str]]],
          allowances: list[dict[str, str]], seed_files: dict[str, Path], decimal_columns: dict[str, list[str]]) -> list[Problem]:
    """Every relational rule over the in_<table> views there are."""
    have = set(columns)
    queries: list[tuple[str, str]] = []  # (rule, its SQL)

    def has(table: str, *cols: str) -> bool:
        return table in have and all(c in columns[table] for c in cols)

    for seed, cols, target, target_cols, where, rule in REFERENCES:
        if has(seed, *cols) and has(target, *target_cols, *where):
            queries.append((rule, known_reference(seed, cols, target, target_cols, where)))
    for table, key in KEYS.items():
        if has(table, *key):
            queries.append(("unique_key", unique_key(table, key)))
    for table, (key, cols) in CONSISTENT.items():
        if has(table, *key, *cols):
            queries.append(("consistent", consistent(table, key, cols)))
    for table, needs in REQUIRED.items():
        for column, when in needs:
            if has(table, column, *when):
                queries.append(("required", required(table, column, when)))
    for table, values in accepted.items():
        for column, allowed in values.items():
            if has(table, column) and (table, column) != ("ref_unit_years", "amount_unit"):  # its own rule
                queries.append(("accepted_value", accepted_value(table, column, allowed)))
    for table in sorted(have):
        for column in YEAR_COLUMNS:
            if has(table, column):
                queries.append(("fiscal_year_range", fiscal_year_range(table, column)))
        for column in decimal_columns.get(table, []):
            if has(table, column):
                allowed = [(a["match_column"], a["match_value"]) for a in allowances
                           if a["seed_name"] == table and a["column_name"] == column and has(table, a["match_column"])]
                queries.append(("amount_negative", amount_negative(table, column, allowed)))
    if has("ref_unit_years", "amount_unit"):
        queries.append(("amount_unit", amount_unit()))
    for table in LEAF_SEEDS:
        if has(table, "amount") and has("ref_unit_years", "amount_unit"):
            queries.append(("amount_bound", amount_bound(table)))
            if has("ref_unit_memberships", "department_code"):
                queries.append(("total_bound", total_bound(table)))
    if has("ref_unit_years", "report_kind", "detail_level"):
        for table in MUST_HAVE_FACTS:
            if has(table, "unit_code", "fiscal_year"):
                said = f"{seed_files[table]}: header only" if table in seed_files and not con.execute(
                    f"select count(*) from {ident('in_' + table)}").fetchone()[0] else "the seeds or the bulk files"
                queries.append(("no_facts", no_facts(table, said)))
    if has("ref_unit_memberships", "department_code", "from_year", "to_year") and has("ref_unit_years", "report_kind"):
        for table in LEAF_SEEDS:
            if has(table, "unit_code", "fiscal_year"):
                queries.append(("department_facts", department_facts(table)))
    if has("ref_unit_memberships", "department_code", "from_year", "to_year"):
        queries.append(("member_twice", memberships()))
        queries.append(("membership_years", membership_years()))
    return run(con, queries)
