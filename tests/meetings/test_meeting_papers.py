"""A meeting's board papers: the pack, dashboard, what changed and drift as
at the meeting and compared with the body's previous meeting, with the
decisions and open actions arising from earlier meetings in the pack."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from improvement.board.documents.models import Document, IssuedPack
from improvement.board.documents.service import is_current
from improvement.meetings.models import ActionArising
from tests.factories import (
    ActionArisingFactory,
    ActionFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
    PlanFactory,
)
from tests.helpers import at, travel

pytestmark = pytest.mark.django_db

DEC = datetime.date(2025, 12, 16)
JAN = datetime.date(2026, 1, 20)
FEB = datetime.date(2026, 2, 17)


@pytest.fixture
def plan():
    with travel(at(2025, 12, 1)):
        plan = PlanFactory(name="Children's Services Improvement Plan")
        plan.start_date = datetime.date(2025, 6, 1)
        plan.save()
        ActionFactory(priority__plan=plan)
    return plan


@pytest.fixture
def meetings(plan):
    """Three Improvement Boards and a scrutiny committee in between, recorded
    before the first of them."""
    with travel(at(2025, 12, 1)):
        return _meetings(plan)


def _meetings(plan):
    board = BodyFactory(name="Improvement Board")
    made = {
        date: MeetingFactory(body=board, date=date, plans=[plan])
        for date in (DEC, JAN, FEB)
    }
    made["scrutiny"] = MeetingFactory(
        body=BodyFactory(name="Children's Scrutiny Committee", is_board=False),
        date=datetime.date(2026, 1, 28),
        plans=[plan],
    )
    return made


def _links(page):
    return dict(
        re.findall(r'<li><a class="govuk-link" href="([^"]+)">([^<]+)</a></li>', page)
    )


def test_a_meeting_links_its_papers_as_at_its_date_against_the_last_meeting(
    client_as_board, meetings, plan
):
    with travel(at(2026, 3, 1)):
        page = client_as_board.get(meetings[JAN].get_absolute_url()).text
    assert "Board papers for this meeting" in page
    assert (
        "As at 20 January 2026, compared with the previous meeting on 16 December 2025"
        in page
    )
    links = {label: url.replace("&amp;", "&") for url, label in _links(page).items()}
    p = plan.pk
    assert links["Board pack"] == (
        f"/board-pack/?plan={p}&as_at=2026-01-20&since=2025-12-16"
    )
    assert links["Dashboard"] == f"/dashboard/?plan={p}&as_at=2026-01-20"
    assert links["What changed"] == (
        f"/changes-since/?plan={p}&since=2025-12-16&until=2026-01-20"
    )
    assert links["Drift and delay"] == f"/drift/?plan={p}&since=2025-12-16"
    with travel(at(2026, 3, 1)):
        for url in links.values():
            assert client_as_board.get(url).status_code == 200, url


def test_the_next_meeting_opens_its_pack_as_at_today(client_as_board, meetings, plan):
    with travel(at(2026, 2, 10)):
        page = client_as_board.get(meetings[FEB].get_absolute_url()).text
        assert (
            "As at 10 February 2026, compared with the previous meeting on "
            "20 January 2026" in page
        )
        pack_url = next(u for u, label in _links(page).items() if label == "Board pack")
        pack = client_as_board.get(pack_url.replace("&amp;", "&"))
    assert pack.status_code == 200
    assert "Headline figures on 10 February 2026" in pack.text


def test_the_pack_has_the_decisions_since_the_last_board_and_open_actions_arising(
    client_as_board, meetings, plan
):
    DecisionFactory(
        agenda_item__meeting=meetings[DEC], text="Before the period: not shown."
    )
    DecisionFactory(
        agenda_item__meeting=meetings[JAN],
        text="It was agreed that the caseload report come to every board.",
    )
    DecisionFactory(
        agenda_item__meeting=meetings["scrutiny"],
        text="The committee asked for the audit results in March.",
    )
    ActionArisingFactory(
        agenda_item__meeting=meetings[DEC],
        description="Circulate the supervision audit findings.",
        due_date=datetime.date(2026, 1, 10),
    )
    ActionArisingFactory(
        agenda_item__meeting=meetings[JAN],
        description="Already delivered, not shown.",
        status=ActionArising.Status.DELIVERED,
    )
    ActionArisingFactory(
        agenda_item__meeting=meetings[FEB], description="Set after the pack's date."
    )
    other = PlanFactory()
    ActionArisingFactory(
        agenda_item__meeting=MeetingFactory(date=JAN, plans=[other]),
        description="Another plan's meeting.",
    )
    with travel(at(2026, 2, 10)):
        page = client_as_board.get(
            reverse("improvement:board_pack"),
            {"plan": plan.pk, "as_at": "2026-02-10", "since": "2026-01-20"},
        ).text
    assert "Decisions since 20 January 2026" in page
    assert "It was agreed that the caseload report come to every board." in page
    assert "The committee asked for the audit results in March." in page
    assert "Before the period: not shown." not in page
    assert "Circulate the supervision audit findings." in page
    assert "Overdue" in page
    assert "Already delivered, not shown." not in page
    assert "Set after the pack&#x27;s date." not in page
    assert "Another plan&#x27;s meeting." not in page


def test_a_past_pack_shows_actions_arising_as_they_stood_then(
    client_as_board, manager, meetings, plan
):
    with travel(at(2026, 1, 21)):
        arising = ActionArisingFactory(
            agenda_item__meeting=meetings[JAN],
            description="Report the agency staff figures.",
            due_date=datetime.date(2026, 2, 10),
        )
    with travel(at(2026, 2, 12)):
        arising.status = ActionArising.Status.DELIVERED
        arising.save()
    query = {"plan": plan.pk, "since": "2026-01-20"}
    with travel(at(2026, 3, 1)):
        then = client_as_board.get(
            reverse("improvement:board_pack"), {**query, "as_at": "2026-02-01"}
        ).text
        now = client_as_board.get(
            reverse("improvement:board_pack"), {**query, "as_at": "2026-03-01"}
        ).text
    assert "Report the agency staff figures." in then
    assert "Report the agency staff figures." not in now


# Issuing the pack -----------------------------------------------------------


def _issue(client, meeting, plan):
    return client.post(
        reverse("improvement:meeting_issuepack", args=[meeting.pk]),
        {"plan": plan.pk},
    )


def test_a_manager_issues_the_pack_and_it_stays_as_the_board_was_given_it(
    client_as_manager, manager, meetings, plan
):
    meeting = meetings[JAN]
    with travel(at(2026, 1, 14)):
        response = _issue(client_as_manager, meeting, plan)
        assert response.status_code == 302
        issued = IssuedPack.objects.get()
        assert (issued.meeting, issued.plan, issued.issued_by) == (
            meeting,
            plan,
            manager,
        )
        document = issued.document
        assert document.kind == Document.Kind.BOARD_PACK
        assert document.parameters["as_at"] == "2026-01-14"
        assert document.parameters["since"] == "2025-12-16"
        page = client_as_manager.get(meeting.get_absolute_url()).text
        assert "Pack issued for this meeting on 14 January 2026" in page
        assert reverse("improvement:document_detail", args=[document.pk]) in page
        assert "records have changed since this pack was issued" not in page

    # A correction after the pack was issued: the issued pack is kept as it
    # was, and the meeting says a newer version exists.
    with travel(at(2026, 1, 16)):
        DecisionFactory(agenda_item__meeting=meetings[DEC], text="A late correction.")
        page = client_as_manager.get(meeting.get_absolute_url()).text
        assert "records have changed since this pack was issued" in page
        issued.refresh_from_db()
        assert issued.document == document
        assert not is_current(document)
        call_command("prune_documents", "--days", "0", stdout=StringIO())
        assert Document.objects.filter(pk=document.pk).exists()


def test_issuing_again_keeps_the_earlier_pack(client_as_manager, meetings, plan):
    meeting = meetings[JAN]
    with travel(at(2026, 1, 14)):
        _issue(client_as_manager, meeting, plan)
    with travel(at(2026, 1, 15)):
        ActionFactory(priority__plan=plan)
        _issue(client_as_manager, meeting, plan)
        page = client_as_manager.get(meeting.get_absolute_url()).text
    first, second = IssuedPack.objects.order_by("issued_at")
    assert first.document != second.document
    assert "Packs issued earlier for this meeting" in page
    assert "Issued 14 January 2026" in page


@pytest.mark.parametrize("chosen", ["", "abc", "99999999", "1\x00", "-1"])
def test_a_plan_the_meeting_does_not_review_is_refused(
    client_as_manager, meetings, chosen
):
    other = PlanFactory()
    for value in (chosen, other.pk):
        response = client_as_manager.post(
            reverse("improvement:meeting_issuepack", args=[meetings[JAN].pk]),
            {"plan": value},
            follow=True,
        )
        assert response.status_code == 200
        assert "Select a plan this meeting reviews" in response.text
    assert not IssuedPack.objects.exists()


def test_only_managers_issue_packs(client_as_board, client_as_officer, meetings, plan):
    for client in (client_as_board, client_as_officer):
        assert _issue(client, meetings[JAN], plan).status_code == 403
        page = client.get(meetings[JAN].get_absolute_url()).text
        assert "Issue the board pack" not in page
    assert not IssuedPack.objects.exists()
