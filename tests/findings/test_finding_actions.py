"""Linking existing actions to a finding, and the finding's history of links."""

import pytest
from django.urls import reverse

from findings.models import Finding
from improvement.kernel.history import acting_as
from improvement.plan.answers import link_timeline
from tests.factories import ActionFactory, FindingFactory, UserFactory

pytestmark = pytest.mark.django_db


def url_for(finding):
    return reverse("findings:finding_actions", args=[finding.pk])


def test_page_lists_linked_actions_and_candidates(client_as_manager):
    finding = FindingFactory(reference="R2")
    linked = ActionFactory(reference="1.1", title="Linked already")
    linked.findings.add(finding)
    ActionFactory(reference="1.2", title="Could be linked")
    response = client_as_manager.get(url_for(finding))
    assert response.status_code == 200
    assert list(response.context["linked"]) == [linked]
    assert [a.reference for a in response.context["candidates"]] == ["1.2"]
    assert 'Remove<span class="govuk-visually-hidden"> action 1.1' in response.text


def test_search_narrows_the_candidates(client_as_manager):
    finding = FindingFactory()
    match = ActionFactory(reference="3.4", title="Reduce caseloads")
    ActionFactory(title="Audit files")
    response = client_as_manager.get(url_for(finding) + "?q=caseload")
    assert response.context["candidates"] == [match]
    response = client_as_manager.get(url_for(finding) + "?q=3.4")
    assert response.context["candidates"] == [match]
    response = client_as_manager.get(url_for(finding) + "?q=zzz")
    assert "No actions match “zzz”" in response.text


def test_manager_links_several_actions(client_as_manager, manager):
    finding = FindingFactory(reference="R7")
    first = ActionFactory(reference="1.1")
    second = ActionFactory(reference="1.2")
    response = client_as_manager.post(
        url_for(finding), {"add": [first.pk, second.pk]}, follow=True
    )
    assert response.redirect_chain[-1][0] == url_for(finding)
    messages = [str(m) for m in response.context["messages"]]
    assert "Linked actions 1.1, 1.2 to finding R7" in messages
    assert set(finding.actions.all()) == {first, second}
    for action in (first, second):
        latest = action.history.first()
        assert latest.history_user == manager
        assert [r.finding_id for r in latest.findings.all()] == [finding.pk]


def test_manager_removes_a_link_after_confirming(client_as_manager, manager):
    finding = FindingFactory(reference="R7")
    action = ActionFactory(reference="1.1")
    action.findings.add(finding)
    # "Remove" asks first; neither asking nor a post without confirming
    # changes anything.
    asked = client_as_manager.get(url_for(finding), {"remove": action.pk})
    assert asked.status_code == 200
    assert "Stop action 1.1 answering finding R7?" in asked.text
    unconfirmed = client_as_manager.post(url_for(finding), {"remove": action.pk})
    assert unconfirmed.status_code == 200
    assert "Yes, remove the link" in unconfirmed.text
    assert finding.actions.exists()

    response = client_as_manager.post(
        url_for(finding), {"remove": action.pk, "confirm": "yes"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert (
        "Action 1.1 no longer answers finding R7. To link it again, search for "
        "1.1 below." in messages
    )
    assert not finding.actions.exists()
    assert action.history.first().history_user == manager


def test_linking_nothing_is_explained(client_as_manager):
    finding = FindingFactory()
    ActionFactory()
    response = client_as_manager.post(url_for(finding), {})
    assert response.status_code == 200
    assert "<title>Error: " in response.text
    assert "There is a problem" in response.text
    assert "Select at least one action to link" in response.text


@pytest.mark.parametrize(
    "data, message",
    [
        ({"add": ["999999"]}, "Select actions from the list"),
        ({"add": ["abc"]}, "Select actions from the list"),
        ({"remove": "999999"}, "That action does not answer this finding"),
        ({"remove": "abc"}, "That action does not answer this finding"),
    ],
)
def test_unknown_action_ids_are_form_errors(client_as_manager, data, message):
    finding = FindingFactory()
    ActionFactory()
    response = client_as_manager.post(url_for(finding), data)
    assert response.status_code == 200
    assert message in response.text
    assert not finding.actions.exists()


def test_an_action_already_linked_cannot_be_linked_twice(client_as_manager):
    finding = FindingFactory()
    action = ActionFactory()
    action.findings.add(finding)
    response = client_as_manager.post(url_for(finding), {"add": [action.pk]})
    assert response.status_code == 200
    assert "Select actions from the list" in response.text
    assert action.history.count() == 2


def test_officer_may_not_link_from_the_finding_even_their_own_action(
    client_as_officer, officer
):
    finding = FindingFactory()
    own = ActionFactory(lead_owner=officer.owner)
    assert client_as_officer.get(url_for(finding)).status_code == 403
    response = client_as_officer.post(url_for(finding), {"add": [own.pk]})
    assert response.status_code == 403
    assert not own.findings.exists()


def test_finding_page_shows_who_linked_and_unlinked_each_action(
    client_as_manager, manager
):
    manager.first_name, manager.last_name = "Morgan", "Hale"
    manager.save()
    finding = FindingFactory(reference="R5")
    action = ActionFactory(reference="2.1", title="Weekly case audits")
    client_as_manager.post(url_for(finding), {"add": [action.pk]})
    client_as_manager.post(url_for(finding), {"remove": action.pk, "confirm": "yes"})

    response = client_as_manager.get(finding.get_absolute_url())
    timeline = response.context["timeline"]
    links = [e for e in timeline if e.changes and e.changes[0].is_links]
    assert [(e.changes[0].added, e.changes[0].removed) for e in links] == [
        ([], ["Action 2.1: Weekly case audits"]),
        (["Action 2.1: Weekly case audits"], []),
    ]
    assert {e.user_name for e in links} == {"Morgan Hale"}
    text = response.text
    assert "added Action 2.1: Weekly case audits" in text
    assert "removed Action 2.1: Weekly case audits" in text
    assert "Morgan Hale" in text


def test_finding_history_ignores_the_actions_other_changes():
    finding = FindingFactory()
    other = FindingFactory()
    action = ActionFactory(reference="1.1")
    action.findings.add(finding)
    action.findings.add(other)  # another finding: not this one's history
    action.rag = "amber"
    action.save()
    colleague = UserFactory(first_name="Sam", last_name="Ray")
    with acting_as(colleague):
        action.findings.remove(finding)

    entries = link_timeline(finding)
    assert [(e.changes[0].added, e.changes[0].removed) for e in entries] == [
        ([], ["Action 1.1: " + action.title]),
        (["Action 1.1: " + action.title], []),
    ]
    assert entries[0].user_name == "Sam Ray"
    assert len(link_timeline(other)) == 1


def test_relinking_shows_a_second_link():
    finding = FindingFactory()
    action = ActionFactory()
    action.findings.add(finding)
    action.findings.remove(finding)
    finding.actions.add(action)  # from the finding's side this time

    kinds = [
        "added" if e.changes[0].added else "removed" for e in link_timeline(finding)
    ]
    assert kinds == ["added", "removed", "added"]


def test_a_strength_is_offered_no_actions(client_as_manager):
    """A strength needs no action: nothing to link, and no action to add."""
    strength = FindingFactory(reference="S1", kind=Finding.Kind.STRENGTH)
    action = ActionFactory(reference="1.1")
    page = client_as_manager.get(url_for(strength))
    assert page.context["candidates"] == []
    assert "it needs no action" in page.text
    response = client_as_manager.post(url_for(strength), {"add": [action.pk]})
    assert response.status_code == 200
    assert not action.findings.exists()
    detail = client_as_manager.get(strength.get_absolute_url())
    assert "Create a new action that answers this finding" not in detail.text
    assert "Link an existing action" not in detail.text
