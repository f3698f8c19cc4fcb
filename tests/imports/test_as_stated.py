"""The register as at a date before the plan was imported shows, apart from
the plan as the service recorded it, what the council's tracker stated for
that date: its actions as the file gave them and the latest progress update
the file dated by then. Nothing is invented: the figures and "what changed"
are untouched."""

import datetime
import io
import re

import pypdf
import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.board.periods import day_window
from improvement.board.what_changed import changes_between
from improvement.imports import saving, tracker
from improvement.imports.as_stated import as_stated
from improvement.imports.known import imported_after
from improvement.imports.models import PlanImport
from improvement.kernel.dates import end_of_day
from improvement.kernel.history import acting_as
from improvement.plan.models import Action
from tests import factories
from tests.helpers import at, travel
from tests.imports.trackers import upload, workbook_bytes

pytestmark = pytest.mark.django_db

AS_AT = reverse("improvement:as_at")
IMPORTED_ON = at(2026, 6, 1, 10)
MARCH_15 = datetime.date(2026, 3, 15)
HEADING = "As the tracker stated it"

HEADINGS = [
    "Ref",
    "Action",
    "Lead Officer",
    "Start date",
    "Target date",
    "Original target date",
    "Status",
    "BRAG",
    "Update Feb 26",
    "Update Apr 26",
]

#: Started in January (1.1, 1.2) and in March (1.3, after 15 March); updates
#: dated by their headings: 28 February and 30 April 2026.
ROWS = [
    HEADINGS,
    ["Priority 1: Leadership and management"],
    [
        "1.1",
        "Monthly reflective supervision",
        "Head of Service, Children in Need",
        "12/01/2026",
        "30/09/2026",
        "31/07/2026",
        "In progress",
        "Red",
        "Two practice leads recruited",
        "Supervision audit done",
    ],
    [
        "1.2",
        "Audit of strategy meetings",
        "Head of Service, Children in Need",
        "20/01/2026",
        "31/05/2026",
        "",
        "Delivered",
        "Green",
        "",
        "All strategy meetings audited",
    ],
    [
        "1.3",
        "New front door",
        "Head of Service, Children in Need",
        "20/03/2026",
        "31/12/2026",
        "",
        "In progress",
        "Amber",
        "",
        "Front door launched",
    ],
]


def _import(
    plan, manager, rows, *, name="Tracker June.xlsx", when=IMPORTED_ON, tick=False
):
    with time_machine.travel(when, tick=tick):
        checked = tracker.check(
            upload(plan, manager, workbook_bytes(rows), name=name),
            today=when.date(),
        )
        assert checked.can_save, checked.problems + checked.row_problems
        return saving.save(checked, user=manager)


@pytest.fixture
def plan(manager):
    with travel(at(2026, 1, 5)):
        plan = factories.PlanFactory(start_date=datetime.date(2025, 9, 1))
        factories.OwnerFactory(name="Head of Service, Children in Need")
    _import(plan, manager, ROWS)
    return plan


def _section(text):
    """The page from the tracker's section on (it comes last)."""
    assert text.count(HEADING) == 2  # the link in the notice, then the heading
    return text[text.index('id="as-stated-heading"') :]


def _cells(text):
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", text, re.S)
    ]


def test_as_at_15_march_shows_what_the_tracker_stated_for_that_day(
    client_as_board, plan
):
    with travel(at(2026, 7, 1)):
        response = client_as_board.get(AS_AT, {"plan": plan.pk, "as_at": "2026-03-15"})
    assert response.status_code == 200
    # The plan as the service recorded it stays empty, and says why.
    assert response.context["rows"] == []
    assert "The plan had no actions at the end of 15 March 2026." in response.text
    section = _section(response.text)
    assert (
        "The tracker “Tracker June.xlsx” was imported on 1 June 2026. It stated "
        "these actions and progress updates; the status and RAG are as the "
        "tracker stated them on 1 June 2026, not as they were on 15 March 2026."
    ) in section
    assert (
        "Left out: 1 action the tracker gave a start date after 15 March 2026."
    ) in section
    assert "Front door" not in section
    cells = _cells(section)
    assert cells == [
        "1.1: Monthly reflective supervision Priority 1",
        "Head of Service, Children in Need",
        "Due 30 September 2026 Originally due 31 July 2026 Started 12 January 2026",
        "In progress",
        "Red",
        "28 February 2026 Two practice leads recruited",
        "1.2: Audit of strategy meetings Priority 1",
        "Head of Service, Children in Need",
        "Due 31 May 2026 Originally due 31 May 2026 Started 20 January 2026",
        "Delivered",
        "Blue",
        "None dated by 15 March 2026",
    ]
    # The April update is not yet dated on 15 March.
    assert "Supervision audit done" not in section
    assert "All strategy meetings audited" not in section
    assert '<caption class="govuk-table__caption' in section
    assert '<th scope="col" class="govuk-table__header">Status</th>' in section
    assert "app-table--reflow" in section
    assert 'data-label="Latest progress update by 15 March 2026"' in section


def test_as_at_30_april_gives_the_april_updates_and_every_action(plan):
    imported = imported_after(plan, end_of_day(datetime.date(2026, 4, 30)))
    stated = as_stated(imported, datetime.date(2026, 4, 30))
    assert stated.left_out == 0
    assert [
        (a.reference, a.update_date, a.update_narrative) for a in stated.actions
    ] == [
        ("1.1", datetime.date(2026, 4, 30), "Supervision audit done"),
        ("1.2", datetime.date(2026, 4, 30), "All strategy meetings audited"),
        ("1.3", datetime.date(2026, 4, 30), "Front door launched"),
    ]


def test_a_date_after_the_import_shows_no_such_section(client_as_board, plan):
    with travel(at(2026, 7, 2)):
        response = client_as_board.get(AS_AT, {"plan": plan.pk, "as_at": "2026-07-01"})
    assert response.status_code == 200
    assert HEADING not in response.text
    assert response.context["stated"] is None
    assert {row["state"].reference for row in response.context["rows"]} == {
        "1.1",
        "1.2",
        "1.3",
    }


def test_an_action_edited_after_the_import_shows_the_files_values(
    client_as_board, plan, manager
):
    action = Action.objects.get(plan=plan, reference="1.1")
    with travel(at(2026, 6, 10)), acting_as(manager):
        action.title = "Reflective supervision, renamed"
        action.status = Action.Status.PAUSED
        action.status_reason = "Practice leads left"
        action.rag = Action.Rag.GREEN
        action.due_date = datetime.date(2026, 12, 31)
        action._change_reason = "Practice leads left"
        action.save()
        action.lead_owner = factories.OwnerFactory(name="Principal Social Worker")
        action._change_reason = "New lead"
        action.save()
    with travel(at(2026, 7, 1)):
        response = client_as_board.get(AS_AT, {"plan": plan.pk, "as_at": "2026-03-15"})
    section = _section(response.text)
    cells = _cells(section)
    assert cells[:6] == [
        "1.1: Monthly reflective supervision Priority 1",
        "Head of Service, Children in Need",
        "Due 30 September 2026 Originally due 31 July 2026 Started 12 January 2026",
        "In progress",
        "Red",
        "28 February 2026 Two practice leads recruited",
    ]
    assert "renamed" not in section
    assert "Paused" not in section


def test_a_deleted_action_is_named_but_not_linked(client_as_board, plan):
    action = Action.objects.get(plan=plan, reference="1.2")
    url = action.get_absolute_url()
    action.progress_updates.all().delete()
    action.delete()
    with travel(at(2026, 7, 1)):
        response = client_as_board.get(AS_AT, {"plan": plan.pk, "as_at": "2026-03-15"})
    section = _section(response.text)
    cells = _cells(section)
    assert "1.2: Audit of strategy meetings (since deleted) Priority 1" in cells
    assert url not in section


def test_what_changed_in_the_period_invents_nothing(plan):
    """The updates are dated February and April by the file, but nobody
    recorded anything then: the period before the import has no changes,
    and the real figures as at 15 March have no actions."""
    start, end = day_window(datetime.date(2026, 1, 1), datetime.date(2026, 5, 31))
    report = changes_between(plan, start, end)
    assert report.is_empty
    # The import itself is what changed, on the day it was made.
    start, end = day_window(datetime.date(2026, 6, 1), datetime.date(2026, 6, 1))
    report = changes_between(plan, start, end)
    assert {item.reference for item in report.actions_added} == {"1.1", "1.2", "1.3"}


def test_an_import_made_while_the_clock_runs_is_read_whole(manager):
    """A real import's rows are written over some moments, each later than
    the note's start and earlier than the note's own history row."""
    factories.OwnerFactory(name="Head of Service, Children in Need")
    plan = factories.PlanFactory(start_date=datetime.date(2025, 9, 1))
    imported = _import(plan, manager, ROWS, tick=True)
    stated = as_stated(imported, MARCH_15)
    assert [a.reference for a in stated.actions] == ["1.1", "1.2"]
    assert stated.left_out == 1
    assert stated.actions[0].update_date == datetime.date(2026, 2, 28)


def test_only_the_actions_that_import_created_are_listed(plan, manager):
    """An action typed into the service before the import is in the register
    as at the date, not in the tracker's section; a second import's new
    actions belong to it, not to the first."""
    second = [
        HEADINGS,
        ["Priority 1: Leadership and management"],
        [
            "1.4",
            "Later action",
            "Head of Service, Children in Need",
            "01/02/2026",
            "30/11/2026",
            "",
            "In progress",
            "Amber",
            "Started",
            "",
        ],
        # The same file's 1.1 with a new title: a change, not a creation.
        ["1.1", "Monthly supervision, retitled"] + ROWS[2][2:],
    ]
    _import(plan, manager, second, name="Tracker July.xlsx", when=at(2026, 7, 1))
    first = PlanImport.objects.get(name="Tracker June.xlsx")
    stated = as_stated(first, MARCH_15)
    assert [a.reference for a in stated.actions] == ["1.1", "1.2"]
    assert stated.actions[0].title == "Monthly reflective supervision"
    later = as_stated(PlanImport.objects.get(name="Tracker July.xlsx"), MARCH_15)
    assert [a.reference for a in later.actions] == ["1.4"]
    assert later.actions[0].update_date == datetime.date(2026, 2, 28)


def test_the_dashboard_and_the_pack_as_at_the_date_show_it_too(client_as_board, plan):
    """Every view of the plan as at a date before the import: the register,
    the dashboard and the board pack (page and PDF)."""
    link = '<a class="govuk-link" href="#as-stated">As the tracker stated it</a>'
    query = {"plan": plan.pk, "as_at": "2026-03-15"}
    with travel(at(2026, 7, 1)):
        pages = {
            "register": client_as_board.get(AS_AT, query),
            "dashboard": client_as_board.get(reverse("improvement:dashboard"), query),
            "pack": client_as_board.get(
                reverse("improvement:board_pack"), {**query, "since": "2026-02-01"}
            ),
        }
        pdf = client_as_board.get(
            reverse("improvement:board_pack_pdf"), {**query, "since": "2026-02-01"}
        )
        content = b"".join(pdf.streaming_content)
    for name, response in pages.items():
        assert link in response.text, name
        section = _section(response.text)
        assert "Monthly reflective supervision" in section, name
        assert "Left out: 1 action" in section, name
    words = " ".join(
        "".join(
            p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages
        ).split()
    )
    assert "As the tracker stated it" in words
    assert "Monthly reflective supervision" in words


def test_a_date_after_the_import_shows_no_such_section_anywhere(client_as_board, plan):
    query = {"plan": plan.pk, "as_at": "2026-07-01"}
    with travel(at(2026, 7, 2)):
        for url in (AS_AT, reverse("improvement:dashboard")):
            response = client_as_board.get(url, query)
            assert HEADING not in response.text


def test_people_who_may_not_see_actions_see_nothing_of_it(client, plan):
    with travel(at(2026, 7, 1)):
        response = client.get(AS_AT, {"plan": plan.pk, "as_at": "2026-03-15"})
    assert response.status_code == 302
    assert "Monthly reflective supervision" not in response.text


def _tracker(count):
    rows = [HEADINGS, ["Priority 1: Leadership and management"]]
    for n in range(1, count + 1):
        rows.append(
            [
                f"1.{n}",
                f"Action {n}",
                "Head of Service, Children in Need",
                "12/01/2026" if n % 3 else "20/03/2026",
                "30/09/2026",
                "",
                "In progress",
                "Amber",
                f"February on {n}",
                f"April on {n}",
            ]
        )
    return rows


def test_the_register_as_at_costs_the_same_for_5_or_60_imported_actions(
    client_as_board, manager
):
    plans = []
    factories.OwnerFactory(name="Head of Service, Children in Need")
    for count in (5, 60):
        with travel(at(2026, 1, 5)):
            plan = factories.PlanFactory(start_date=datetime.date(2025, 9, 1))
        _import(plan, manager, _tracker(count))
        plans.append((plan, count))
    counts = []
    with travel(at(2026, 7, 1)):
        client_as_board.get(AS_AT, {"plan": plans[0][0].pk, "as_at": "2026-03-15"})
        for plan, count in plans:
            cache.clear()  # the page built, not the page kept
            with CaptureQueriesContext(connection) as queries:
                response = client_as_board.get(
                    AS_AT, {"plan": plan.pk, "as_at": "2026-03-15"}
                )
            stated = response.context["stated"]
            assert len(stated.actions) + stated.left_out == count
            assert all(a.update_date for a in stated.actions)
            counts.append(len(queries.captured_queries))
    # Pinned: the register's own queries and the import's note, then two
    # more: the actions the import created and the progress updates it added.
    assert counts == [12, 12]
