"""The README's section on importing says what the code does."""

import re
from pathlib import Path

from improvement.imports import columns, reading

README = Path(__file__).resolve().parents[2] / "README.md"


def _section():
    text = README.read_text(encoding="utf-8")
    start = text.index("## Importing a plan from a spreadsheet")
    return text[start : text.index("\n## ", start + 1)]


def test_the_headings_table_is_the_one_the_suggestions_use():
    rows = re.findall(r"^\| (.+?) \| (`.+`) \|$", _section(), re.MULTILINE)
    listed = {label: re.findall(r"`([^`]+)`", headings) for label, headings in rows}
    assert listed == {label: columns._HEADINGS[key] for key, label in columns.FIELDS}


def test_the_limits_are_the_ones_the_reading_uses():
    section = _section()
    megabytes = 1024 * 1024
    assert f"smaller than {reading.MAX_BYTES // megabytes} MB" in section
    assert f"at most {reading.MAX_ROWS:,} rows on a sheet" in section
    assert f"the first {reading.MAX_COLUMNS} columns" in section
    assert f"the first {reading.MAX_SHEETS} sheets" in section
    assert f"more than {reading.MAX_UNPACKED // megabytes} MB" in section
    assert f"more than {reading.MAX_PARTS:,} parts" in section
    assert f"first {columns.HEADER_SEARCH_ROWS} rows" in section
