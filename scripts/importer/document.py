"""Read a published report into pages of positioned tokens.

A `Token` is one piece of printed text with its place: page, y (top to bottom, comparable within a page),
x0/x1 (left to right). Two sources:

- PDF with a text layer (pypdfium2: the text runs pdfium finds, each with its box);
- text extracted from a PDF, like the project's first document: one line per printed line, table cells
  separated by tabs. A cell's x is its field index (`field`), and empty fields are kept, because in such a
  file an empty field is a blank cell;
- an Excel workbook (our own export, or one sheet per table): a sheet is a page, a row a line, a cell a field.

Errors are `ImportProblem`s naming the file and the page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


class ImportProblem(Exception):
    """A file that cannot be imported, named with its page (or line) and what was expected."""

    def __init__(self, path: Path | str, where: str, rule: str, message: str):
        self.path, self.where, self.rule, self.message = Path(path), where, rule, message
        super().__init__(f"{Path(path).name}:{where}: [{rule}] {message}")


@dataclass(frozen=True)
class Token:
    text: str
    page: int
    y: float          # top of the token; grows downwards
    x0: float
    x1: float
    line: int         # printed line: the file's line number (text) or the line's rank on its page (PDF)
    field: int | None = None   # tab field index (text files only)

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Document:
    path: Path
    kind: str                       # pdf | text | xlsx
    pages: int
    tokens: list[Token] = field(default_factory=list)
    lines: dict[tuple[int, int], str] = field(default_factory=dict)   # (page, line) -> text of the line
    empty_pages: list[int] = field(default_factory=list)             # pages with no text layer

    def line_text(self, page: int, line: int) -> str:
        return self.lines.get((page, line), "")

    def ordered_lines(self) -> list[tuple[int, int, str]]:
        return [(p, n, t) for (p, n), t in sorted(self.lines.items())]


def read_document(path: Path | str) -> Document:
    """The document at `path`: a PDF (by its %PDF header) or UTF-8 text."""
    path = Path(path)
    if not path.exists():
        raise ImportProblem(path, "-", "file_missing", "no such file")
    head = path.read_bytes()[:1024]
    if head.startswith(b"%PDF"):
        return read_pdf(path)
    if head.startswith(b"PK"):
        return read_xlsx(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ImportProblem(path, f"byte {exc.start}", "not_text",
                            "neither a PDF nor UTF-8 text (expected a PDF with a text layer or its extracted text)")
    return read_text(path, text)


def read_text(path: Path, text: str) -> Document:
    """Text extracted from a PDF: page 1 throughout (the extraction keeps no page breaks, unless it has form
    feeds), line = the file's line number, one token per tab field (empty fields too, on lines with tabs)."""
    doc = Document(path, "text", 1)
    page = 1
    for number, raw in enumerate(text.splitlines(), start=1):
        if "\f" in raw:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        doc.lines[(page, number)] = line
        fields = line.split("\t") if "\t" in line else [line]
        for i, f in enumerate(fields):
            doc.tokens.append(Token(f.strip(), page, float(number), float(i), float(i), number, i))
    doc.pages = page
    return doc


def _cell_text(value) -> str:
    """An Excel cell as printed: a number with the two places of a 万元 figure (when it has at most two), text
    as it is, nothing for an empty cell."""
    from decimal import Decimal

    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        d = Decimal(repr(value))
        return f"{d:.2f}" if d == d.quantize(Decimal("0.01")) else str(d)
    return str(value).strip()


def read_xlsx(path: Path) -> Document:
    """An Excel workbook: one sheet per table (our own export, or per-table sheets): page = sheet, line = row,
    one token per cell (field = column index, empty cells kept: they are blank cells). The workbook's title
    property (our export writes "<year>年度<unit><单位/部门>决算") stands for the cover."""
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportProblem(path, "-", "unreadable_xlsx", f"not a readable Excel workbook ({exc})")
    doc = Document(path, "xlsx", len(wb.sheetnames))
    if wb.properties.title:
        doc.lines[(0, 0)] = wb.properties.title
        doc.tokens.append(Token(wb.properties.title, 0, 0.0, 0.0, 0.0, 0, 0))
    for page, ws in enumerate(wb.worksheets, start=1):
        width = ws.max_column or 0
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in row] + [""] * (width - len(row))
            if not any(cells):
                continue
            doc.lines[(page, number)] = " ".join(c for c in cells if c)
            for i, text in enumerate(cells):
                doc.tokens.append(Token(text, page, float(number), float(i), float(i), number, i))
    wb.close()
    return doc


def read_pdf(path: Path) -> Document:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        why = str(exc)
        if "password" in why.lower():
            raise ImportProblem(path, "-", "encrypted_pdf", "the PDF is encrypted (a password is needed to read it)")
        raise ImportProblem(path, "-", "unreadable_pdf", f"the PDF cannot be opened ({why}); is it truncated?")
    doc = Document(path, "pdf", len(pdf))
    try:
        for index in range(len(pdf)):
            page_no = index + 1
            try:
                page = pdf[index]
                textpage = page.get_textpage()
            except pdfium.PdfiumError as exc:
                raise ImportProblem(path, f"page {page_no}", "unreadable_pdf", f"the page cannot be read ({exc})")
            _, height = page.get_size()
            runs = []
            for i in range(textpage.count_rects()):
                left, bottom, right, top = textpage.get_rect(i)
                text = textpage.get_text_bounded(left, bottom, right, top)
                text = re.sub(r"[\r\n]+", "", text).strip()
                if text:
                    runs.append((height - top, height - bottom, left, right, text))
            if not runs:
                if textpage.count_chars() == 0:  # no text layer on this page (a scan, or a blank page)
                    doc.empty_pages.append(page_no)
                continue
            for line_no, line_runs in enumerate((_merge(line) for line in _lines(runs)), start=1):
                doc.lines[(page_no, line_no)] = " ".join(r[4] for r in line_runs)
                for top, bottom, left, right, text in line_runs:
                    doc.tokens.append(Token(text, page_no, top, left, right, line_no))
    finally:
        pdf.close()
    return doc


def _merge(line: list[tuple]) -> list[tuple]:
    """Runs that touch (a gap under a third of their height) are one word: some PDF writers, Chromium's among
    them, place every glyph as its own run."""
    out: list[tuple] = []
    for run in line:
        if out:
            top, bottom, left, right, text = out[-1]
            if run[2] - right < 0.34 * max(bottom - top, run[1] - run[0]):
                out[-1] = (min(top, run[0]), max(bottom, run[1]), left, max(right, run[3]), text + run[4])
                continue
        out.append(run)
    return out


def _lines(runs: list[tuple[float, float, float, float, str]]) -> list[list[tuple]]:
    """Group text runs into printed lines: runs whose vertical extents overlap by half the smaller height."""
    lines: list[list[tuple]] = []
    for run in sorted(runs, key=lambda r: (r[0], r[2])):
        top, bottom = run[0], run[1]
        for line in lines:
            lt, lb = min(r[0] for r in line), max(r[1] for r in line)
            overlap = min(bottom, lb) - max(top, lt)
            if overlap >= 0.5 * min(bottom - top, lb - lt):
                line.append(run)
                break
        else:
            lines.append([run])
    lines.sort(key=lambda line: min(r[0] for r in line))
    return [sorted(line, key=lambda r: r[2]) for line in lines]
