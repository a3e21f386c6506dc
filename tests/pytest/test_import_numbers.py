"""The one normaliser of printed amounts: every form real prints and their text layers produce."""
from __future__ import annotations

import sys
from decimal import Decimal

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from importer.numbers import BLANK, DASH, NUMBER, UNREADABLE, parse_amount  # noqa: E402

D = Decimal


@pytest.mark.parametrize("printed, state, value", [
    ("1553.97", NUMBER, D("1553.97")),
    ("1553. 97", NUMBER, D("1553.97")),            # the text layer splits a figure at its point
    ("1, 553. 97", NUMBER, D("1553.97")),          # … and at its thousands separator
    ("1,553.97", NUMBER, D("1553.97")),
    ("12,345,678.90", NUMBER, D("12345678.90")),
    ("１５５３．９７", NUMBER, D("1553.97")),        # full-width digits and point
    ("１，５５３．９７", NUMBER, D("1553.97")),
    ("0.00", NUMBER, D("0.00")),                   # a printed zero is a figure, not a blank
    ("0. 14", NUMBER, D("0.14")),
    ("(12.50)", NUMBER, D("-12.50")),              # negatives in parentheses
    ("（12.50）", NUMBER, D("-12.50")),
    ("-12.50", NUMBER, D("-12.50")),
    ("", BLANK, None),
    ("   ", BLANK, None),
    (None, BLANK, None),
    ("-", DASH, None),
    ("—", DASH, None),
    ("--", DASH, None),
    ("－", DASH, None),
    ("126", UNREADABLE, None),                     # truncated: every figure of a 万元 table has two decimals
    ("126.3", UNREADABLE, None),
    ("126.361", UNREADABLE, None),
    ("1,55", UNREADABLE, None),                    # a separator that groups no thousands
    ("12.3.4", UNREADABLE, None),
    ("1O.00", UNREADABLE, None),                   # a letter O read for a zero
    ("9.1%", UNREADABLE, None),
    ("?", UNREADABLE, None),
])
def test_every_printed_form(printed, state, value):
    got = parse_amount(printed)
    assert (got.state, got.value) == (state, value)
    if value is not None:
        assert isinstance(got.value, Decimal) and got.value.as_tuple().exponent == -2


def test_a_dash_is_read_as_zero_by_the_leaves_and_blank_as_nothing():
    assert parse_amount("—").amount == D("0.00")
    assert parse_amount("").amount is None
    assert parse_amount("126").amount is None


def test_places_are_the_table_s_choice():
    assert parse_amount("100", decimals=None).value == D("100")
    assert parse_amount("100", decimals=0).value == D("100")
