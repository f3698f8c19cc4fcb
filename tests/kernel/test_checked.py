"""The shape every checked upload shares: rows with problems, and a file."""

from dataclasses import dataclass, field

from improvement.kernel.checked import CheckedFile, CheckedRow, name_key


@dataclass
class Row(CheckedRow):
    number: int
    outcome: str = ""
    problems: list = field(default_factory=list)


@dataclass
class File(CheckedFile):
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def test_a_row_is_anchored_by_its_number_and_notes_problems_in_order():
    row = Row(number=7)
    row.problem("Due date", "enter the due date")
    row.problem("Lead", "“Sam” is not yet an owner")

    assert row.anchor == "row-7"
    assert row.problems == [
        ("Due date", "enter the due date"),
        ("Lead", "“Sam” is not yet an owner"),
    ]


def test_a_file_lists_every_rows_problems_in_row_order():
    first, clean, last = Row(number=2), Row(number=3), Row(number=5)
    first.problem("Ref", "enter the reference")
    first.problem("Title", "enter the title")
    last.problem("Value", "enter the value")
    checked = File(rows=[first, clean, last], problems=["The file is odd"])

    assert checked.row_problems == [
        ("row-2", "Row 2, Ref: enter the reference"),
        ("row-2", "Row 2, Title: enter the title"),
        ("row-5", "Row 5, Value: enter the value"),
    ]
    assert checked.problem_count == 4


def test_a_file_with_no_problems_counts_none():
    checked = File(rows=[Row(number=2)])

    assert checked.row_problems == []
    assert checked.problem_count == 0


def test_a_file_counts_its_rows_by_outcome():
    checked = File(
        rows=[
            Row(number=2, outcome="new"),
            Row(number=3, outcome="unchanged"),
            Row(number=4, outcome="new"),
        ]
    )

    assert checked.count("new") == 2
    assert checked.count("unchanged") == 1
    assert checked.count("correct") == 0


def test_names_match_whatever_their_spacing_and_case():
    assert name_key("  Jo   SMITH\t") == "jo smith"
    assert name_key("Head of Service,\nChildren") == "head of service, children"
    assert name_key("R1") == name_key("r1")
    assert name_key("Jo Smith") != name_key("JoSmith")
    assert name_key(12) == "12"
