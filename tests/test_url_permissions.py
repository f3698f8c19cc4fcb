"""Every URL, every role, every method: the server enforces who may do what.

The test walks the project's URL patterns, so a new page that is not listed
here fails until someone decides who may use it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape

from improvement.board.documents.models import Document
from improvement.board.documents.service import request_document
from tests.factories import (
    ActionFactory,
    FindingFactory,
    MonitoringVisitFactory,
    OwnerFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC = {"health", "login"}
# Pages every signed-in role may read. They accept GET and HEAD only.
READ = {
    "home",
    "improvement:action_list",
    "improvement:my_actions",
    "improvement:action_detail",
    "improvement:plan_list",
    "improvement:plan_detail",
    "improvement:priority_detail",
    "improvement:owner_list",
    "improvement:owner_detail",
    "improvement:change_list",
    "improvement:dashboard",
    "improvement:as_at",
    "improvement:trend",
    "improvement:changes_since",
    "improvement:drift",
    "improvement:golden_thread",
    "improvement:board_pack",
    "improvement:board_pack_pdf",
    "improvement:document_detail",
    "improvement:document_download",
    "improvement:action_export_csv",
    "improvement:action_export_xlsx",
    "improvement:finding_export_csv",
    "improvement:finding_export_xlsx",
    "improvement:change_export_csv",
    "improvement:change_export_xlsx",
    "improvement:change_list_csv",
    "improvement:change_list_xlsx",
    "findings:finding_list",
    "findings:finding_detail",
    "findings:theme_list",
    "findings:theme_detail",
    "visits:inspection_list",
    "visits:inspection_detail",
    "visits:monitoringvisit_detail",
}
# Everyone may read these pages; only some may post to them.
READ_AND_LINK = {"improvement:action_findings"}
# Officers on the actions they lead or support; improvement managers on any.
OFFICER_OWN = {"improvement:action_update"}
MANAGERS_ONLY = {
    "improvement:action_create",
    "improvement:action_edit",
    "improvement:plan_create",
    "improvement:plan_edit",
    "improvement:priority_create",
    "improvement:priority_edit",
    "improvement:owner_create",
    "improvement:owner_edit",
    "findings:finding_create",
    "findings:finding_update",
    "findings:finding_actions",
    "findings:theme_create",
    "findings:theme_update",
    "visits:inspection_create",
    "visits:inspection_update",
    "visits:monitoringvisit_create",
    "visits:monitoringvisit_update",
}
POST_ONLY = {"logout"}


def _named_patterns(patterns=None, namespace=None):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _named_patterns(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name, entry


ALL_NAMES = sorted({name for name, _ in _named_patterns()})


def test_every_url_is_classified():
    known = PUBLIC | READ | READ_AND_LINK | OFFICER_OWN | MANAGERS_ONLY | POST_ONLY
    assert set(ALL_NAMES) - known == set(), "decide who may use these pages"
    assert known - set(ALL_NAMES) == set(), "these pages no longer exist"


@pytest.fixture
def objects(officer):
    own = ActionFactory(lead_owner=officer.owner)
    own.findings.add(FindingFactory())
    visit = MonitoringVisitFactory()
    finding = FindingFactory(inspection=visit.inspection)
    finding.themes.add(ThemeFactory())
    # A changes download, prepared (at once, in the tests) and kept.
    document = request_document(
        officer,
        kind=Document.Kind.CHANGES,
        file_type=Document.FileType.CSV,
        plan=own.plan,
        parameters={"since": "2026-01-01", "until": "2026-01-31"},
        title="What changed",
        filename="changes.csv",
    )
    return {
        "document": document,
        "action": own,
        "plan": own.plan,
        "priority": own.priority,
        "owner": OwnerFactory(),
        "finding": finding,
        "inspection": visit.inspection,
        "monitoringvisit": visit,
        "theme": finding.themes.get(),
    }


def _url(name, pattern, objects):
    if "pk" not in pattern.pattern.converters:
        return reverse(name)
    model = name.split(":")[1].rsplit("_", 1)[0]
    return reverse(name, args=[objects[model].pk])


def _urls(objects):
    return [(name, _url(name, pattern, objects)) for name, pattern in _named_patterns()]


def test_anonymous_is_sent_to_sign_in_everywhere_but_public_pages(client, objects):
    for name, url in _urls(objects):
        response = client.get(url)
        if name in PUBLIC:
            assert response.status_code == 200, name
        elif name in POST_ONLY:
            assert response.status_code in (302, 405), name
        else:
            assert response.status_code == 302, name
            assert response.url.startswith(reverse("login")), name


def _expected_get(role, name):
    if name in READ | READ_AND_LINK | PUBLIC:
        return {302} if name == "home" else {200}
    if name in POST_ONLY:
        return {405}
    if name in OFFICER_OWN:
        return {403} if role == "board" else {200}
    if name in MANAGERS_ONLY:
        return {200} if role in ("manager", "admin") else {403}
    raise AssertionError(name)


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
    for name, url in _urls(objects):
        response = client.get(url)
        status = response.status_code
        assert status in _expected_get(role, name), (role, name, url, status)
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
    client.force_login(no_group_user)
    names = _names(objects)
    for name, url in _urls(objects):
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
    for name, url in _urls(objects):
        if name in PUBLIC | POST_ONLY:
            continue
        response = client_as_board.post(url, {})
        assert response.status_code == 403, name
        assert _kept_by_no_cache(response), name


def test_read_only_pages_refuse_posts_from_people_who_may_change(
    client_as_manager, objects
):
    for name, url in _urls(objects):
        if name in READ:
            status = client_as_manager.post(url, {}).status_code
            assert status == 405, (name, status)


def test_officers_may_not_post_to_others_actions_or_manager_pages(
    client_as_officer, objects
):
    other = ActionFactory()
    for name in OFFICER_OWN | READ_AND_LINK:
        url = reverse(name, args=[other.pk])
        assert client_as_officer.post(url, {}).status_code == 403, name
    for name, url in _urls(objects):
        if name in MANAGERS_ONLY:
            assert client_as_officer.post(url, {}).status_code == 403, name
