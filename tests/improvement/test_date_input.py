"""The GOV.UK date input (day, month, year boxes) refuses any typed value clearly.

Huge numbers, digits from other scripts and years out of range once reached
``datetime.date`` and broke the page; each must get a message beside the field.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.urls import reverse

from improvement.kernel.date_fields import GovukDateField
from improvement.plan.models import Plan

HUGE = "99999999999999999999"
REAL = "Due date must be a real date"
RANGE = "Due date must be between 1 January 1900 and 31 December 2100"


def _clean(day, month, year):
    return GovukDateField(label="Due date").clean([day, month, year])


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        (HUGE, "1", "2026", REAL),
        ("1", HUGE, "2026", REAL),
        ("1", "1", HUGE, "Year must include 4 numbers"),
        ("9" * 5000, "1", "2026", REAL),
        ("1", "1", "9" * 5000, "Year must include 4 numbers"),
        ("-1", "1", "2026", REAL),
        ("\u00b2", "1", "2026", REAL),  # a superscript two is a digit to Python
        ("\u0661", "1", "2026", REAL),  # an Arabic-Indic one
        ("1", "1", "\u0662\u0660\u0662\u0666", REAL),
        ("1\x00", "1", "2026", REAL),
        ("1", "1", "0001", RANGE),
        ("31", "12", "9999", RANGE),
        ("31", "12", "1899", RANGE),
        ("1", "1", "2101", RANGE),
    ],
)
def test_hostile_parts_get_a_message(day, month, year, message):
    with pytest.raises(forms.ValidationError) as raised:
        _clean(day, month, year)
    assert raised.value.messages == [message]


@pytest.mark.parametrize(
    "parts",
    [("1", "1", "1900"), ("31", "12", "2100"), (" 07 ", "03", "2026")],
)
def test_dates_in_range_are_accepted(parts):
    day = _clean(*parts)
    assert datetime.date(1900, 1, 1) <= day <= datetime.date(2100, 12, 31)


@pytest.mark.django_db
def test_an_overflowing_day_on_a_form_is_shown_beside_the_field(client_as_manager):
    response = client_as_manager.post(
        reverse("improvement:plan_create"),
        {
            "name": "Children's services improvement plan",
            "status": Plan.Status.ACTIVE,
            "start_date_0": HUGE,
            "start_date_1": "12",
            "start_date_2": "2025",
        },
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    message = soup.select_one("#id_start_date_error").get_text(" ", strip=True)
    assert message == "Error: Start date must be a real date"
    assert soup.select_one("[name=start_date_0]")["value"] == HUGE
    assert not Plan.objects.exists()
