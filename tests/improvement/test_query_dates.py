"""Dates at the ends of the calendar in the board pages' query strings.

The pages add and take away days from the dates they are given, so 1 January
of year 1 or 31 December 9999 once raised OverflowError. Each must be refused
with a message beside the field, or the page must fall back to its default.
"""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

EXTREMES = [
    "0001-01-01",
    "9999-12-31",
    "31/12/9999",
    "01/01/0001",
    "31 12 9999",
    "31 December 9999",
]
RANGE = "between 1 January 1900 and 31 December 2100"

# The pages that show a form: the query-string parameters that are dates.
FORM_PAGES = {
    "improvement:changes_since": ["since", "until"],
    "improvement:drift": ["since"],
    "improvement:dashboard": ["as_at"],
    "improvement:as_at": ["as_at"],
    "improvement:change_list": ["date_from", "date_to"],
    "improvement:board_pack": ["as_at", "since"],
    "improvement:action_list": ["due_after", "due_before"],
}


@pytest.fixture
def plan():
    return ActionFactory().plan


def _field_error(response, name):
    soup = BeautifulSoup(response.content, "html.parser")
    message = soup.select_one(f"#id_{name}_error")
    return message.get_text(" ", strip=True) if message else None


@pytest.mark.parametrize("value", EXTREMES)
@pytest.mark.parametrize(
    ("page", "param"),
    [(page, param) for page, params in FORM_PAGES.items() for param in params],
)
def test_an_extreme_date_is_refused_beside_the_field(
    client_as_board, plan, page, param, value
):
    response = client_as_board.get(reverse(page), {"plan": plan.pk, param: value})
    assert response.status_code == 200
    assert _field_error(response, param), (page, param, value)


@pytest.mark.parametrize(
    ("page", "param", "message"),
    [
        ("improvement:changes_since", "until", f"The end date must be {RANGE}"),
        ("improvement:changes_since", "since", f"The start date must be {RANGE}"),
        ("improvement:drift", "since", f"The date must be {RANGE}"),
        ("improvement:change_list", "date_to", f"The end date must be {RANGE}"),
    ],
)
def test_the_message_gives_the_dates_accepted(
    client_as_board, plan, page, param, message
):
    response = client_as_board.get(
        reverse(page), {"plan": plan.pk, param: "9999-12-31"}
    )
    assert _field_error(response, param) == f"Error: {message}"


def test_the_ends_of_the_range_are_accepted(client_as_board, plan):
    response = client_as_board.get(
        reverse("improvement:changes_since"),
        {"plan": plan.pk, "since": "1900-01-01", "until": "2100-12-31"},
    )
    assert response.status_code == 200
    assert _field_error(response, "since") is None
    assert _field_error(response, "until") is None


@pytest.mark.parametrize(
    ("page", "param"),
    [(page, param) for page, params in FORM_PAGES.items() for param in params],
)
def test_a_date_in_one_piece_beside_empty_boxes_is_read(
    client_as_board, plan, page, param
):
    """``?since=0&since_0=``: empty boxes do not hide the date in one piece.

    The page once took the date as given (so gave no default) but read only
    the empty boxes (so had no date), and failed. The unreadable date is now
    refused beside the field; a readable one is used.
    """
    response = client_as_board.get(
        reverse(page), {"plan": plan.pk, param: "0", f"{param}_0": ""}
    )
    assert response.status_code == 200
    assert "must be a real date" in (_field_error(response, param) or "")
    response = client_as_board.get(
        reverse(page), {"plan": plan.pk, param: "2026-03-31", f"{param}_1": " "}
    )
    assert response.status_code == 200
    assert _field_error(response, param) is None
