"""A meeting's board papers: the pack, dashboard, what changed and drift as
at the meeting and compared with the body's previous meeting, with the
decisions and open actions arising from earlier meetings in the pack."""

import datetime
import re

import pytest
from django.urls import reverse

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
    plan = PlanFactory(name="Children's Services Improvement Plan")
    plan.start_date = datetime.date(2025, 6, 1)
    plan.save()
    ActionFactory(priority__plan=plan)
    return plan


@pytest.fixture
def meetings(plan):
    """Three Improvement Boards and a scrutiny committee in between."""
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
