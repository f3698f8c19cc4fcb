"""Ids in the query strings of the add pages are read safely.

``str.isdigit`` accepts "²" and other scripts' digits, which the database
lookups then refused with ValueError (a server error).
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ODD = ["\u00b2", "\u0661", "-1", "99999999999999999999", "1\x00"]


@pytest.mark.parametrize("value", ODD)
def test_an_odd_finding_id_names_no_finding(client_as_manager, value):
    url = reverse("improvement:action_create")
    assert client_as_manager.get(url, {"finding": value}).status_code == 404


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize(
    ("page", "param"),
    [
        ("improvement:action_create", "priority"),
        ("improvement:priority_create", "plan"),
    ],
)
def test_an_odd_id_chooses_nothing(client_as_manager, page, param, value):
    response = client_as_manager.get(reverse(page), {param: value})
    assert response.status_code == 200
    assert not response.context["form"].initial.get(param)
