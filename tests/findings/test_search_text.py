"""Control characters in the link searches (``?q=``) are ignored, not an error.

PostgreSQL refuses a NUL byte in text, so ``?q=%00`` once raised DataError.
"""

import pytest
from django.urls import reverse

from improvement.kernel.query import search_text
from tests.factories import ActionFactory, FindingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("\x00", ""),
        (" R\x002 ", "R2"),
        ("a\tb\nc", "a b c"),
        ("1.1\x1b[0m", "1.1[0m"),
        ("Supervision", "Supervision"),
        ("é ✓ 漢字", "é ✓ 漢字"),
        ("x" * 5000, "x" * 200),
        (None, ""),
    ],
)
def test_search_text_drops_control_characters_and_keeps_the_rest(typed, searched):
    assert search_text(typed) == searched


def test_a_nul_in_the_finding_link_search_is_ignored(client_as_manager):
    finding = FindingFactory()
    ActionFactory(reference="1.2", title="Could be linked")
    url = reverse("findings:finding_actions", args=[finding.pk])
    response = client_as_manager.get(url, {"q": "\x00"})
    assert response.status_code == 200
    assert [a.reference for a in response.context["candidates"]] == ["1.2"]


def test_a_nul_in_the_action_link_search_is_ignored(client_as_officer, officer):
    action = ActionFactory(lead_owner=officer.owner)
    FindingFactory(reference="R7")
    url = reverse("improvement:action_findings", args=[action.pk])
    response = client_as_officer.get(url, {"q": "R\x007"})
    assert response.status_code == 200
    assert response.context["query"] == "R7"
    assert [f.reference for f in response.context["candidates"]] == ["R7"]
