"""Every URL, every role, every method: the server enforces who may do what.

The test walks the project's URL patterns, so a new page that is not listed
in ``tests/helpers.py`` (``READ``, ``MANAGERS_ONLY`` and the rest) fails until
someone decides who may use it. The records the URLs name come from the
``objects`` fixture in ``tests/conftest.py``.
"""

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import (
    ActionArisingFactory,
    ActionFactory,
    MeasureFactory,
    MeasureValueFactory,
)
from tests.helpers import (
    MANAGERS_ONLY,
    OFFICER_OWN,
    OFFICERS_AND_MANAGERS,
    OWN_ACCOUNT,
    POST_ONLY,
    PUBLIC,
    READ,
    READ_AND_LINK,
    all_urls,
    expected_get,
    named_patterns,
    pattern_url,
    sign_in_as,
)

pytestmark = pytest.mark.django_db

ALL_NAMES = sorted({name for name, _ in named_patterns()})


def test_every_url_is_classified():
    known = (
        PUBLIC
        | READ
        | READ_AND_LINK
        | OFFICER_OWN
        | OFFICERS_AND_MANAGERS
        | MANAGERS_ONLY
        | POST_ONLY
        | OWN_ACCOUNT
    )
    assert set(ALL_NAMES) - known == set(), "decide who may use these pages"
    assert known - set(ALL_NAMES) == set(), "these pages no longer exist"


def test_anonymous_is_sent_to_sign_in_everywhere_but_public_pages(client, objects):
    for name, url in all_urls(objects):
        response = client.get(url)
        if name in PUBLIC:
            assert response.status_code == 200, name
        elif name in POST_ONLY:
            assert response.status_code in (302, 405), name
        else:
            assert response.status_code == 302, name
            assert response.url.startswith(reverse("login")), name


def _kept_by_no_cache(response):
    """Is the response marked so that no browser or proxy keeps a copy?"""
    directives = {
        directive.strip().lower()
        for directive in response.get("Cache-Control", "").split(",")
    }
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize("role", ["board", "officer", "manager", "admin"])
def test_each_role_gets_the_right_answer_to_every_get(role, request, objects):
    client = request.getfixturevalue(f"client_as_{role}")
    for name, url in all_urls(objects):
        response = client.get(url)
        status = response.status_code
        assert status in expected_get(role, name), (role, name, url, status)
        # Pages, exports, PDFs and refusals: a shared computer keeps none.
        assert _kept_by_no_cache(response), (role, name, response.get("Cache-Control"))


def _names(objects):
    """What each plan record is called on a page or in a choice list."""
    records = ("action", "plan", "priority", "owner", "finding", "inspection")
    names = {str(objects[kind]) for kind in (*records, "monitoringvisit", "theme")}
    names |= {objects["plan"].name, objects["priority"].title}
    names |= {objects["action"].title, objects["finding"].title}
    names |= {objects["inspection"].title, objects["owner"].name}
    names.add(objects["action"].lead_owner.name)
    return names


def test_a_sign_in_with_no_role_sees_no_names_and_keeps_no_copy(
    client, no_group_user, objects
):
    """Every page, export and refusal: no record is named, in a list or choice."""
    sign_in_as(client, no_group_user)
    names = _names(objects)
    for name, url in all_urls(objects):
        response = client.get(url)
        assert response.status_code in {200, 302, 403, 404, 405}, (name, url)
        body = response.content.decode(errors="replace")
        leaked = sorted(n for n in names if n in body or escape(n) in body)
        assert leaked == [], (name, url)
        if name != "health":
            assert _kept_by_no_cache(response), (name, response.get("Cache-Control"))


def test_the_sign_in_page_and_signing_in_keep_no_copy(client, officer):
    assert _kept_by_no_cache(client.get(reverse("login")))
    officer.set_password("a-long-test-password")
    officer.save()
    response = client.post(
        reverse("login"),
        {"username": officer.username, "password": "a-long-test-password"},
    )
    assert response.status_code == 302
    assert _kept_by_no_cache(response)
    assert _kept_by_no_cache(client.post(reverse("logout")))


def test_board_members_are_refused_every_post(client_as_board, objects):
    for name, url in all_urls(objects):
        if name in PUBLIC | POST_ONLY | OWN_ACCOUNT:
            continue
        response = client_as_board.post(url, {})
        assert response.status_code == 403, name
        assert _kept_by_no_cache(response), name


def test_read_only_pages_refuse_posts_from_people_who_may_change(
    client_as_manager, objects
):
    for name, url in all_urls(objects):
        if name in READ:
            status = client_as_manager.post(url, {}).status_code
            assert status == 405, (name, status)


def test_officers_may_not_post_to_others_actions_or_manager_pages(
    client_as_officer, objects
):
    # Records of each kind these pages name that the officer does not own.
    others = {
        "action": ActionFactory(),
        "measure": MeasureFactory(),
        "measurevalue": MeasureValueFactory(),
        "actionarising": ActionArisingFactory(),
    }
    patterns = dict(named_patterns())
    for name in OFFICER_OWN | READ_AND_LINK:
        url = pattern_url(name, patterns[name], others)
        assert client_as_officer.post(url, {}).status_code == 403, name
    for name, url in all_urls(objects):
        if name in MANAGERS_ONLY:
            assert client_as_officer.post(url, {}).status_code == 403, name
