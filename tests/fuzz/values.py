"""What the fuzzer types: plausible values to get past a form, and hostile ones.

``plausible(field)`` gives a value a careful person might send, so that most
of a form is valid and the hostile value in one or two fields reaches the
code behind it. ``hostile(ids)`` gives what a careless or malicious one might:
huge and negative numbers, impossible date parts, dates at the ends of the
calendar, NUL and other control characters, very long text, any unicode, and
the ids of other records.
"""

import datetime
import string

from hypothesis import strategies as st

#: A field left out of the request altogether.
MISSING = object()

# Text a browser can send: anything but lone surrogates (not UTF-8).
ANY_CHAR = st.characters(exclude_categories=("Cs",))
WORDS = st.text(string.ascii_letters + string.digits + " .-", min_size=1, max_size=30)

EXTREME_NUMBERS = [
    "0",
    "-1",
    "-0",
    "00",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "99999999999999999999",
    "-99999999999999999999",
    "1e309",
    "1.5",
    "NaN",
    "inf",
    "0x10",
    "\u00b2",
    "\u0661\u0662",
    "\uff11",
    "9" * 5000,
]
EXTREME_DATES = [
    "0001-01-01",
    "9999-12-31",
    "31/12/9999",
    "01/01/0001",
    "31 12 9999",
    "1 1 1",
    "31 December 9999",
    "1 January 1",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "99999-01-01",
    "2026-1-1",
    "1900-01-01",
    "2100-12-31",
    "2101-01-01",
    "1899-12-31",
]
DATE_PARTS = ["0", "00", "32", "13", "29", "31", "0000", "0001", "1899", "2101", "9999"]
CONTROL = st.text(st.characters(categories=("Cc",)), min_size=1, max_size=4)


def _long_text(char, length):
    return char * length


LONG_TEXT = st.builds(
    _long_text,
    st.sampled_from(["x", "é", "漢", "\x00", " ", "<"]),
    st.integers(5001, 9000),
)
NUMBERS = st.one_of(
    st.sampled_from(EXTREME_NUMBERS),
    st.integers(-(2**70), 2**70).map(str),
)
DATES = st.one_of(
    st.sampled_from(EXTREME_DATES),
    st.dates().map(datetime.date.isoformat),
    st.dates().map(lambda day: f"{day.day}/{day.month}/{day.year}"),
)


def with_nul(text):
    return st.sampled_from(["\x00", f"{text}\x00", f"\x00{text}", "a\x00b"])


def hostile(ids):
    """Any value a hostile person might put in one field."""
    return st.one_of(
        st.just(""),
        NUMBERS,
        st.sampled_from(DATE_PARTS),
        DATES,
        with_nul("R1"),
        CONTROL,
        st.text(ANY_CHAR, max_size=40),
        LONG_TEXT,
        st.sampled_from(sorted(ids) or ["1"]).map(str),
        st.sampled_from(["on", "true", "false", "None", "null", "[]", "{}", "../"]),
    )


def field_value(field, ids):
    """One field's value: plausible, hostile, several values, or left out."""
    return st.one_of(
        st.just(MISSING),
        hostile(ids),
        st.lists(hostile(ids), min_size=2, max_size=3),
        plausible(field, ids),
    )


def plausible(field, ids=()):
    """A value a careful person might send for ``field``."""
    name, kind = field.name, field.kind
    if kind.startswith("autocomplete"):
        known = st.sampled_from(sorted(ids) or [1]).map(str)
        if kind.endswith("multiple"):
            return st.lists(known, unique=True, max_size=3)
        return known
    if kind in ("checkbox", "select-multiple"):
        if not field.options:
            return st.just([])
        return st.lists(st.sampled_from(field.options), unique=True, max_size=3)
    if field.options:
        choices = [value for value in field.options if value] or list(field.options)
        return st.sampled_from(choices)
    if field.value:
        return st.just(field.value)
    if name.endswith("_0"):
        return st.integers(1, 28).map(str)
    if name.endswith("_1"):
        return st.integers(1, 12).map(str)
    if name.endswith("_2"):
        return st.integers(2020, 2030).map(str)
    if kind == "date":
        return st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31)).map(
            datetime.date.isoformat
        )
    if kind in ("number",):
        return st.integers(1, 99).map(str)
    if kind == "url":
        return st.just("https://www.example.com/report.pdf")
    if kind == "email":
        return st.just("someone@example.com")
    return WORDS
