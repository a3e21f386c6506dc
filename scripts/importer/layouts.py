"""The printed layouts, read from seeds/templates: the tables (number, title), their rows (label, key, 行次,
subject) and columns (header, 栏次, mart column) that the marts print. The importer reads prints with the same
data, so a new layout is still one set of seed rows."""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "templates"
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
_PAREN = re.compile(r"[（(][^）)]*[）)]")


def norm(text: str) -> str:
    """A label or title as compared: NFKC, no whitespace or quotes, one form of brackets."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"[\s\"'“”‘’「」]", "", text)
    return text.replace("(", "（").replace(")", "）")


def norm_label(text: str) -> str:
    """A row label as compared: `norm` without its ordinal (一、) and bracketed remarks （含专用结余）."""
    t = _ORDINAL.sub("", norm(text))
    return _PAREN.sub("", t.replace("（", "(").replace("）", ")"))


@dataclass(frozen=True)
class RowSpec:
    row_order: int
    side: str
    line_no: int | None
    row_key: str
    row_kind: str
    subject_dimension: str
    subject_code: str
    label: str
    row_group: str


@dataclass(frozen=True)
class ColumnSpec:
    column_name: str
    column_no: int | None
    header: str
    side: str
    header_variants: tuple[str, ...] = ()   # other headers prints of the layout give it (header_variants_zh)

    @property
    def leaf(self) -> str:
        """The lowest header level: '决算数 小计' -> '小计'."""
        return self.header.split()[-1]

    @property
    def leaves(self) -> tuple[str, ...]:
        """The lowest header level as the layout prints it and as its variants do: ('决算数', '金额')."""
        return tuple(dict.fromkeys([self.leaf] + [v.split()[-1] for v in self.header_variants]))


@dataclass
class TableSpec:
    version: str
    table_code: str
    table_no: str
    title: str
    two_sided: bool
    has_line_numbers: bool = False
    rows: list[RowSpec] = field(default_factory=list)
    columns: list[ColumnSpec] = field(default_factory=list)

    def columns_of(self, side: str) -> list[ColumnSpec]:
        return [c for c in self.columns if not self.two_sided or c.side == side]

    @property
    def unlabelled(self) -> bool:
        """A table whose printed row has no label (the 三公 table: one row of figures)."""
        return not any(r.label for r in self.rows if r.row_kind != "blank")

    @property
    def has_subject_list(self) -> bool:
        return any(r.row_kind == "subject_list" for r in self.rows)

    @property
    def prints_line_numbers(self) -> bool:
        return self.has_line_numbers

    @property
    def subject_dimension(self) -> str:
        dims = {r.subject_dimension for r in self.rows if r.subject_dimension}
        return "economic" if dims == {"economic"} else "function" if dims else ""


@dataclass
class Layout:
    version: str
    name: str
    first_year: int
    tables: dict[str, TableSpec]

    @property
    def prints_gongkai_numbers(self) -> bool:
        return all(t.table_no.startswith("公开") for t in self.tables.values())


def _read(name: str, seeds: Path) -> list[dict[str, str]]:
    with open(seeds / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_layouts(seeds: Path = SEEDS) -> dict[str, Layout]:
    layouts = {v["template_version"]: Layout(v["template_version"], v["template_name"], int(v["first_year"]), {})
               for v in _read("ref_template_versions.csv", seeds)}
    for t in _read("ref_report_tables.csv", seeds):
        layouts[t["template_version"]].tables[t["table_code"]] = TableSpec(
            t["template_version"], t["table_code"], t["printed_table_no"], t["title"], False,
            t["has_line_numbers"] == "true")
    for r in _read("ref_template_rows.csv", seeds):
        layouts[r["template_version"]].tables[r["table_code"]].rows.append(RowSpec(
            int(r["row_order"]), r["side"], int(r["line_no"]) if r["line_no"] else None, r["row_key"],
            r["row_kind"], r["subject_dimension"], r["subject_code"], r["item_name"], r["row_group"]))
    for c in _read("ref_template_columns.csv", seeds):
        variants = tuple(v.strip() for v in (c.get("header_variants_zh") or "").split("|") if v.strip())
        layouts[c["template_version"]].tables[c["table_code"]].columns.append(ColumnSpec(
            c["column_name"], int(c["column_no"]) if c["column_no"] else None, c["header_zh"], c["side"], variants))
    for layout in layouts.values():
        for table in layout.tables.values():
            table.rows.sort(key=lambda r: r.row_order)
            table.two_sided = any(r.side for r in table.rows)
    return layouts


def title_score(line: str, title: str) -> float:
    """How well a printed line matches a table title (1.0 = the same words): the year and table number
    printed beside a title are ignored; the table of contents' entries (一、收入决算表) never match."""
    t = re.sub(r"^[-•·*]+", "", norm(line))
    if _ORDINAL.match(t) or re.match(r"^\d{1,2}[、.．]", t) or len(t) > 2 * len(norm(title)) + 12:
        return 0.0
    t = re.sub(r"^\d{4}年度?", "", t)
    t = re.sub(r"(公开\d+表|表\d+|单位[:：]?万元)", "", t)
    return SequenceMatcher(None, t, norm(title)).ratio()


def match_label(fragment: str, candidates: list[RowSpec], allow_short_prefix: bool = False,
                strict: bool = False, after: int = 0) -> RowSpec | None:
    """The template row a printed label stands for, tolerating what real prints do to labels: bracketed
    remarks added (使用非财政拨款结余（含专用结余）), a label cut at the end of a line or by the extraction
    (机关事业单位基本养老保险, 人员约), small wording differences. None when no row is clearly meant."""
    f = norm_label(fragment)
    if not f:
        return None
    by_norm = [(norm_label(c.label), c) for c in candidates if c.label]
    exact = [c for n, c in by_norm if n == f]
    if exact:  # a label printed twice in a table (一般公共预算财政拨款): the first after the last row matched
        return next((c for c in exact if c.row_order > after), exact[0])
    starts = [(n, c) for n, c in by_norm if len(f) >= 4 and n.startswith(f)]
    if len({n for n, _ in starts}) == 1:  # one label (printed once, or twice as 一般公共预算财政拨款 in 表4)
        return next((c for _, c in starts if c.row_order > after), starts[0][1])
    longer = sorted(((n, c) for n, c in by_norm if len(n) >= 4 and f.startswith(n)), key=lambda nc: -len(nc[0]))
    if longer:
        return longer[0][1]
    if strict:
        return None
    scored = sorted(((SequenceMatcher(None, f, n).ratio(), c) for n, c in by_norm), key=lambda sc: -sc[0])
    if scored and scored[0][0] >= 0.8 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    if allow_short_prefix and len(f) >= 2:
        short = [c for n, c in by_norm if n[:2] == f[:2]]
        if len(short) == 1:
            return short[0]
    return None
