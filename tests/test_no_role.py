"""Someone signed in whose account has no role yet.

Every page that refuses them says their account has no role, who can give
them one and which roles there are, and offers no link back to a page that
would refuse them again. People with a role who are refused something still
get the usual message and a way back to the dashboard.
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.helpers import all_urls, sign_in_as

pytestmark = pytest.mark.django_db

NO_ROLE_HEADING = "Your account does not have a role yet"
GENERIC_HEADING = "You do not have permission to do this"


def _main(response):
    return BeautifulSoup(response.content, "html.parser").find("main")


def _text(element):
    return " ".join(element.get_text().split())


def _links(element):
    return [a["href"] for a in element.find_all("a", href=True)]


def _follow_to_the_end(client, url):
    """Where a link finally lands: (status, path), following redirects."""
    response = client.get(url, follow=True)
    path = response.redirect_chain[-1][0] if response.redirect_chain else url
    return response.status_code, path


def test_signing_in_lands_on_a_page_that_explains_and_does_not_loop(
    client, no_group_user
):
    sign_in_as(client, no_group_user)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 403
    main = _main(response)
    assert _text(main.find("h1")) == NO_ROLE_HEADING
    text = _text(main)
    assert "administrator" in text
    for group in ("Officers", "Improvement managers", "Board members"):
        assert group in text
    assert no_group_user.get_username() in text
    assert GENERIC_HEADING not in response.text
    # Refused where they land, before any page of the plan is built.
    assert response.context["request"].path == reverse("home")
    # No link in the page leads back to a refusal.
    assert _links(main) == []
    assert f"<title>{NO_ROLE_HEADING}" in response.text


def test_every_refusal_explains_the_missing_role_with_no_way_round(
    client, no_group_user, objects
):
    sign_in_as(client, no_group_user)
    refused = 0
    for name, url in all_urls(objects):
        response = client.get(url)
        if response.status_code != 403:
            continue
        refused += 1
        main = _main(response)
        assert _text(main.find("h1")) == NO_ROLE_HEADING, name
        assert "An administrator can give you a role" in _text(main), name
        for href in _links(main):
            status, _ = _follow_to_the_end(client, href)
            assert status != 403, (name, href)
    # The dashboard, the board's pages and every form refuse them at least.
    assert refused > 20


def test_a_change_refused_to_someone_with_no_role_explains_it_too(
    client, no_group_user, objects
):
    sign_in_as(client, no_group_user)
    response = client.post(reverse("findings:theme_create"), {"name": "Caseloads"})
    assert response.status_code == 403
    assert NO_ROLE_HEADING in response.text


def test_the_service_navigation_offers_no_role_nothing_to_open(client, no_group_user):
    sign_in_as(client, no_group_user)
    response = client.get(reverse("improvement:dashboard"))
    soup = BeautifulSoup(response.content, "html.parser")
    navigation = soup.select_one(".govuk-service-navigation")
    assert navigation.find("nav") is None
    assert navigation.find("a") is None


def test_someone_with_a_role_refused_a_change_gets_the_usual_page(client_as_board):
    response = client_as_board.get(reverse("findings:theme_create"))
    assert response.status_code == 403
    main = _main(response)
    assert _text(main.find("h1")) == GENERIC_HEADING
    assert NO_ROLE_HEADING not in response.text
    assert reverse("home") in _links(main)
    status, path = _follow_to_the_end(client_as_board, reverse("home"))
    assert status == 200 and path == reverse("improvement:dashboard")


def test_the_dashboard_is_not_offered_on_the_dashboards_own_refusal(
    client, no_group_user
):
    """A role that may not see the dashboard is not sent back to it."""
    no_group_user.user_permissions.add(
        Permission.objects.get(codename="view_inspection")
    )
    sign_in_as(client, no_group_user)
    response = client.get(reverse("improvement:dashboard"))
    assert response.status_code == 403
    main = _main(response)
    assert _text(main.find("h1")) == GENERIC_HEADING
    assert reverse("home") not in _links(main)
