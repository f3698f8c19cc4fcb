"""Checking a tracker against a plan, and saving it all or nothing."""

import datetime

import pytest

from improvement.imports import saving, tracker
from improvement.imports.models import PlanImport
from improvement.plan.models import Action, Owner, Priority, ProgressUpdate
from tests import factories
from tests.imports.trackers import (
    HEADINGS,
    csv_bytes,
    tracker_rows,
    upload,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 1)


@pytest.fixture
def plan():
    plan = factories.PlanFactory()
    inspection = factories.InspectionFactory()
    plan.inspections.add(inspection)
    factories.FindingFactory(inspection=inspection, reference="R1")
    factories.FindingFactory(inspection=inspection, reference="R2")
    factories.OwnerFactory(name="Head of Service, Children in Need")
    factories.OwnerFactory(name="Principal Social Worker")
    return plan


def test_a_new_tracker_would_create_every_action(plan, manager):
    checked = tracker.check(
        upload(plan, manager, workbook_bytes(tracker_rows(3))), today=TODAY
    )
    assert checked.problems == []
    assert checked.row_problems == []
    assert [str(p) for p in checked.new_priorities] == [
        "Priority 1: Leadership and management"
    ]
    assert [row.outcome for row in checked.rows] == ["section"] + ["create"] * 3
    assert checked.create_count == 3
    assert checked.update_count == 3
    assert checked.can_save
    # Nothing is written by a check.
    assert not Action.objects.exists()
    assert not Priority.objects.exists()


def test_saving_creates_the_plan_as_the_manager_with_the_files_name(plan, manager):
    checked = tracker.check(
        upload(plan, manager, workbook_bytes(tracker_rows(2))), today=TODAY
    )
    record = saving.save(checked, user=manager)
    assert (record.created, record.changed, record.updates) == (2, 0, 2)
    action = Action.objects.get(plan=plan, reference="1.1")
    assert action.title == "Action number 1"
    assert action.priority.title == "Leadership and management"
    assert action.lead_owner.name == "Head of Service, Children in Need"
    assert [o.name for o in action.supporting_owners.all()] == [
        "Principal Social Worker"
    ]
    assert action.start_date == datetime.date(2025, 12, 1)
    assert action.original_due_date == action.due_date == datetime.date(2026, 3, 31)
    assert (action.status, action.rag) == ("in_progress", "amber")
    assert [f.reference for f in action.findings.all()] == ["R1"]
    created = action.history.earliest()
    assert created.history_user == manager
    assert created.history_change_reason == "Imported from tracker.xlsx"
    # The progress update keeps the month its heading names.
    update = action.progress_updates.get()
    assert update.update_date == datetime.date(2026, 1, 31)
    assert update.narrative == "Progress on action 1"
    assert update.history.get().history_user == manager
    assert PlanImport.objects.get().imported_by == manager


def test_problems_are_named_by_row_and_column(plan, manager):
    rows = tracker_rows(4)
    rows[2][2] = "Director of Children's Services"  # not an owner
    rows[3][5] = "sometime soon"  # not a date
    rows[4][6] = "Nearly there"  # not a status
    rows[5][8] = "R1; R99"  # no such finding
    checked = tracker.check(upload(plan, manager, workbook_bytes(rows)), today=TODAY)
    assert [text for _, text in checked.row_problems] == [
        "Row 5, Lead Officer: “Director of Children's Services” is not yet an owner",
        "Row 6, Target date: “sometime soon” is not a date; write it like "
        "31/03/2022 or March 2022",
        "Row 7, Status: “Nearly there” is not a delivery status; use Not started, "
        "In progress, Delivered, Paused or Withdrawn",
        "Row 8, Ofsted recommendation: there is no finding R99 among the findings "
        "this plan answers",
    ]
    assert checked.unknown_owners == ["Director of Children's Services"]
    assert not checked.can_save


def test_a_lead_not_yet_an_owner_is_created_when_asked(plan, manager):
    rows = tracker_rows(1, lead="Director of Children's Services")
    record = upload(plan, manager, workbook_bytes(rows), create_owners=True)
    checked = tracker.check(record, today=TODAY)
    assert checked.row_problems == []
    assert checked.rows[1].new_owners == ["Director of Children's Services"]
    saving.save(checked, user=manager)
    owner = Owner.objects.get(name="Director of Children's Services")
    assert owner.history.get().history_change_reason == "Imported from tracker.xlsx"
    assert Action.objects.get().lead_owner == owner


def test_rag_only_in_fill_colour(plan, manager):
    rows = tracker_rows(3)
    for row in rows[2:]:
        row[7] = None
    # Rows 5, 6 and 7 (title, blank, headings and section above), column H.
    fills = {"H5": "FFFF0000", "H6": "FF00B050", "H7": "FF00B0F0"}
    checked = tracker.check(
        upload(plan, manager, workbook_bytes(rows, fills=fills)), today=TODAY
    )
    assert checked.row_problems == [
        (
            "row-7",
            "Row 7, BRAG: Blue means delivered, but the status says in progress",
        )
    ]
    rows[4][6] = "Complete"
    checked = tracker.check(
        upload(plan, manager, workbook_bytes(rows, fills=fills)), today=TODAY
    )
    saving.save(checked, user=manager)
    actions = {a.reference: a for a in Action.objects.all()}
    assert actions["1.1"].rag == "red"
    assert actions["1.2"].rag == "green"
    assert actions["1.3"].status == "delivered"
    assert actions["1.3"].display_rag == "blue"


def test_a_csv_from_older_excel_in_windows_1252(plan, manager):
    rows = tracker_rows(1)
    rows[2][1] = "Café-style drop-ins – weekly"
    rows[2][4] = "01/12/2025"
    data = csv_bytes(rows, encoding="cp1252")
    checked = tracker.check(
        upload(plan, manager, data, name="tracker.csv"), today=TODAY
    )
    assert checked.row_problems == []
    saving.save(checked, user=manager)
    assert Action.objects.get().title == "Café-style drop-ins – weekly"


def test_a_newer_copy_changes_only_what_differs(plan, manager):
    saving.save(
        tracker.check(
            upload(plan, manager, workbook_bytes(tracker_rows(3))), today=TODAY
        ),
        user=manager,
    )
    versions = {a.reference: a.version for a in Action.objects.all()}
    rows = tracker_rows(3)
    rows[3][5] = "30/04/2026"  # 1.2's due date moves
    rows[4][7] = "Red"  # 1.3 goes red
    rows[4][9] = "Progress on action 3"  # same update, already recorded
    checked = tracker.check(upload(plan, manager, workbook_bytes(rows)), today=TODAY)
    assert [row.outcome for row in checked.rows] == [
        "section",
        "unchanged",
        "change",
        "change",
    ]
    assert [(c.label, c.old, c.new) for c in checked.rows[2].changes] == [
        ("Current due date", "31 March 2026", "30 April 2026")
    ]
    assert [(c.label, c.old, c.new) for c in checked.rows[3].changes] == [
        ("RAG", "Amber", "Red")
    ]
    saving.save(checked, user=manager)
    actions = {a.reference: a for a in Action.objects.all()}
    assert actions["1.1"].version == versions["1.1"]
    assert actions["1.2"].due_date == datetime.date(2026, 4, 30)
    assert actions["1.2"].original_due_date == datetime.date(2026, 3, 31)
    moved = actions["1.2"].history.latest()
    assert moved.history_change_reason == "Imported from tracker.xlsx"
    assert actions["1.3"].rag == "red"
    assert ProgressUpdate.objects.count() == 3


def test_the_original_due_date_never_changes(plan, manager):
    saving.save(
        tracker.check(
            upload(plan, manager, workbook_bytes(tracker_rows(1))), today=TODAY
        ),
        user=manager,
    )
    rows = tracker_rows(1)
    rows[0] = [*HEADINGS, "Original due date"]
    rows[2] = [*rows[2], "30/06/2026"]
    checked = tracker.check(upload(plan, manager, workbook_bytes(rows)), today=TODAY)
    assert checked.row_problems == [
        (
            "row-5",
            "Row 5, Original due date: the original due date never changes; it is "
            "31 March 2026",
        )
    ]


def test_a_missing_reference_column_is_named(plan, manager):
    rows = [["Action", "Lead"], ["Do it", "Head of Service, Children in Need"]]
    checked = tracker.check(upload(plan, manager, workbook_bytes(rows)), today=TODAY)
    assert checked.problems == ["Choose the column that holds the action's reference"]


def test_duplicate_references_and_paused_without_reason(plan, manager):
    rows = tracker_rows(2)
    rows[3][0] = "1.1"
    rows[2][6] = "On hold"
    rows[2][9] = None
    checked = tracker.check(upload(plan, manager, workbook_bytes(rows)), today=TODAY)
    assert [text for _, text in checked.row_problems] == [
        "Row 5, Delivery status: a paused action needs a reason: give it in the "
        "progress update",
        "Row 6, Reference: 1.1 is also the reference of row 5; give each action its "
        "own reference",
    ]


def test_checking_takes_the_same_queries_for_10_or_60_rows(
    plan, manager, django_assert_max_num_queries
):
    """Guards against a query per row: the plan is read once."""
    small = upload(plan, manager, workbook_bytes(tracker_rows(10)))
    large = upload(plan, manager, workbook_bytes(tracker_rows(60)))
    saving.save(tracker.check(small, today=TODAY), user=manager)
    with django_assert_max_num_queries(7):
        tracker.check(small, today=TODAY)
    with django_assert_max_num_queries(7):
        tracker.check(large, today=TODAY)
