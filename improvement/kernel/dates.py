"""The dates people may type, in one place. Imports no app models.

Python's dates run from year 1 to 9999, and the pages add and take away days
from what is typed (thirty days before "until", the day after "to"), so a date
near either end would break the page. Every typed date, in a GOV.UK date input
or in a query string, must fall between ``EARLIEST`` and ``LATEST``; outside
that the person is told so beside the field.

Every date is typed in the GOV.UK date input (day, month and year boxes:
``improvement.kernel.forms.GovukDateField``), with the hint ``DATE_HINT``. In a
query string the input sends ``<name>_0``, ``<name>_1`` and ``<name>_2``;
links the service builds, and older bookmarks, give the date in one piece
(``?as_at=2026-03-31``), which ``parse_single`` reads.
"""

import datetime

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


def in_range(day):
    """Is ``day`` a date the service accepts?"""
    return EARLIEST <= day <= LATEST


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
