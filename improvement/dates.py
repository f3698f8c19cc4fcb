"""The dates people may type, in one place. Imports no app models.

Python's dates run from year 1 to 9999, and the pages add and take away days
from what is typed (thirty days before "until", the day after "to"), so a date
near either end would break the page. Every typed date, in a GOV.UK date input
or in a query string, must fall between ``EARLIEST`` and ``LATEST``; outside
that the person is told so beside the field.
"""

import datetime

from django import forms

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)

#: The range as the messages give it.
RANGE_TEXT = "1 January 1900 and 31 December 2100"


def in_range(day):
    """Is ``day`` a date the service accepts?"""
    return EARLIEST <= day <= LATEST


class TypedDateField(forms.DateField):
    """A date typed in one box or sent by a date picker (query strings too).

    Accepts the given ``input_formats``; a date outside ``EARLIEST`` to
    ``LATEST`` is refused with a message rather than passed on.
    """

    default_error_messages = {
        "out_of_range": f"Enter a date between {RANGE_TEXT}",
    }

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not in_range(day):
            raise forms.ValidationError(
                self.error_messages["out_of_range"], code="out_of_range"
            )
        return day
