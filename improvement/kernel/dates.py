"""The dates people may type, in one place. Imports no app models.

Python's dates run from year 1 to 9999, and the pages add and take away days
from what is typed (thirty days before "until", the day after "to"), so a date
near either end would break the page. Every typed date, in a GOV.UK date input
or in a query string, must fall between ``EARLIEST`` and ``LATEST``; outside
that the person is told so beside the field.

Every date is typed in the GOV.UK date input (day, month and year boxes:
``improvement.kernel.date_fields.GovukDateField``), with the hint ``DATE_HINT``. In a
query string the input sends ``<name>_0``, ``<name>_1`` and ``<name>_2``; links the
service builds, and older bookmarks, give the date in one piece (``?as_at=2026-03-31``),
which ``parse_single`` reads.
"""

import calendar
import datetime

from django.utils import timezone

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)

#: The range as the messages give it.
RANGE_TEXT = "1 January 1900 and 31 December 2100"

#: The hint every date input gives, as the GOV.UK date input pattern does.
DATE_HINT = "For example, 27 3 2026"

#: A date in one piece, as links carry it: first as the service writes it
#: (ISO 8601), then as older pages and people wrote it.
SINGLE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d %m %Y",
    "%d %B %Y",
    "%d %b %Y",
)


#: Month names as people write them, in lower case, to their numbers:
#: “march”, “mar” and “sept” as well as “sep”.
MONTH_NUMBERS = {
    **{name.lower(): n for n, name in enumerate(calendar.month_name) if name},
    **{name.lower(): n for n, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}


def in_range(day):
    """Is ``day`` a date the service accepts?"""
    return EARLIEST <= day <= LATEST


def months_after(day, months):
    """The first day of the month ``months`` after ``day``'s (before it when
    ``months`` is negative): ``months_after(date(2025, 11, 20), 3)`` is
    1 February 2026."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def end_of_day(day):
    """The last moment of ``day`` in the site's time zone (Europe/London)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def hint(extra=""):
    """``DATE_HINT``, followed by ``extra`` (“Leave blank for today.”)."""
    return f"{DATE_HINT}. {extra}".strip() if extra else DATE_HINT


def parse_single(text):
    """The date written in one piece in ``text`` (``2026-03-31``), or None.

    Any year Python knows is returned, so that the field can say the date is
    out of range rather than not a date.
    """
    text = " ".join(str(text or "").split())
    for pattern in SINGLE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


# Showing dates the GOV.UK way (also the filters of ``{% load govuk %}``).


def _local(value):
    """Aware datetimes in the current time zone (Europe/London); others as given."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def govuk_date(value):
    """A date the GOV.UK way: "22 November 2026". Empty for None.

    Accepts a date or a datetime; an aware datetime is shown as the date in
    Europe/London, so 23:30 UTC on a summer evening is the next day.
    """
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.date):
        return value
    day = _local(value)
    # Written out rather than through Django's date format (the board's pages
    # show hundreds of dates); the service is in English, as the month names
    # the date inputs read are (``calendar.month_name``).
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _govuk_time(value):
    """A time the GOV.UK way: "9am", "2:05pm", "midday", "midnight"."""
    if value.minute == 0:
        if value.hour == 0:
            return "midnight"
        if value.hour == 12:
            return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute == 0:
        return f"{hour}{suffix}"
    return f"{hour}:{value.minute:02d}{suffix}"


def govuk_datetime(value):
    """A date and time the GOV.UK way: "22 November 2026 at 2:05pm".

    Aware datetimes are shown in Europe/London. Times on the hour drop the
    minutes ("at 9am"); 12:00 is "midday" and 00:00 is "midnight", as the
    GOV.UK style guide asks. A plain date is shown without a time.
    """
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.datetime):
        return govuk_date(value)
    value = _local(value)
    return f"{govuk_date(value)} at {_govuk_time(value)}"
