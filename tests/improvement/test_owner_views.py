"""Owners: the list, the owner page, and adding and editing owners."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.kernel.history import acting_as
from improvement.plan.models import Owner
from tests.factories import ActionFactory, OwnerFactory, PriorityFactory, UserFactory
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db


def _owner_data(owner=None, **overrides):
    """The POST body of the owner form."""
    if owner is None:
        data = {
            "name": "Designated Nurse for Safeguarding",
            "job_title": "Designated nurse",
            "team": "",
            "organisation": "Northmoor Integrated Care Board",
            "email": "",
            "user": "",
            "is_active": "on",
        }
    else:
        data = {
            "name": owner.name,
            "job_title": owner.job_title,
            "team": owner.team,
            "organisation": owner.organisation,
            "email": owner.email,
            "user": owner.user_id or "",
            "version": owner.version,
        }
        if owner.is_active:
            data["is_active"] = "on"
    data.update(overrides)
    return data


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Access ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, needs_pk",
    [
        ("owner_list", False),
        ("owner_detail", True),
        ("owner_create", False),
        ("owner_edit", True),
    ],
)
def test_anonymous_redirected_to_login(client, name, needs_pk):
    owner = OwnerFactory()
    url = reverse(f"improvement:{name}", args=[owner.pk] if needs_pk else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["client_as_board", "client_as_officer"])
def test_board_and_officers_can_read_owners(request, persona):
    owner = OwnerFactory(name="Principal Social Worker")
    client = request.getfixturevalue(persona)
    listing = client.get(reverse("improvement:owner_list"))
    detail = client.get(owner.get_absolute_url())
    assert listing.status_code == 200
    assert detail.status_code == 200
    assert "Principal Social Worker" in listing.text
    assert "Add an owner" not in listing.text
    assert "Edit owner" not in detail.text


@pytest.mark.parametrize("persona", ["client_as_board", "client_as_officer"])
def test_board_and_officers_get_403_on_create_and_edit(request, persona):
    owner = OwnerFactory(name="Kept")
    client = request.getfixturevalue(persona)
    create = reverse("improvement:owner_create")
    edit = reverse("improvement:owner_edit", args=[owner.pk])
    before = Owner.objects.count()
    assert client.get(create).status_code == 403
    assert client.post(create, _owner_data()).status_code == 403
    assert client.get(edit).status_code == 403
    assert client.post(edit, _owner_data(owner, name="X")).status_code == 403
    assert Owner.objects.count() == before
    owner.refresh_from_db()
    assert owner.name == "Kept"


def test_no_group_user_gets_403_on_owners(client, no_group_user):
    owner = OwnerFactory()
    sign_in_as(client, no_group_user)
    assert client.get(reverse("improvement:owner_list")).status_code == 403
    assert client.get(owner.get_absolute_url()).status_code == 403


def test_unknown_owner_is_404(client_as_manager):
    for name in ("owner_detail", "owner_edit"):
        url = reverse(f"improvement:{name}", args=[999])
        assert client_as_manager.get(url).status_code == 404


# The list -------------------------------------------------------------------


def test_owner_list_counts_actions_led_and_supported(client_as_board):
    lead = OwnerFactory(name="Head of Service, Children in Care")
    partner = OwnerFactory(name="Police lead", organisation="Northmoor Police")
    ActionFactory.create_batch(2, lead_owner=lead)
    ActionFactory(lead_owner=partner).supporting_owners.add(lead)
    ActionFactory().supporting_owners.add(lead, partner)

    response = client_as_board.get(reverse("improvement:owner_list"))

    shown = {o.pk: o for o in response.context["object_list"]}
    assert (shown[lead.pk].led_count, shown[lead.pk].supported_count) == (2, 2)
    assert (shown[partner.pk].led_count, shown[partner.pk].supported_count) == (1, 1)
    assert "Northmoor Police" in response.text


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_owner_list_query_count_does_not_grow(client_as_board):
    """Guards against N+1 queries on the owners list."""
    url = reverse("improvement:owner_list")
    ActionFactory().supporting_owners.add(OwnerFactory())
    few = _queries_for(client_as_board, url)
    for _ in range(6):
        ActionFactory().supporting_owners.add(OwnerFactory(user=UserFactory()))
    # Pinned: a fixed extra query fails too.
    assert (few, _queries_for(client_as_board, url)) == (5, 5)


# The owner page -------------------------------------------------------------


def test_owner_page_shows_details_actions_and_history(client_as_board, manager):
    owner = OwnerFactory(
        name="Designated Nurse", organisation="Northmoor Integrated Care Board"
    )
    ActionFactory(lead_owner=owner, reference="4.1", title="Health assessments")
    ActionFactory(reference="4.2", title="Dental checks").supporting_owners.add(owner)
    ActionFactory(reference="9.9", title="Not theirs")
    PriorityFactory(lead_owner=owner, title="Health of children in care")
    with acting_as(manager):
        owner.email = "nurse@example.org"
        owner.save()

    response = client_as_board.get(owner.get_absolute_url())

    text = response.text
    assert "Northmoor Integrated Care Board" in text
    assert "Does not sign in" in text
    assert "4.1: Health assessments" in text
    assert "4.2: Dental checks" in text
    assert "Not theirs" not in text
    assert "Health of children in care" in text
    entry = response.context["timeline"][0]
    assert entry.user_name == manager.get_full_name()
    assert entry.changes[0].new == "nurse@example.org"


def test_owner_page_query_count_does_not_grow(client_as_board, manager):
    """Guards against N+1 queries on the owner page."""
    owner = OwnerFactory()
    url = owner.get_absolute_url()

    def add(n):
        ActionFactory(lead_owner=owner)
        ActionFactory().supporting_owners.add(owner)
        with acting_as(manager):
            owner.job_title = f"Job {n}"
            owner.save()

    add(1)
    add(2)
    few = _queries_for(client_as_board, url)
    for n in range(3, 8):
        add(n)
    # Pinned: a fixed extra query fails too.
    assert (few, _queries_for(client_as_board, url)) == (10, 10)


# Adding ---------------------------------------------------------------------


def test_manager_can_add_a_partner_who_does_not_sign_in(client_as_manager, manager):
    response = client_as_manager.post(
        reverse("improvement:owner_create"), _owner_data()
    )
    owner = Owner.objects.get(name="Designated Nurse for Safeguarding")
    assert response.status_code == 302
    assert response.url == owner.get_absolute_url()
    assert owner.user is None
    assert owner.is_active
    assert owner.organisation == "Northmoor Integrated Care Board"
    assert owner.history.get().history_user == manager
    assert _messages(response) == ["Owner “Designated Nurse for Safeguarding” added"]


def test_manager_can_link_an_owner_to_a_sign_in(client_as_manager):
    user = UserFactory(first_name="Amira", last_name="Hassan")
    client_as_manager.post(
        reverse("improvement:owner_create"), _owner_data(user=user.pk)
    )
    assert Owner.objects.get(user=user).name == "Designated Nurse for Safeguarding"


def test_add_form_shows_errors_and_saves_nothing(client_as_manager):
    response = client_as_manager.post(
        reverse("improvement:owner_create"),
        _owner_data(name="", email="not an email", user="99999"),
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "<title>Error:" in response.text
    assert errors["name"] == ["Enter the owner's name or role"]
    assert errors["email"] == [
        "Enter an email address in the correct format, like name@example.com"
    ]
    assert errors["user"] == ["Select a sign-in from the list"]
    assert Owner.objects.count() == 0


def test_duplicates_are_form_errors(client_as_manager, officer):
    OwnerFactory(
        name="Designated Nurse for Safeguarding",
        organisation="Northmoor Integrated Care Board",
    )
    response = client_as_manager.post(
        reverse("improvement:owner_create"), _owner_data(user=officer.pk)
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert errors["name"] == ["There is already an owner with this name"]
    assert errors["user"] == ["This sign-in is already linked to another owner"]
    assert Owner.objects.count() == 2


def test_same_name_in_another_organisation_is_allowed(client_as_manager):
    OwnerFactory(name="Designated Nurse for Safeguarding", organisation="")
    response = client_as_manager.post(
        reverse("improvement:owner_create"), _owner_data()
    )
    assert response.status_code == 302


# Editing --------------------------------------------------------------------


def test_manager_can_edit_an_owner(client_as_manager, manager):
    owner = OwnerFactory(name="Old role")
    url = reverse("improvement:owner_edit", args=[owner.pk])
    assert client_as_manager.get(url).status_code == 200

    data = _owner_data(owner, name="New role", team="Safeguarding")
    del data["is_active"]
    response = client_as_manager.post(url, data)

    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.name, owner.team, owner.is_active) == (
        "New role",
        "Safeguarding",
        False,
    )
    assert owner.history.first().history_user == manager
    assert _messages(response) == ["Owner “New role” saved"]


def test_edit_with_bad_input_saves_nothing(client_as_manager):
    owner = OwnerFactory(name="Kept")
    response = client_as_manager.post(
        reverse("improvement:owner_edit", args=[owner.pk]),
        _owner_data(owner, name="", email="@"),
    )
    assert response.status_code == 200
    assert "<title>Error:" in response.text
    owner.refresh_from_db()
    assert owner.name == "Kept"


def test_edit_conflict_is_refused_and_the_input_kept(client_as_manager):
    owner = OwnerFactory(name="Service Manager, Front Door", team="")
    opened = _owner_data(owner, team="MASH")
    other = UserFactory(first_name="Jo", last_name="Bailey")
    with acting_as(other):
        owner.job_title = "Interim service manager"
        owner.save()
    url = reverse("improvement:owner_edit", args=[owner.pk])

    response = client_as_manager.post(url, opened)

    assert response.status_code == 409
    assert "Jo Bailey" in response.text
    assert "Interim service manager" in response.text
    owner.refresh_from_db()
    assert (owner.job_title, owner.team) == ("Interim service manager", "")
    assert response.context["form"]["team"].value() == "MASH"

    again = client_as_manager.post(url, {**opened, "version": owner.version})
    assert again.status_code == 302
    owner.refresh_from_db()
    assert owner.team == "MASH"


def test_add_page_shows_no_conflict_message(client_as_manager):
    response = client_as_manager.get(reverse("improvement:owner_create"))
    assert response.status_code == 200
    assert "Someone else changed this" not in response.text
