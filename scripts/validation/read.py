"""Read a seed CSV as a user saved it: UTF-8 with or without BOM, or GB18030/GBK (Excel on a Chinese Windows),
any line ending; say which encoding was read, and refuse what is not CSV text at all."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem

BOM = b"\xef\xbb\xbf"
# what a spreadsheet saved under a .csv name starts with: xlsx (a zip), xls (OLE2)
BINARY_MAGIC = {b"PK\x03\x04": "an Excel workbook (xlsx)", b"\xd0\xcf\x11\xe0": "an Excel 97-2003 workbook (xls)"}


@dataclass
class CsvFile:
    name: str                       # the seed's name (file stem)
    path: Path
    encoding: str = "utf-8"         # utf-8, utf-8-sig or gb18030
    header: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)   # the line each row starts on (the header is line 1)
    readable: bool = True


def decode(data: bytes) -> tuple[str | None, str, str]:
    """(text or None, encoding, why not) of a file's bytes: UTF-8 (BOM or not) first, then GB18030 (a superset
    of GBK and GB2312), which decodes nearly any byte string, so it is accepted only for text a person wrote."""
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            return None, "binary", what
    if b"\x00" in data:
        return None, "binary", "it contains NUL bytes (UTF-16, or a binary file)"
    if data.startswith(BOM):
        try:
            return data[len(BOM):].decode("utf-8"), "utf-8-sig", ""
        except UnicodeDecodeError as e:
            return None, "unknown", _where_undecodable(data, e)
    try:
        return data.decode("utf-8"), "utf-8", ""
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            return None, "unknown", _where_undecodable(data, utf8_error)
        return text, "gb18030", ""


def _where_undecodable(data: bytes, error: UnicodeDecodeError) -> str:
    line = data[:error.start].count(b"\n") + 1
    return f"byte 0x{data[error.start]:02x} on line {line} is not UTF-8, and the file is not GB18030 either"


def read_csv(path: Path) -> tuple[CsvFile, list[Problem]]:
    """The file's header and rows (values as written, surrounding spaces kept), and what kept it from being read."""
    seed = CsvFile(path.stem, path)
    data = path.read_bytes()
    if not data.strip():
        seed.readable = False
        return seed, [Problem(path, 0, "empty_file", "")]
    text, seed.encoding, why = decode(data)
    if text is None:
        seed.readable = False
        return seed, [Problem(path, 0, "not_csv" if seed.encoding == "binary" else "encoding", why)]
    problems = []
    if seed.encoding != "utf-8":
        said = {"utf-8-sig": "UTF-8 with a BOM", "gb18030": "GB18030 (GBK)"}[seed.encoding]
        problems.append(Problem(path, 0, "encoding_read", f"read as {said}"))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        seed.header = [h.strip() for h in next(reader)]
    except StopIteration:
        seed.readable = False
        return seed, [Problem(path, 0, "empty_file", "")]
    start = reader.line_num + 1
    width = len(seed.header)
    for fields in reader:
        if fields and any(f.strip() for f in fields):
            if len(fields) != width:
                problems.append(Problem(path, start, "row_shape", f"{len(fields)} fields, the header has {width}"))
            else:
                seed.rows.append(dict(zip(seed.header, fields)))
                seed.lines.append(start)
        start = reader.line_num + 1
    return seed, problems
