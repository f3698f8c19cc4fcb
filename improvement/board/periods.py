"""Days and periods the board's pages read: the first moment of a day in the
site's time zone (Europe/London; its last moment is ``kernel.dates.end_of_day``),
month ends, and the words for a date or a number of days.
"""

import datetime

from django.utils import timezone

#: How far back "what changed" and "drift" look when no date is given.
DEFAULT_PERIOD_DAYS = 30


def local_date(when):
    """The date of ``when`` in the site's time zone."""
    return timezone.localdate(when)


def month_end(day):
    """The last day of the month that ``day`` falls in."""
    first_of_next = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first_of_next - datetime.timedelta(days=1)


def month_ends(start, until):
    """The last day of each month from ``start``'s month to ``until``'s.

    The last entry is ``until`` itself when its month has not ended yet, so
    no date is in the future. Empty when ``until`` is before ``start``.
    """
    if until < start:
        return []
    ends = []
    day = month_end(start)
    while day < until:
        ends.append(day)
        day = month_end(day + datetime.timedelta(days=1))
    ends.append(until)
    return ends


def start_of_day(day):
    """The first moment of ``day`` in the site's time zone (Europe/London)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def day_window(since, until):
    """``(start, end)`` covering the whole days ``since`` to ``until``.

    ``end`` is the first moment of the day after ``until``, so the window is
    ``start <= history_date < end`` as ``changes_between`` reads it.
    """
    return start_of_day(since), start_of_day(until + datetime.timedelta(days=1))


def days_text(days):
    """ "+92 days", "−14 days" (a true minus sign), "+1 day"."""
    sign = "+" if days >= 0 else "\u2212"
    count = abs(days)
    return f"{sign}{count} day{'' if count == 1 else 's'}"
