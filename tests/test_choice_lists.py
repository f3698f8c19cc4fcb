"""Every choice list offers only what the signed-in person may see.

The registers' filters, the board pages' plan choosers, the recent-changes
filter and the finding link search all name records. A sign-in with no role
sees none of them; every role sees what its view permissions allow.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from findings.filters import FindingFilter
from findings.models import Finding
from improvement.plan.filters import ActionFilter
from improvement.plan.models import Action
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    MonitoringVisitFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
    ThemeFactory,
    UserFactory,
)
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

ROLES = ["board", "officer", "manager", "admin_user"]


@pytest.fixture
def records():
    """Records with names that appear nowhere else, one of each kind."""
    plan = PlanFactory(name="Plan Zephyr")
    PlanFactory(name="Plan Xylophone")  # two plans, so board pages offer a choice
    priority = PriorityFactory(plan=plan, title="Workstream Quokka")
    owner = OwnerFactory(name="Owner Narwhal")
    theme = ThemeFactory(name="Theme Pangolin")
    inspection = InspectionFactory(title="Inspection Okapi")
    visit = MonitoringVisitFactory(
        inspection=inspection,
        sequence=97,
        start_date=datetime.date(2031, 7, 1),
        end_date=datetime.date(2031, 7, 2),
    )
    finding = FindingFactory(inspection=inspection, title="Finding Axolotl")
    finding.themes.add(theme)
    visit_finding = FindingFactory(
        inspection=None, monitoring_visit=visit, title="Finding Wombat"
    )
    action = ActionFactory(plan=plan, priority=priority, lead_owner=owner)
    action.findings.add(finding)
    unlinked = ActionFactory(plan=plan, priority=priority, lead_owner=owner)
    return {
        "plan": plan,
        "priority": priority,
        "owner": owner,
        "theme": theme,
        "inspection": inspection,
        "visit": visit,
        "finding": finding,
        "visit_finding": visit_finding,
        "action": action,
        "unlinked": unlinked,
    }


def _choices(field):
    """The labels a select offers, without its empty choice."""
    return [label for value, label in field.choices if value != ""]


def _request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


# ---------------------------------------------------------------------------
# The filtersets narrow their choices to the request's user
# ---------------------------------------------------------------------------


def test_action_filter_offers_a_role_every_record(board, records):
    form = ActionFilter(queryset=Action.objects.all(), request=_request_for(board)).form
    assert "Plan Zephyr" in _choices(form.fields["plan"])
    assert str(records["priority"]) in _choices(form.fields["priority"])
    assert "Owner Narwhal" in _choices(form.fields["lead_owner"])
    assert str(records["finding"]) in _choices(form.fields["finding"])
    assert "Theme Pangolin" in _choices(form.fields["theme"])


def test_action_filter_offers_a_sign_in_with_no_role_nothing(no_group_user, records):
    form = ActionFilter(
        queryset=Action.objects.all(), request=_request_for(no_group_user)
    ).form
    for name in ("plan", "priority", "lead_owner", "finding", "theme"):
        assert _choices(form.fields[name]) == [], name


def test_action_filter_can_be_given_the_user_instead_of_a_request(
    no_group_user, board, records
):
    """Work done away from a request (a background export) names its user."""
    nothing = ActionFilter(queryset=Action.objects.all(), user=no_group_user).form
    assert _choices(nothing.fields["plan"]) == []
    everything = ActionFilter(queryset=Action.objects.all(), user=board).form
    assert "Plan Zephyr" in _choices(everything.fields["plan"])


def test_finding_filter_offers_a_role_every_record(officer, records):
    form = FindingFilter(
        queryset=Finding.objects.all(), request=_request_for(officer)
    ).form
    assert "Inspection Okapi" in _choices(form.fields["inspection"])
    assert str(records["visit"]) in _choices(form.fields["monitoring_visit"])
    assert "Theme Pangolin" in _choices(form.fields["theme"])


def test_finding_filter_offers_a_sign_in_with_no_role_nothing(no_group_user, records):
    form = FindingFilter(
        queryset=Finding.objects.all(), request=_request_for(no_group_user)
    ).form
    for name in ("inspection", "monitoring_visit", "theme"):
        assert _choices(form.fields[name]) == [], name


def test_a_choice_the_user_may_not_see_is_refused_not_applied(no_group_user, records):
    """Posting the id of a hidden plan does not filter by it: it is an error."""
    action_filter = ActionFilter(
        {"plan": records["plan"].pk},
        queryset=Action.objects.all(),
        request=_request_for(no_group_user),
    )
    assert "plan" in action_filter.form.errors


def _user_with(*codenames):
    user = UserFactory()
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=codenames,
            content_type__app_label__in=["improvement", "findings", "visits"],
        )
    )
    return user


def test_each_choice_list_follows_its_own_view_permission(records):
    """Someone who may see actions and plans, but not findings or owners."""
    user = _user_with("view_action", "view_plan")
    form = ActionFilter(queryset=Action.objects.all(), user=user).form
    assert "Plan Zephyr" in _choices(form.fields["plan"])
    assert _choices(form.fields["priority"]) == []
    assert _choices(form.fields["lead_owner"]) == []
    assert _choices(form.fields["finding"]) == []
    assert _choices(form.fields["theme"]) == []

    reader = _user_with("view_finding")
    form = FindingFilter(queryset=Finding.objects.all(), user=reader).form
    assert _choices(form.fields["inspection"]) == []
    assert _choices(form.fields["monitoring_visit"]) == []
    assert _choices(form.fields["theme"]) == []


def test_priorities_are_offered_only_from_plans_the_user_may_see(records):
    user = _user_with("view_action", "view_priority")
    form = ActionFilter(queryset=Action.objects.all(), user=user).form
    assert _choices(form.fields["priority"]) == []


# ---------------------------------------------------------------------------
# The pages, for each role
# ---------------------------------------------------------------------------


def _body(response):
    return response.content.decode()


def _offers(body, *names):
    return all(escape(name) in body for name in names)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_is_offered_what_it_may_see(role, request, client, records):
    sign_in_as(client, request.getfixturevalue(role))
    actions = _body(client.get(reverse("improvement:action_list")))
    assert _offers(
        actions,
        "Plan Zephyr",
        str(records["priority"]),
        "Owner Narwhal",
        "Theme Pangolin",
    )
    # Findings are searched for, not listed: the page stays small at any size.
    answering = client.get(reverse("improvement:action_list"), {"finding_q": "Axolotl"})
    assert records["action"] in answering.context["object_list"]
    findings = _body(client.get(reverse("findings:finding_list")))
    assert _offers(findings, "Inspection Okapi", str(records["visit"]))
    assert _offers(findings, "Theme Pangolin")
    for name in (
        "improvement:change_list",
        "improvement:dashboard",
        "improvement:changes_since",
        "improvement:drift",
        "improvement:golden_thread",
        "improvement:board_pack",
    ):
        body = _body(client.get(reverse(name)))
        assert _offers(body, "Plan Zephyr", "Plan Xylophone"), name
    if role == "board":
        return  # board members link nothing, so they are offered no findings
    user = request.getfixturevalue(role)
    action = (
        ActionFactory(plan=records["plan"], lead_owner=user.owner)
        if role == "officer"
        else records["unlinked"]
    )
    link_search = client.get(reverse("improvement:action_findings", args=[action.pk]))
    assert _offers(_body(link_search), "Finding Axolotl", "Finding Wombat")


def test_the_registers_refuse_a_sign_in_with_no_role_before_offering_choices(
    client, no_group_user, records
):
    sign_in_as(client, no_group_user)
    for url in (reverse("improvement:action_list"), reverse("findings:finding_list")):
        response = client.get(url)
        assert response.status_code == 403
        assert "filter_form" not in response.context


NAMES = [
    "Plan Zephyr",
    "Plan Xylophone",
    "Workstream Quokka",
    "Owner Narwhal",
    "Theme Pangolin",
    "Inspection Okapi",
    "visit 97",
    "Finding Axolotl",
    "Finding Wombat",
]


def test_a_sign_in_with_no_role_sees_no_names_on_the_registers(
    client, no_group_user, records
):
    sign_in_as(client, no_group_user)
    for url in (
        reverse("improvement:action_list"),
        reverse("findings:finding_list"),
        reverse("improvement:action_list") + f"?plan={records['plan'].pk}",
        reverse("findings:finding_list")
        + f"?inspection={records['inspection'].pk}&theme={records['theme'].pk}",
        reverse("improvement:change_list"),
        reverse("improvement:dashboard"),
    ):
        body = _body(client.get(url))
        leaked = [name for name in NAMES if escape(name) in body]
        assert leaked == [], url


def test_the_golden_thread_offers_themes_only_to_those_who_may_see_them(
    client, board, records
):
    sign_in_as(client, board)
    url = reverse("improvement:golden_thread")
    form = client.get(url).context["form"]
    assert "Theme Pangolin" in _choices(form.fields["theme"])

    sign_in_as(client, _user_with("view_action", "view_plan"))
    response = client.get(url)
    assert response.status_code == 200
    assert _choices(response.context["form"].fields["theme"]) == []
    assert "Theme Pangolin" not in _body(response)


# What the drop-downs read -------------------------------------------------


@pytest.mark.parametrize(
    "url, tables",
    [
        (
            "improvement:action_list",
            {
                "improvement_plan": "description",
                "improvement_priority": "description",
                "improvement_owner": "job_title",
                "findings_theme": "description",
            },
        ),
        (
            "findings:finding_list",
            {
                "improvement_plan": "description",
                "visits_inspection": "summary",
                "visits_monitoringvisit": "summary",
                "findings_theme": "description",
            },
        ),
    ],
)
def test_the_registers_drop_downs_read_only_what_their_options_show(
    client_as_board, records, url, tables
):
    """A register's filters list hundreds of owners, priorities and visits:
    each drop-down reads the columns its options show, not whole records."""
    with CaptureQueriesContext(connection) as captured:
        response = client_as_board.get(reverse(url))
    assert response.status_code == 200
    for table, unshown in tables.items():
        lists = [
            q["sql"]
            for q in captured
            if f'FROM "{table}"' in q["sql"].split("WHERE")[0]
        ]
        assert lists, table
        assert all(f'"{table}"."{unshown}"' not in sql for sql in lists), table
