"""History pages: a detail page shows the latest changes, the history page all.

Every detail page with a history shows the latest 10 changes and links to
``<object url>history/``, which lists every change 25 to a page, refused
exactly as the detail page is, at a cost that does not grow with the history.
"""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    MonitoringVisitFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ThemeFactory,
)
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db


@dataclass
class Kind:
    """A kind of record with a history page, and how to give it history."""

    name: str
    detail: str
    history: str
    field: str
    make: object
    child: object = None  # adds a record whose history the page also shows
    child_text: str = ""  # how the history page names that record's change

    def changes(self, obj, start, stop):
        """Change ``field`` to "Value <n>" for n in ``range(start, stop)``."""
        for n in range(start, stop):
            setattr(obj, self.field, f"Value {n}")
            obj.save()


def _link_action(finding):
    ActionFactory().findings.add(finding)


def _add_priority(plan):
    PriorityFactory(plan=plan, title="Early help workstream")


KINDS = [
    Kind(
        "action",
        "improvement:action_detail",
        "improvement:action_history",
        "title",
        ActionFactory,
        child=lambda action: ProgressUpdateFactory(action=action),
        child_text="Progress update, 1 February 2026",
    ),
    Kind(
        "plan",
        "improvement:plan_detail",
        "improvement:plan_history",
        "name",
        PlanFactory,
        child=_add_priority,
        child_text="Early help workstream",
    ),
    Kind(
        "priority",
        "improvement:priority_detail",
        "improvement:priority_history",
        "title",
        PriorityFactory,
    ),
    Kind(
        "owner",
        "improvement:owner_detail",
        "improvement:owner_history",
        "job_title",
        OwnerFactory,
    ),
    Kind(
        "finding",
        "findings:finding_detail",
        "findings:finding_history",
        "title",
        FindingFactory,
        child=_link_action,
        child_text="Actions",
    ),
    Kind(
        "theme",
        "findings:theme_detail",
        "findings:theme_history",
        "name",
        ThemeFactory,
    ),
    Kind(
        "inspection",
        "visits:inspection_detail",
        "visits:inspection_history",
        "title",
        InspectionFactory,
        child=lambda inspection: JudgementFactory(
            inspection=inspection, area="Leadership"
        ),
        child_text="Judgement: Leadership",
    ),
    Kind(
        "monitoringvisit",
        "visits:monitoringvisit_detail",
        "visits:monitoringvisit_history",
        "areas_covered",
        MonitoringVisitFactory,
    ),
]
BY_NAME = {kind.name: kind for kind in KINDS}


@pytest.fixture(params=[kind.name for kind in KINDS])
def kind(request):
    return BY_NAME[request.param]


def _record(kind):
    """A record of ``kind``, with its child record if the page shows one."""
    obj = kind.make()
    if kind.child:
        kind.child(obj)
    return obj


def _urls(kind, obj):
    return reverse(kind.detail, args=[obj.pk]), reverse(kind.history, args=[obj.pk])


def _field_changes(entries):
    """(old, new) of each change to "Value <n>", in page order."""
    return [
        (change.old, change.new)
        for entry in entries
        for change in entry.changes
        if change.new.startswith("Value ")
    ]


# The detail page ------------------------------------------------------------


def test_detail_page_shows_the_latest_ten_and_links_to_all(client_as_manager, kind):
    obj = _record(kind)
    kind.changes(obj, 1, 16)
    detail, history = _urls(kind, obj)
    response = client_as_manager.get(detail)
    assert response.status_code == 200
    timeline = response.context["timeline"]
    assert len(timeline) == 10
    assert _field_changes(timeline)[:2] == [
        ("Value 14", "Value 15"),
        ("Value 13", "Value 14"),
    ]
    assert _field_changes(timeline)[-1] == ("Value 5", "Value 6")
    total = response.context["history"].total
    history_page = client_as_manager.get(history)
    assert total == history_page.context["page_obj"].paginator.count
    assert total >= 16
    assert f'href="{history}"' in response.content.decode()
    assert f"See all {total} changes" in response.content.decode()


def test_a_short_history_is_shown_whole_with_the_link(client_as_manager, kind):
    obj = _record(kind)
    detail, history = _urls(kind, obj)
    response = client_as_manager.get(detail)
    assert len(response.context["timeline"]) == response.context["history"].total
    assert f'href="{history}"' in response.content.decode()
    # The history page leads back to the record's page.
    assert f'href="{detail}"' in client_as_manager.get(history).content.decode()


# The history page -----------------------------------------------------------


def test_history_page_lists_every_change_25_to_a_page(client_as_manager, kind):
    obj = _record(kind)
    kind.changes(obj, 1, 61)
    _, history = _urls(kind, obj)

    first = client_as_manager.get(history)
    assert first.status_code == 200
    page = first.context["page_obj"]
    assert len(page.object_list) == 25
    assert page.paginator.num_pages == 3
    assert _field_changes(page.object_list)[0] == ("Value 59", "Value 60")
    assert _field_changes(page.object_list)[-1] == ("Value 35", "Value 36")

    # Page 2 holds the older rows; its oldest row is still described from the
    # row before it, which is on page 3.
    second = client_as_manager.get(history, {"page": 2})
    changes = _field_changes(second.context["page_obj"].object_list)
    assert changes[0] == ("Value 34", "Value 35")
    assert changes[-1] == ("Value 10", "Value 11")
    assert len(changes) == 25

    last = client_as_manager.get(history, {"page": 3})
    entries = last.context["page_obj"].object_list
    assert _field_changes(entries)[-1][1] == "Value 1"
    assert entries[-1].kind == "created"
    body = second.content.decode()
    assert 'class="govuk-pagination"' in body
    assert 'href="?page=3"' in body


@pytest.mark.parametrize(
    "name", [kind.name for kind in KINDS if kind.child is not None]
)
def test_history_page_keeps_the_changes_of_records_it_shows_today(
    client_as_manager, name
):
    """An action's updates, a plan's priorities, a finding's links, an
    inspection's judgements: the history page lists them as the detail did."""
    kind = BY_NAME[name]
    obj = _record(kind)
    _, history = _urls(kind, obj)
    response = client_as_manager.get(history)
    assert kind.child_text in response.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "x", str(10**30), "", "2.5"])
def test_a_bad_page_number_is_never_a_server_error(client_as_manager, kind, page):
    obj = _record(kind)
    kind.changes(obj, 1, 30)
    _, history = _urls(kind, obj)
    assert client_as_manager.get(history, {"page": page}).status_code in (200, 404)


# Who may see it ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "manager", "board"])
def test_each_role_is_answered_as_on_the_detail_page(request, kind, role):
    client = request.getfixturevalue(f"client_as_{role}")
    detail, history = _urls(kind, _record(kind))
    expected = client.get(detail).status_code
    assert expected == 200
    assert client.get(history).status_code == expected


def test_a_sign_in_with_no_role_is_refused(client, no_group_user, kind):
    sign_in_as(client, no_group_user)
    detail, history = _urls(kind, _record(kind))
    assert client.get(detail).status_code == 403
    assert client.get(history).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, kind):
    _, history = _urls(kind, _record(kind))
    response = client.get(history)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_record_that_does_not_exist_is_not_found(client_as_manager, kind):
    obj = _record(kind)
    missing = type(obj).objects.order_by("-pk").first().pk + 1
    for name in (kind.detail, kind.history):
        url = reverse(name, args=[missing])
        assert client_as_manager.get(url).status_code == 404, name


def test_the_history_page_refuses_posts(client_as_manager, kind):
    _, history = _urls(kind, _record(kind))
    assert client_as_manager.post(history, {}).status_code == 405


# Cost -------------------------------------------------------------------------


def _queries_for(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_history(client_as_manager, kind):
    """Guards against loading the whole history: 5 changes or 60, the detail
    page and each history page issue the same queries."""
    obj = _record(kind)
    kind.changes(obj, 1, 6)
    detail, history = _urls(kind, obj)
    few = (
        _queries_for(client_as_manager, detail),
        _queries_for(client_as_manager, history),
    )
    kind.changes(obj, 6, 61)
    many = (
        _queries_for(client_as_manager, detail),
        _queries_for(client_as_manager, history),
    )
    assert many == few
    assert _queries_for(client_as_manager, history, page=2) == few[1]
    assert _queries_for(client_as_manager, history, page=3) == few[1]
