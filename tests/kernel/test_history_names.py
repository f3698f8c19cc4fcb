"""History names the records a change mentions, read with the history rows.

The owners, priorities, plans and findings a change names come joined to
the rows that name them, so describing a history costs the same queries
however many different records its changes mention; a record since deleted
is named as removed.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from improvement.imports.models import PlanImport
from improvement.kernel.history import (
    acting_as,
    describe,
    object_timeline,
    pair_consecutive,
)
from improvement.plan.models import Action, Owner
from tests.factories import (
    ActionFactory,
    FindingFactory,
    OwnerFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


def _changes(entries):
    """``{label: (old, new, removed, added)}`` of every change, newest first."""
    return [
        {c.label: (c.old, c.new, c.removed, c.added) for c in entry.changes}
        for entry in entries
    ]


def _timeline_queries(action):
    with CaptureQueriesContext(connection) as captured:
        entries = object_timeline(action)
    return entries, len(captured)


def test_owners_and_findings_changed_are_named(manager):
    first, second = (
        OwnerFactory(name="Head of Service"),
        OwnerFactory(name="Team Manager"),
    )
    finding = FindingFactory(reference="R7", title="Supervision is not regular")
    with acting_as(manager):
        action = ActionFactory(lead_owner=first)
        action.lead_owner = second
        action.save()
        action.findings.add(finding)
        action.supporting_owners.add(first)
    entries, _ = _timeline_queries(action)
    changes = _changes(entries)
    assert changes[2] == {"Lead officer": ("Head of Service", "Team Manager", [], [])}
    assert [e.user_name for e in entries[:3]] == [manager.get_full_name()] * 3
    linked = {**changes[0], **changes[1]}
    assert linked["Findings answered"][3] == [str(finding)]
    assert linked["Supporting owners"][3] == ["Head of Service"]


def test_describing_costs_the_same_however_many_records_the_changes_name(manager):
    with acting_as(manager):
        action = ActionFactory()
        action.lead_owner = OwnerFactory()
        action.save()
    _, few = _timeline_queries(action)
    with acting_as(manager):
        for n in range(12):
            action.lead_owner = OwnerFactory(name=f"Team Manager {n}")
            action.save()
            action.findings.add(FindingFactory())
            action.supporting_owners.add(OwnerFactory())
    entries, many = _timeline_queries(action)
    # The rows with the records they name, and one query per kind of link.
    assert few == many == 3
    lead_owners = [
        c["Lead officer"][1] for c in _changes(entries) if "Lead officer" in c
    ]
    assert lead_owners[:2] == ["Team Manager 11", "Team Manager 10"]
    assert len(lead_owners) == 13


def test_records_deleted_since_are_named_as_removed(manager):
    gone, kept = OwnerFactory(name="Interim Head of Service"), OwnerFactory()
    finding = FindingFactory()
    with acting_as(manager):
        action = ActionFactory(lead_owner=gone)
        action.findings.add(finding)
        action.lead_owner = kept
        action.save()
        action.findings.remove(finding)
    gone.delete()
    finding.delete()
    changes = _changes(object_timeline(action))
    assert changes[0]["Findings answered"][2] == ["(removed finding)"]
    assert changes[1]["Lead officer"][0] == "(removed owner)"
    assert changes[2]["Findings answered"][3] == ["(removed finding)"]


def test_rows_read_without_their_records_are_still_named(manager):
    first, second = (
        OwnerFactory(name="Head of Service"),
        OwnerFactory(name="Team Manager"),
    )
    with acting_as(manager):
        action = ActionFactory(lead_owner=first)
        action.lead_owner = second
        action.save()
    rows = list(Action.history.filter(id=action.pk))  # no joins
    entries = describe(pair_consecutive(rows))
    assert _changes(entries)[0]["Lead officer"][:2] == (
        "Head of Service",
        "Team Manager",
    )
    Owner.objects.filter(pk=first.pk).update(name="Renamed")
    assert _changes(describe(pair_consecutive(rows)))[0]["Lead officer"][0] == "Renamed"


def test_a_date_and_time_changed_is_written_as_the_site_writes_it(manager):
    plan = PlanFactory()
    with acting_as(manager):
        record = PlanImport.objects.create(
            plan=plan,
            name="Tracker v3.xlsx",
            imported_by=manager,
            imported_at=datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC),
        )
        # 13:05 UTC on 30 June is 2:05pm in London (summer time).
        record.imported_at = datetime.datetime(2026, 6, 30, 13, 5, tzinfo=datetime.UTC)
        record.save()
    change = _changes(object_timeline(record))[0]["Imported at"]
    assert change[:2] == ("10 March 2026 at 9am", "30 June 2026 at 2:05pm")
    assert str(record) == "Tracker v3.xlsx, imported 30 June 2026"
