"""One normaliser for amounts as published 决算 print them.

`parse_amount` turns the text of one printed cell into a `Printed` value with one of four states:

    number      a figure: 1553.97, 1, 553. 97, 1,553.97, １５５３．９７, (12.00) and -12.00 (negative)
    blank       nothing printed
    dash        '-', '—', '--', '－' printed: nothing to report, shown as a mark (read as 0 by the leaves)
    unreadable  something is printed but it is not a complete amount: a truncated '126' in a table whose
                figures all have two decimals, '12.3.4', '1,55', letters ...

A blank cell and a printed 0.00 are different (blank vs number 0.00); an unreadable cell is neither.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

NUMBER = "number"
BLANK = "blank"
DASH = "dash"
UNREADABLE = "unreadable"

_DASHES = {"-", "--", "—", "——", "–", "－", "―", "一一"}
_PLAIN = re.compile(r"\d+(?:\.\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


@dataclass(frozen=True)
class Printed:
    state: str
    value: Decimal | None
    raw: str

    @property
    def amount(self) -> Decimal | None:
        """The amount a leaf takes from the cell: the figure, 0 for a dash, None for blank or unreadable."""
        if self.state == NUMBER:
            return self.value
        return Decimal("0.00") if self.state == DASH else None


def clean(text: str) -> str:
    """Full-width forms to ASCII (NFKC), and the spaces a text layer puts inside a figure removed."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text)


def looks_numeric(text: str) -> bool:
    """True when the text is made of what amounts are made of (digits, separators, a sign or brackets)."""
    t = clean(text)
    return bool(t) and bool(re.fullmatch(r"[\d.,()\-]+", t)) and any(ch.isdigit() for ch in t)


def parse_amount(text: str | None, decimals: int | None = 2) -> Printed:
    """The state and value of one printed cell. `decimals`: the places every figure of the table has (2 for
    万元 tables); a figure with other places is unreadable (a truncated cell). None accepts any places."""
    raw = "" if text is None else str(text)
    t = clean(raw)
    if t == "":
        return Printed(BLANK, None, raw)
    if t in _DASHES:
        return Printed(DASH, None, raw)
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1]
    elif t.startswith("-") and len(t) > 1:
        negative, t = True, t[1:]
    if not (_PLAIN.fullmatch(t) or _GROUPED.fullmatch(t)):
        return Printed(UNREADABLE, None, raw)
    places = len(t.split(".")[1]) if "." in t else 0
    if decimals is not None and places != decimals:
        return Printed(UNREADABLE, None, raw)
    value = Decimal(t.replace(",", ""))
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals))
    return Printed(NUMBER, -value if negative else value, raw)
