"""The actions register, My actions, the action page and the update form."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from improvement.plan.models import Action, ProgressUpdate
from tests.factories import (
    ActionFactory,
    FindingFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ThemeFactory,
)
from tests.form_data import form_data
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db


def _update_data(action, **overrides):
    data = {
        "version": action.version,
        "narrative": "",
        "evidence_url": "",
        "status": action.status,
        "status_reason": action.status_reason,
        "rag": action.rag,
        "impact": action.impact,
        "impact_evidence": action.impact_evidence,
        "due_date_0": action.due_date.day,
        "due_date_1": action.due_date.month,
        "due_date_2": action.due_date.year,
        "due_date_reason": "",
    }
    data.update(overrides)
    return data


def _codes(client, url):
    return client.get(url).status_code


# The register -----------------------------------------------------------


def test_register_lists_actions_with_status_and_rag(client_as_board):
    ActionFactory(title="Reduce caseloads", status=Action.Status.IN_PROGRESS)
    response = client_as_board.get(reverse("improvement:action_list"))
    assert response.status_code == 200
    assert "Reduce caseloads" in response.text
    assert "In progress" in response.text


@pytest.mark.parametrize(
    "param, make_match, make_other",
    [
        ("q=caseload", {"title": "Reduce caseloads"}, {"title": "Audit files"}),
        ("status=paused", {"status": "paused", "status_reason": "x"}, {}),
        ("rag=red", {"rag": "red"}, {"rag": "green"}),
    ],
)
def test_register_filters_by_field(client_as_board, param, make_match, make_other):
    match = ActionFactory(**make_match)
    other = ActionFactory(**make_other)
    response = client_as_board.get(reverse("improvement:action_list") + "?" + param)
    assert list(response.context["object_list"]) == [match]
    assert other.title not in response.text


def test_register_filters_by_plan_priority_owner_finding_and_theme(client_as_board):
    plan = PlanFactory()
    priority = PriorityFactory(plan=plan)
    owner = OwnerFactory()
    theme = ThemeFactory(name="Supervision")
    finding = FindingFactory()
    finding.themes.add(theme)
    match = ActionFactory(priority=priority, lead_owner=owner)
    match.findings.add(finding)
    ActionFactory()
    url = reverse("improvement:action_list")
    for param in [
        f"plan={plan.pk}",
        f"priority={priority.pk}",
        f"lead_owner={owner.pk}",
        f"finding={finding.pk}",
        f"theme={theme.pk}",
    ]:
        response = client_as_board.get(f"{url}?{param}")
        assert list(response.context["object_list"]) == [match], param


def test_register_finds_actions_by_the_findings_they_answer_without_listing_them(
    client_as_board,
):
    supervision = FindingFactory(reference="R9", title="Supervision is not regular")
    plans = FindingFactory(reference="R10", title="Plans lack timescales")
    others = [
        FindingFactory(reference=f"U{n}", title=f"Unrelated finding {n}")
        for n in range(30)
    ]
    answers_supervision = ActionFactory(title="Monthly supervision audit")
    answers_supervision.findings.add(supervision)
    answers_plans = ActionFactory(title="Care plan template")
    answers_plans.findings.add(plans)
    ActionFactory().findings.add(others[0])
    url = reverse("improvement:action_list")

    page = client_as_board.get(url).content.decode()
    # A bounded page: no finding is offered as an option, whatever their number.
    assert "Unrelated finding" not in page
    assert 'name="finding_q"' in page

    for search, expected in [
        ("supervision", [answers_supervision]),
        ("R1", [answers_plans]),  # R10's reference holds "R1"
        ("timescales", [answers_plans]),
    ]:
        response = client_as_board.get(url, {"finding_q": search})
        assert list(response.context["object_list"]) == expected, search

    chosen = client_as_board.get(
        url, {"finding": supervision.pk, "status": "in_progress"}
    )
    text = chosen.content.decode()
    assert "Showing the actions that answer finding" in text
    assert "R9: Supervision is not regular" in text
    # "Any finding" keeps the other filters.
    assert f'href="{url}?status=in_progress"' in text


def test_register_filters_overdue_slipped_stale_and_due_dates(client_as_board):
    today = timezone.localdate()  # the London date, as the application uses
    overdue = ActionFactory(
        start_date=today - datetime.timedelta(days=100),
        original_due_date=today - datetime.timedelta(days=3),
        due_date=today - datetime.timedelta(days=3),
    )
    later = ActionFactory(
        start_date=today, original_due_date=today + datetime.timedelta(days=60)
    )
    later.due_date = today + datetime.timedelta(days=90)
    later._change_reason = "Waiting for recruitment"
    later.save()
    ProgressUpdateFactory(action=later, update_date=today)
    url = reverse("improvement:action_list")

    def listed(query):
        return list(client_as_board.get(f"{url}?{query}").context["object_list"])

    assert listed("overdue=on") == [overdue]
    assert listed("slipped=on") == [later]
    assert listed(f"due_after={today.isoformat()}") == [later]
    assert listed(f"due_before={today.isoformat()}") == [overdue]
    # Nothing is stale: the overdue one is new (added today).
    assert listed("stale=on") == []


def test_register_sorts_and_keeps_filters_in_pagination_links(client_as_board):
    for n in range(30):
        ActionFactory(title=f"Action {n:02}", rag="red")
    url = reverse("improvement:action_list") + "?rag=red&sort=-title"
    response = client_as_board.get(url)
    titles = [a.title for a in response.context["object_list"]]
    assert titles[0] == "Action 29"
    assert len(titles) == 25
    assert "rag=red&amp;sort=-title&amp;page=2" in response.text


def test_register_bad_filter_input_is_not_an_error(client_as_board):
    url = reverse("improvement:action_list")
    response = client_as_board.get(f"{url}?due_after=31-02-2026&plan=abc&page=xyz")
    assert response.status_code == 200
    assert "The first due date must be a real date" in response.text


def test_board_sees_no_add_button(client_as_board, client):
    response = client_as_board.get(reverse("improvement:action_list"))
    assert "Add an action" not in response.text


# My actions ---------------------------------------------------------------


def test_my_actions_lists_led_and_supported_soonest_first(client_as_officer, officer):
    late = ActionFactory(
        lead_owner=officer.owner, original_due_date=datetime.date(2026, 9, 1)
    )
    soon = ActionFactory(original_due_date=datetime.date(2026, 7, 1))
    soon.supporting_owners.add(officer.owner)
    ActionFactory(title="Someone else's")
    response = client_as_officer.get(reverse("improvement:my_actions"))
    assert response.context["open_actions"] == [soon, late]
    assert "Someone else's" not in response.text


def test_officer_lands_on_my_actions(client_as_officer):
    response = client_as_officer.get(reverse("home"))
    assert response.url == reverse("improvement:my_actions")


# The action page ------------------------------------------------------------


def test_action_page_shows_details_findings_updates_and_history(
    client_as_board, manager
):
    action = ActionFactory(title="Refresh the QA framework")
    finding = FindingFactory(reference="R4", title="Quality assurance is weak")
    action.findings.add(finding)
    ProgressUpdateFactory(action=action, narrative="Framework drafted")
    action.status = Action.Status.IN_PROGRESS
    action._history_user = manager
    action.save()
    response = client_as_board.get(action.get_absolute_url())
    text = response.text
    assert "Refresh the QA framework" in text
    assert "R4: Quality assurance is weak" in text
    assert "Framework drafted" in text
    assert "Not started" in text and "In progress" in text
    assert manager.get_full_name() in text
    assert "Update progress" not in text


def test_orphan_action_is_flagged(client_as_board):
    action = ActionFactory()
    response = client_as_board.get(action.get_absolute_url())
    assert "This action answers no finding" in response.text


def test_unknown_action_is_404(client_as_board):
    assert _codes(client_as_board, "/actions/999999/") == 404


# Updating an action ---------------------------------------------------------


def test_officer_records_progress_status_rag_and_due_date(client_as_officer, officer):
    action = ActionFactory(lead_owner=officer.owner)
    url = reverse("improvement:action_progress", args=[action.pk])
    response = client_as_officer.post(
        url,
        _update_data(
            action,
            narrative="First audit done; 12 of 40 files good.",
            status="in_progress",
            rag="amber",
            due_date_0="30",
            due_date_1="9",
            due_date_2="2026",
            due_date_reason="Audit team short-staffed over summer",
        ),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert action.rag == "amber"
    assert action.due_date == datetime.date(2026, 9, 30)
    assert action.original_due_date == datetime.date(2026, 6, 30)
    update = action.progress_updates.get()
    assert update.author == officer
    assert (update.status, update.rag) == ("in_progress", "amber")
    latest = action.history.first()
    assert latest.history_user == officer
    assert latest.history_change_reason == "Audit team short-staffed over summer"
    page = client_as_officer.get(action.get_absolute_url()).text
    assert "Audit team short-staffed over summer" in page
    assert "30 June 2026" in page and "30 September 2026" in page


def test_moving_due_date_without_reason_is_refused(client_as_officer, officer):
    action = ActionFactory(lead_owner=officer.owner)
    url = reverse("improvement:action_progress", args=[action.pk])
    response = client_as_officer.post(url, _update_data(action, due_date_0="1"))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "<title>Error:" in response.text
    assert "Give a reason for moving the due date" in response.text
    action.refresh_from_db()
    assert action.due_date == datetime.date(2026, 6, 30)
    assert action.history.count() == 1


@pytest.mark.parametrize(
    "overrides, field_message",
    [
        ({"status": "withdrawn"}, "Give a reason for pausing or withdrawing"),
        ({"status": "paused"}, "Give a reason for pausing or withdrawing"),
        ({"impact": "embedded"}, "Describe the evidence when impact is evidenced"),
        ({"due_date_0": "31", "due_date_1": "2"}, "Due date must be a real date"),
        ({"due_date_0": "", "due_date_1": "", "due_date_2": ""}, "Enter the due date"),
        ({"due_date_2": "26"}, "Year must include 4 numbers"),
        ({"due_date_1": ""}, "Due date must include a month"),
        (
            {
                "due_date_0": "1",
                "due_date_1": "1",
                "due_date_2": "2025",
                "due_date_reason": "x",
            },
            "The due date must be on or after the start date",
        ),
        ({"status": "finished"}, "Select the delivery status from the list"),
        (
            {"narrative": "x" * 6839},
            "Progress since the last update must be 5,000 characters or fewer",
        ),
        (
            {"evidence_url": "not a link"},
            "Enter a link to the evidence in the correct format, like https://",
        ),
        ({}, "Write a progress update or change something"),
        ({"version": "abc", "narrative": "x"}, "This page is out of date"),
    ],
)
def test_bad_update_input_is_refused_beside_the_field(
    client_as_officer, officer, overrides, field_message
):
    action = ActionFactory(lead_owner=officer.owner)
    url = reverse("improvement:action_progress", args=[action.pk])
    response = client_as_officer.post(url, _update_data(action, **overrides))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert field_message in response.text
    assert action.history.count() == 1
    assert not ProgressUpdate.objects.exists()


def test_officer_cannot_update_someone_elses_action(client_as_officer):
    action = ActionFactory()
    url = reverse("improvement:action_progress", args=[action.pk])
    assert client_as_officer.get(url).status_code == 403
    response = client_as_officer.post(url, _update_data(action, rag="red"))
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.rag == ""  # not assessed, as it was


def test_board_member_cannot_update(client_as_board):
    action = ActionFactory()
    url = reverse("improvement:action_progress", args=[action.pk])
    assert client_as_board.get(url).status_code == 403
    assert client_as_board.post(url, _update_data(action, rag="red")).status_code == 403


def test_manager_may_update_any_action(client_as_manager, manager):
    action = ActionFactory()
    url = reverse("improvement:action_progress", args=[action.pk])
    response = client_as_manager.post(url, _update_data(action, rag="red"))
    assert response.status_code == 302
    assert action.history.first().history_user == manager


def test_withdrawing_keeps_the_reason(client_as_manager):
    action = ActionFactory()
    url = reverse("improvement:action_progress", args=[action.pk])
    client_as_manager.post(
        url,
        _update_data(
            action, status="withdrawn", status_reason="Merged into action 2.4"
        ),
    )
    action.refresh_from_db()
    assert action.status == "withdrawn"
    assert action.status_reason == "Merged into action 2.4"
    assert action.history.first().history_change_reason == "Merged into action 2.4"


# No lost updates --------------------------------------------------------------


def test_second_save_over_a_newer_change_is_refused_and_input_kept(
    client, officer, manager
):
    action = ActionFactory(lead_owner=officer.owner)
    url = reverse("improvement:action_progress", args=[action.pk])
    # The officer opens the form first.
    sign_in_as(client, officer)
    opened = client.get(url)
    # The manager saves in the meantime.
    sign_in_as(client, manager)
    client.post(url, _update_data(action, rag="red", narrative="Manager's view"))
    # The officer saves second.
    sign_in_as(client, officer)
    typed = form_data(opened, rag="amber", narrative="Officer's update")
    response = client.post(url, typed)
    assert response.status_code == 409
    text = response.text
    assert "Someone else changed this while you were editing" in text
    assert manager.get_full_name() in text
    assert "Green" in text and "Red" in text
    assert "Officer&#x27;s update" in text  # what they typed is still there
    action.refresh_from_db()
    assert action.rag == "red"
    assert action.progress_updates.count() == 1
    # Both changed the RAG: saving again needs a choice between the two.
    retry = form_data(response)
    assert retry["rag"] == "amber" and "Officer" in retry["narrative"]
    refused = client.post(url, retry)
    assert refused.status_code == 200
    assert "Choose which RAG to keep" in refused.text
    action.refresh_from_db()
    assert action.rag == "red"
    # Choosing their own value applies it, now knowingly over the manager's.
    assert client.post(url, dict(retry, keep_rag="mine")).status_code == 302
    action.refresh_from_db()
    assert action.rag == "amber"
    assert action.progress_updates.count() == 2


def test_manager_edit_form_also_refuses_a_stale_save(client_as_manager, manager):
    action = ActionFactory(title="Old title")
    url = reverse("improvement:action_edit", args=[action.pk])
    form = client_as_manager.get(url).context["form"]
    data = {
        "version": action.version,
        "priority": action.priority_id,
        "reference": action.reference,
        "title": "My title",
        "lead_owner": action.lead_owner_id,
        "original_due_date_0": "30",
        "original_due_date_1": "6",
        "original_due_date_2": "2026",
    }
    assert form.initial["version"] == action.version
    action.title = "Their title"
    action.save()
    response = client_as_manager.post(url, data)
    assert response.status_code == 409
    action.refresh_from_db()
    assert action.title == "Their title"


# Linking findings -------------------------------------------------------------


def test_officer_links_and_unlinks_a_finding_on_their_action(
    client_as_officer, officer
):
    action = ActionFactory(lead_owner=officer.owner)
    finding = FindingFactory(reference="R7", title="Supervision is irregular")
    url = reverse("improvement:action_findings", args=[action.pk])
    search = client_as_officer.get(url + "?q=supervision")
    assert "R7: Supervision is irregular" in search.text
    response = client_as_officer.post(url, {"add": [finding.pk]})
    assert response.status_code == 302
    assert list(action.findings.all()) == [finding]
    asked = client_as_officer.get(url, {"remove": finding.pk})
    assert "Stop action" in asked.text and "answering finding R7?" in asked.text
    client_as_officer.post(url, {"remove": finding.pk})
    assert action.findings.exists(), "nothing changes until it is confirmed"
    client_as_officer.post(url, {"remove": finding.pk, "confirm": "yes"})
    assert not action.findings.exists()
    rows = list(action.history.all()[:2])
    assert all(r.history_user == officer for r in rows)
    page = client_as_officer.get(action.get_absolute_url()).text
    assert "added R7: Supervision is irregular" in page
    assert "removed R7: Supervision is irregular" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"add": ["999999"]}, "Select findings from the list"),
        ({"add": ["abc"]}, "Select findings from the list"),
        ({"remove": "999999"}, "That finding is not linked to this action"),
        ({}, "Select at least one finding to add"),
    ],
)
def test_tampered_link_input_saves_nothing(client_as_officer, officer, data, message):
    action = ActionFactory(lead_owner=officer.owner)
    url = reverse("improvement:action_findings", args=[action.pk])
    response = client_as_officer.post(url, data)
    assert response.status_code == 200
    assert message in response.text
    assert action.history.count() == 1


def test_board_member_cannot_link(client_as_board):
    action = ActionFactory()
    finding = FindingFactory()
    url = reverse("improvement:action_findings", args=[action.pk])
    assert client_as_board.get(url).status_code == 200
    assert "Add selected findings" not in client_as_board.get(url).text
    assert client_as_board.post(url, {"add": [finding.pk]}).status_code == 403
    assert not action.findings.exists()


# Managers create and edit actions ---------------------------------------------


def test_manager_creates_an_action_answering_a_finding(client_as_manager, manager):
    priority = PriorityFactory()
    owner = OwnerFactory()
    finding = FindingFactory()
    url = reverse("improvement:action_create") + f"?finding={finding.pk}"
    response = client_as_manager.post(
        url,
        {
            "priority": priority.pk,
            "reference": "4.1",
            "title": "Launch the practice model",
            "lead_owner": owner.pk,
            "supporting_owners": [],
            "start_date_0": "1",
            "start_date_1": "12",
            "start_date_2": "2026",
            "original_due_date_0": "31",
            "original_due_date_1": "3",
            "original_due_date_2": "2027",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(reference="4.1")
    assert action.plan == priority.plan
    assert action.due_date == datetime.date(2027, 3, 31)
    assert list(action.findings.all()) == [finding]
    assert action.history.first().history_user == manager


def test_duplicate_reference_is_reported_beside_the_field(client_as_manager):
    existing = ActionFactory(reference="1.1")
    response = client_as_manager.post(
        reverse("improvement:action_create"),
        {
            "priority": existing.priority_id,
            "reference": "1.1",
            "title": "Duplicate",
            "lead_owner": existing.lead_owner_id,
            "original_due_date_0": "31",
            "original_due_date_1": "3",
            "original_due_date_2": "2027",
        },
    )
    assert response.status_code == 200
    assert "This plan already has an action with that reference" in response.text
    assert Action.objects.count() == 1


def test_officer_and_board_cannot_create_or_edit(client_as_officer, client_as_board):
    action = ActionFactory()
    for client in (client_as_officer, client_as_board):
        assert _codes(client, reverse("improvement:action_create")) == 403
        assert (
            _codes(client, reverse("improvement:action_edit", args=[action.pk])) == 403
        )
        assert client.post(reverse("improvement:action_create"), {}).status_code == 403


def test_strengths_are_not_offered_to_answer(client_as_officer, officer):
    action = ActionFactory(lead_owner=officer.owner)
    strength = FindingFactory(reference="S1", kind="strength", title="Good")
    finding = FindingFactory(reference="R1", title="Needs work")
    url = reverse("improvement:action_findings", args=[action.pk])
    page = client_as_officer.get(url)
    assert list(page.context["candidates"]) == [finding]
    response = client_as_officer.post(url, {"add": [strength.pk]})
    assert response.status_code == 200
    assert "Select findings from the list" in response.text
    assert not action.findings.exists()


def test_no_action_is_added_to_answer_a_strength(client_as_manager):
    strength = FindingFactory(kind="strength")
    url = reverse("improvement:action_create")
    assert client_as_manager.get(url, {"finding": strength.pk}).status_code == 404


def test_the_success_message_says_what_was_saved(client_as_officer, officer):
    action = ActionFactory(lead_owner=officer.owner, reference="2.6", rag="green")
    url = reverse("improvement:action_progress", args=[action.pk])
    response = client_as_officer.post(
        url, _update_data(action, narrative="Audit done"), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Progress update saved for action 2.6"
    ]
    action.refresh_from_db()
    response = client_as_officer.post(
        url,
        _update_data(action, status="paused", status_reason="Waiting for funding"),
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Status changed to Paused for action 2.6"
    ]
    action.refresh_from_db()
    response = client_as_officer.post(
        url,
        _update_data(action, narrative="Resumed", status="in_progress", rag="amber"),
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Progress update saved for action 2.6. Status changed to In progress "
        "and RAG changed to Amber."
    ]


def test_the_old_progress_address_sends_bookmarks_to_the_progress_page(
    client_as_officer,
):
    action = ActionFactory()
    response = client_as_officer.get(f"/actions/{action.pk}/update/")
    assert response.status_code == 301
    assert response.url == reverse("improvement:action_progress", args=[action.pk])
    assert response.url == f"/actions/{action.pk}/progress/"
