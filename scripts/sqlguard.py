"""The guard in front of every statement a reader sends (./juesuan sql, POST /api/sql): a pure function from a
statement and the published tables to the SQL that may run, or a refusal saying why.

A statement is allowed only if it is one query (SELECT, set operations, CTEs) that reads the published schemas'
tables and calls only functions of an allowlist: no table functions (read_csv, read_parquet, read_text, glob,
range, query …), no catalog or setting functions, no ATTACH/COPY/PRAGMA/SET/INSTALL/LOAD/CALL or any other
statement, no parameters, no SELECT INTO. What runs is not the text received but the SQL sqlglot writes back from
the checked tree (without comments), with a row limit put on it; so no comment, quote or Unicode trick can make
DuckDB run something other than what was checked. The connection that runs it is read-only as well, with file
access disabled and its configuration locked (published.connect), and a time limit interrupts it.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

MAX_CHARS = 20_000
PUBLISHED_SCHEMAS = frozenset({"marts", "audit"})

# Functions a query may call, by the name sqlglot gives them (typed ones by sql_name(), others by their own name),
# lower case: aggregates, windows, arithmetic, text, dates, conditionals, casts, lists and structs. Nothing that
# reads files, the catalog, settings, the environment or runs SQL text.
ALLOWED_FUNCTIONS = frozenset("""
abs acos asin atan atan2 cbrt ceil ceiling cos cot degrees exp floor ln log log10 log2 mod pi pow power radians
round round_even sign sin sqrt tan trunc greatest least div even factorial gcd lcm isnan isinf isfinite
count count_if sum avg mean min max median mode any_value arg_max arg_min argmax argmin bit_and bit_or bit_xor
bool_and bool_or logical_and logical_or every first last product stddev stddev_pop stddev_samp variance var_pop
var_samp corr covar_pop covar_samp regr_slope regr_intercept regr_r2 approx_distinct approx_count_distinct
quantile quantile_cont quantile_disc percentile_cont percentile_disc string_agg group_concat listagg array_agg list
histogram entropy kurtosis skewness fsum sumkahan kahan_sum favg max_by min_by
row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
case if iif coalesce ifnull nullif nvl cast try_cast typeof
concat concat_ws length char_length character_length lower upper lcase ucase trim ltrim rtrim btrim left right
substring substr pad lpad rpad replace reverse repeat split_part string_split str_split starts_with ends_with
contains instr str_position position strpos like ilike regexp_like regexp_matches regexp_replace regexp_extract
regexp_extract_all regexp_full_match regexp_split_to_array format printf chr ascii unicode ord initcap md5 sha1
sha256 hash levenshtein jaro_winkler_similarity damerau_levenshtein hamming strip_accents nfc_normalize
translate array_to_string to_hex lower_case upper_case prefix suffix
extract date_part datepart date_trunc datetrunc timestamp_trunc date_diff datediff date_sub date_add dateadd
datesub make_date make_time make_timestamp date_from_parts year month day quarter week weekofyear dayofweek
dayofyear dayofmonth yearweek hour minute second epoch epoch_ms to_timestamp unix_to_time time_to_str
str_to_time str_to_date strftime strptime current_date current_timestamp now today last_day monthname dayname
age date_format to_date ts_or_ds_to_date date_str_to_date time_str_to_time
array explode unnest list_value list_extract list_element list_contains list_has array_contains list_sort
array_sort list_distinct list_unique array_size array_length len list_concat array_concat list_slice
array_slice list_reverse flatten generate_date_array
struct struct_pack struct_extract map map_extract cardinality element_at
columns star_map bracket exists
""".split())

# statements and clauses that never belong in a reader's query, whatever sqlglot calls them
REFUSED_NODES = tuple(t for t in (
    getattr(exp, name, None) for name in (
        "DDL", "DML", "Command", "Set", "Pragma", "Use", "Transaction", "Commit", "Rollback", "Copy", "Describe",
        "Summarize", "Attach", "Detach", "Install", "Load", "Into", "Placeholder", "Parameter", "SessionParameter",
        "Refresh", "Analyze", "Kill", "Grant", "Revoke", "Export", "Import", "Create", "Drop", "Alter", "Insert",
        "Update", "Delete", "Merge", "Truncate", "TruncateTable", "LoadData", "Cache", "Uncache", "Show")
) if isinstance(t, type))


class Refused(ValueError):
    """The statement is not allowed; the message says which rule and where."""


@dataclass(frozen=True)
class Guarded:
    sql: str              # what runs: written back from the checked tree, with the limit
    limit: int            # rows returned at most (one more is fetched to tell that there were more)
    tables: tuple[str, ...]  # the published tables it reads, schema.table


def _outside_quotes(sql: str) -> None:
    """Refuse control characters anywhere and any character beyond ASCII outside quotes and comments (a look-alike
    letter, a full-width semicolon, a Unicode space): the statement's words are ASCII, its Chinese is quoted."""
    quote: str | None = None
    i = 0
    while i < len(sql):
        ch = sql[i]
        if ch not in "\t\n\r" and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            raise Refused(f"character {i + 1}: control or invisible character U+{ord(ch):04X} "
                          f"({unicodedata.name(ch, 'unnamed')}) is not allowed")
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = len(sql) if end < 0 else end
            continue
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end < 0:
                raise Refused(f"character {i + 1}: a comment that is not closed")
            i = end + 2
            continue
        elif ord(ch) > 127:
            raise Refused(f"character {i + 1}: {ch!r} (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}) outside "
                          "quotes: keywords and names are ASCII; quote Chinese names (\"金额\") and text ('财政局')")
        i += 1
    if quote:
        raise Refused(f"a {'string' if quote == chr(39) else 'quoted name'} that is not closed")


def _function_name(node: exp.Func) -> str:
    return (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).lower()


def _cte_names(tree: exp.Expression) -> set[str]:
    return {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}


def check(sql: str, tables: set[tuple[str, str]], max_rows: int = 10_000) -> Guarded:
    """The SQL to run for `sql`, if it is one read-only query over `tables` ((schema, table) pairs, the published
    ones); Refused otherwise."""
    if not sql.strip():
        raise Refused("no statement")
    if len(sql) > MAX_CHARS:
        raise Refused(f"the statement has {len(sql)} characters; at most {MAX_CHARS} are read")
    _outside_quotes(sql)
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except (ParseError, TokenError) as exc:
        raise Refused(f"not a statement sqlglot reads as DuckDB SQL: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise Refused("the statement is nested too deeply") from None
    if len(statements) != 1:
        raise Refused(f"{len(statements)} statements: send one query (no ';' between statements)")
    tree = statements[0]
    if not isinstance(tree, (exp.Select, exp.SetOperation)):
        word = sql.split()[0].strip("(;").upper()
        raise Refused(f"{word} …: not a query; only one SELECT (UNION …, WITH … SELECT) is allowed")
    known = {(s.lower(), t.lower()): (s, t) for s, t in tables}
    ctes = _cte_names(tree)
    read: set[str] = set()
    for node in tree.walk():
        if isinstance(node, REFUSED_NODES):
            what = "SELECT … INTO" if isinstance(node, getattr(exp, "Into", ())) else node.key.upper()
            raise Refused(f"{what} is not allowed in a query")
        if isinstance(node, exp.Table):
            if not isinstance(node.this, exp.Identifier):
                name = _function_name(node.this) if isinstance(node.this, exp.Func) else node.this.sql("duckdb")
                raise Refused(f"FROM {name}(…): table functions and files are not allowed; read the published tables "
                              f"({', '.join(sorted(PUBLISHED_SCHEMAS))})")
            schema, name, catalog = node.db, node.name, node.catalog
            if catalog:
                raise Refused(f"{node.sql('duckdb')}: a catalog name is not allowed; write schema.table")
            if not schema:
                if name.lower() in ctes:
                    continue
                raise Refused(f"{name}: name the schema of a published table (marts.{name}, audit.{name}) or a CTE")
            if schema.lower() not in PUBLISHED_SCHEMAS:
                raise Refused(f"{schema}.{name}: schema {schema} is not published (allowed: "
                              f"{', '.join(sorted(PUBLISHED_SCHEMAS))})")
            if (schema.lower(), name.lower()) not in known:
                raise Refused(f"{schema}.{name}: no such published table")
            read.add(".".join(known[(schema.lower(), name.lower())]))
        elif isinstance(node, exp.Func) and not isinstance(node, (exp.Binary, exp.Connector)):  # AND, ^, -> are operators
            fname = _function_name(node)
            if fname not in ALLOWED_FUNCTIONS:
                raise Refused(f"function {fname}() is not allowed (reading files, the catalog or settings, or running "
                              "SQL text, is not a reader's query; the allowed functions are in docs/serving.md)")
    limited = _with_limit(tree, max_rows)
    return Guarded(limited.sql(dialect="duckdb", comments=False), max_rows, tuple(sorted(read)))


def _with_limit(tree: exp.Expression, max_rows: int) -> exp.Expression:
    """The query with LIMIT max_rows + 1 (one more row tells the caller there were more), or its own smaller one."""
    tree = tree.copy()
    given = tree.args.get("limit")
    if given is not None:
        value = given.expression if isinstance(given, exp.Limit) else None
        if isinstance(value, exp.Literal) and value.is_int and int(value.name) <= max_rows:
            return tree
        if not (isinstance(value, exp.Literal) and value.is_int):
            raise Refused(f"LIMIT {given.sql('duckdb')}: a limit must be a whole number")
    tree.set("limit", exp.Limit(expression=exp.Literal.number(max_rows + 1)))
    return tree
