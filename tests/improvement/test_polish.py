"""Small things first use tripped over (issue 8, point 11).

Empty choices say what to choose, averages are whole days, a sentence ends
with one full stop, "Lead officer" is the only name for the lead, the plan's
drop-down is not squeezed, the navigation marks the page you are on.
Removing links and strengths are tested with the link pages.
"""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from improvement.board.drift import SlipFigures
from tests.factories import ActionFactory, FindingFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def _active_navigation(response):
    active = _soup(response).select(".govuk-service-navigation__item--active")
    return [" ".join(item.get_text().split()) for item in active]


def test_my_actions_is_the_section_shown_on_my_actions(client_as_officer):
    response = client_as_officer.get(reverse("improvement:my_actions"))
    assert _active_navigation(response) == ["My actions"]


def test_without_my_actions_in_the_navigation_actions_is_not_marked(client_as_board):
    """A board member has no "My actions" link: the register is not that page."""
    response = client_as_board.get(reverse("improvement:my_actions"))
    assert _active_navigation(response) == []
    response = client_as_board.get(reverse("improvement:action_list"))
    assert _active_navigation(response) == ["Actions"]


def test_empty_choices_say_what_to_choose(client_as_manager):
    response = client_as_manager.get(reverse("improvement:action_create"))
    text = response.content.decode()
    assert "---------" not in text
    options = [o.get_text() for o in _soup(response).select("select option[value='']")]
    assert "Select the lead officer" in options


def test_average_slip_is_in_whole_days():
    figures = SlipFigures(label="Plan", slipped=2, days=241)
    assert figures.average_days == 121  # 120.5, rounded half up
    assert SlipFigures(label="Plan").average_days is None


def test_the_drift_page_gives_the_average_in_days(client_as_board):
    plan = PlanFactory()
    action = ActionFactory(plan__start_date=datetime.date(2026, 1, 1))
    action.plan = plan
    action.priority.plan = plan
    action.priority.save()
    action.save()
    action.due_date = action.original_due_date + datetime.timedelta(days=120)
    action._change_reason = "Recruitment took longer"
    action.save()
    response = client_as_board.get(reverse("improvement:drift"), {"plan": plan.pk})
    text = " ".join(_soup(response).get_text(" ").split())
    assert "Average slip per slipped action 120 days" in text
    assert "120.0" not in text


def test_a_title_ending_in_a_full_stop_gets_no_second_one(client_as_manager):
    finding = FindingFactory(reference="PR-5", title="Record the plan on file.")
    response = client_as_manager.get(
        reverse("improvement:action_create"), {"finding": finding.pk}
    )
    inset = " ".join(_soup(response).select_one(".govuk-inset-text").get_text().split())
    assert inset == "This action will answer finding PR-5: Record the plan on file."


def test_the_lead_is_always_the_lead_officer(client_as_manager):
    action = ActionFactory()
    pages = [
        reverse("improvement:action_list"),
        action.get_absolute_url(),
        reverse("improvement:action_edit", args=[action.pk]),
        reverse("improvement:action_create"),
        reverse("improvement:priority_create"),
        reverse("improvement:drift"),
    ]
    for url in pages:
        text = client_as_manager.get(url).content.decode()
        assert not re.search(r"[Ll]ead owner", text), url
    assert "Lead officer" in client_as_manager.get(action.get_absolute_url()).text


@pytest.mark.parametrize(
    "page", ["improvement:golden_thread", "improvement:drift", "improvement:board_pack"]
)
def test_the_plan_drop_down_has_a_row_of_its_own(client_as_board, page):
    PlanFactory(name="Children's services improvement plan 2025 to 2027, phase two")
    PlanFactory(name="SEND written statement of action")
    response = client_as_board.get(reverse(page))
    select = _soup(response).find("select", attrs={"name": "plan"})
    column = select.find_parent(class_=re.compile("govuk-grid-column"))
    assert "govuk-grid-column-full" in column["class"]
