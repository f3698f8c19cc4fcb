"""Each kind of change in "What changed" has its own type, holding only what
that kind has, and every type gives a flat row for the spreadsheets."""

import dataclasses
import datetime

import pytest

from improvement.board.change_items import (
    DELIVERED,
    LINK_ADDED,
    LINK_REMOVED,
    MOVED_OUT,
    ActionAdded,
    ActionMoved,
    DueDateMoved,
    FieldChanged,
    FindingAdded,
    FindingLinked,
    ImpactChanged,
    ProgressRecorded,
)
from improvement.board.change_report import CHANGE_ROW_FIELDS

COMMON = {
    "when": datetime.datetime(2026, 4, 5, 10, tzinfo=datetime.UTC),
    "who": "Bob Best",
    "user_id": 7,
    "reference": "1.1",
    "title": "Cut caseloads",
    "url": "/actions/1/",
    "history_id": 40,
}
SHARED = ("kind", *COMMON)
FIELD = ("label", "old", "new", "old_value", "new_value", "reason")
FIELD_VALUES = {
    "label": "Delivery status",
    "old": "Not started",
    "new": "Delivered",
    "old_value": "not_started",
    "new_value": "delivered",
    "reason": "",
}


def _fields(change_type):
    return tuple(f.name for f in dataclasses.fields(change_type))


@pytest.mark.parametrize(
    "change_type, own",
    [
        (ActionAdded, ("action_id", "due_date", "lead_officer")),
        (ActionMoved, ("action_id", "label", "old", "new", "reason")),
        (FieldChanged, ("action_id", *FIELD)),
        (ImpactChanged, ("action_id", *FIELD, "detail")),
        (DueDateMoved, ("action_id", *FIELD, "days")),
        (
            FindingLinked,
            ("action_id", "finding", "finding_url", "finding_id", "reason"),
        ),
        (ProgressRecorded, ("action_id", "detail", "tags", "evidence_url")),
        (FindingAdded, ("detail", "tags", "finding_id")),
    ],
)
def test_each_kind_carries_only_its_own_fields(change_type, own):
    assert _fields(change_type) == (*SHARED, *own)


def _every_kind():
    return [
        ActionAdded(
            **COMMON,
            action_id=1,
            due_date=datetime.date(2026, 9, 30),
            lead_officer="Head of Service",
        ),
        ActionMoved(
            **COMMON,
            kind=MOVED_OUT,
            action_id=1,
            label="Moved to SEND plan as 4.2",
            old="Children's plan",
            new="SEND plan",
            reason="The SEND board oversees it",
        ),
        FieldChanged(**COMMON, kind=DELIVERED, action_id=1, **FIELD_VALUES),
        ImpactChanged(**COMMON, action_id=1, **FIELD_VALUES, detail="Audit grades up"),
        DueDateMoved(**COMMON, action_id=1, **FIELD_VALUES, days=-10),
        FindingLinked(
            **COMMON,
            kind=LINK_REMOVED,
            action_id=1,
            finding="R1: Caseloads",
            finding_url="",
            finding_id=3,
            reason="",
        ),
        ProgressRecorded(
            **COMMON,
            action_id=1,
            detail="Two social workers recruited",
            tags=[("in_progress", "In progress"), ("amber", "Amber")],
            evidence_url="",
        ),
        FindingAdded(
            **COMMON,
            detail="ILACS inspection 2020",
            tags=[("recommendation", "Recommendation")],
            finding_id=3,
        ),
    ]


def test_every_kind_gives_a_flat_row():
    rows = {item.kind: item.row() for item in _every_kind()}
    for row in rows.values():
        assert list(row) == [key for key, _ in CHANGE_ROW_FIELDS]
    assert rows["action_added"]["what"] == "Action added"
    assert rows["action_added"]["new"] == "Due 30 September 2026"
    assert rows["due_date"]["what"] == (
        "Due date brought forward 10 days (\u221210 days)"
    )
    assert (rows["link_removed"]["old"], rows["link_removed"]["new"]) == (
        "R1: Caseloads",
        "",
    )
    assert rows["progress"]["what"] == "Progress update (In progress, Amber)"
    assert rows["progress"]["new"] == "Two social workers recruited"
    assert rows["finding_added"]["what"] == (
        "Finding added (Recommendation, ILACS inspection 2020)"
    )
    assert (rows["finding_added"]["old"], rows["finding_added"]["reason"]) == ("", "")


def test_a_kind_with_one_meaning_cannot_be_given_another():
    with pytest.raises(TypeError):
        DueDateMoved(**COMMON, kind=LINK_ADDED, action_id=1, **FIELD_VALUES, days=3)
    moved = _every_kind()[4]
    assert moved.kind == "due_date" and moved.kind_label == "Due date moved"
    assert not moved.moved_later
