"""What a tracker's cells say, read as councils write them.

Pure functions, no database:

* ``heading_key``: a heading or a cell's words as compared (lower case,
  words only), and ``heading_date``: the month a heading such as “Update
  Jan 23” names;
* ``parse_date``, ``parse_rag``, ``parse_status`` and ``parse_impact`` read
  a cell's value, or say plainly what is wrong with it;
* ``section_priority`` recognises a row that names a priority (“Priority 2:
  Leadership”) rather than an action;
* ``split_list`` reads several values written in one cell.
"""

import calendar
import datetime
import re

from improvement.kernel.dates import MONTH_NUMBERS


def heading_key(text):
    """A heading, or a cell's words, as compared: lower case, words only
    (“Lead Officer:” → “lead officer”)."""
    return " ".join(re.sub(r"[^\w]+", " ", str(text).casefold()).split())


_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{2}|\d{4})")
_MONTH_YEAR = re.compile(r"([a-z]+)\.?[\s\-/]*(\d{2}|\d{4})")


def _year(text):
    year = int(text)
    if len(text) == 2:
        year += 2000
    return year if 1990 <= year <= 2100 else None


def _month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_date(value):
    """``(date, None)``, ``(None, None)`` for a blank, or ``(None, what is
    wrong)``.

    Reads Excel dates and text written the UK way: 31/03/2022, 31.03.22,
    31-03-2022, 2022-03-31, 31 March 2022, March 2022 and Mar-22. A month
    alone means its last day (“by March 2022”).
    """
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime.date):
        return value, None
    text = " ".join(str(value).split()).casefold()
    try:
        if match := _NUMERIC.fullmatch(text):
            day, month, year = int(match[1]), int(match[2]), _year(match[3])
        elif match := _ISO.fullmatch(text):
            year, month, day = int(match[1]), int(match[2]), int(match[3])
        elif match := _DAY_MONTH.fullmatch(text):
            day, month, year = (
                int(match[1]),
                MONTH_NUMBERS.get(match[2]),
                _year(match[3]),
            )
        elif match := _MONTH_YEAR.fullmatch(text):
            month, year = MONTH_NUMBERS.get(match[1]), _year(match[2])
            if month and year:
                return _month_end(year, month), None
            day = None
        else:
            day = month = year = None
        if day and month and year:
            return datetime.date(year, month, day), None
    except ValueError:
        return None, f"“{value}” is not a real date"
    return None, f"“{value}” is not a date; write it like 31/03/2022 or March 2022"


def heading_date(heading):
    """The month a heading such as “Update Jan 23” names, as its last day;
    None when it names none."""
    words = heading_key(heading).split()
    for index, word in enumerate(words[:-1]):
        month = MONTH_NUMBERS.get(word)
        following = words[index + 1]
        if month and following.isascii() and following.isdigit():
            year = _year(words[index + 1])
            if year:
                return _month_end(year, month)
    return None


_RAG_WORDS = {
    "red": "red",
    "r": "red",
    "amber": "amber",
    "a": "amber",
    "yellow": "amber",
    "green": "green",
    "g": "green",
    "blue": "blue",
    "b": "blue",
    "not assessed": "",
    "none": "",
}


def parse_rag(cell):
    """``(rag, None)`` from a cell's text, or its fill colour when it has no
    text; ``(None, what is wrong)`` for words that are no RAG. ``rag`` is
    "red", "amber", "green", "blue" or "" (not assessed)."""
    words = heading_key(cell.text)
    if not words:
        return cell.colour, None
    if words in _RAG_WORDS:
        return _RAG_WORDS[words], None
    first = words.split()[0]
    if first in ("red", "amber", "green", "blue"):
        return first, None
    return None, f"“{cell.text}” is not a RAG; use Red, Amber, Green or Blue"


_STATUS_WORDS = {
    "not started": "not_started",
    "not yet started": "not_started",
    "to start": "not_started",
    "planned": "not_started",
    "in progress": "in_progress",
    "started": "in_progress",
    "ongoing": "in_progress",
    "on going": "in_progress",
    "underway": "in_progress",
    "under way": "in_progress",
    "on track": "in_progress",
    "delivered": "delivered",
    "complete": "delivered",
    "completed": "delivered",
    "done": "delivered",
    "achieved": "delivered",
    "paused": "paused",
    "on hold": "paused",
    "withdrawn": "withdrawn",
    "cancelled": "withdrawn",
    "canceled": "withdrawn",
}


def parse_status(text):
    """``(status, None)``, ``("", None)`` for a blank, or ``(None, what is
    wrong)``; ``status`` is a value of ``Action.Status``."""
    words = heading_key(text)
    if not words:
        return "", None
    if words in _STATUS_WORDS:
        return _STATUS_WORDS[words], None
    return None, (
        f"“{text}” is not a delivery status; use Not started, In progress, "
        "Delivered, Paused or Withdrawn"
    )


_IMPACT_WORDS = {
    "not yet assessed": "not_assessed",
    "not assessed": "not_assessed",
    "emerging": "emerging",
    "evidenced": "evidenced",
    "embedded": "embedded",
}


def parse_impact(text):
    """``(impact, None)``, ``("", None)`` for a blank, or ``(None, what is
    wrong)``; ``impact`` is a value of ``Action.Impact``."""
    words = heading_key(text)
    if not words:
        return "", None
    if words in _IMPACT_WORDS:
        return _IMPACT_WORDS[words], None
    return None, (
        f"“{text}” is not an impact; use Not yet assessed, Emerging, Evidenced "
        "or Embedded"
    )


_SECTION = re.compile(
    r"(?:priority|workstream|work stream|theme|strand|objective)\s*(\d{1,3})\b"
    r"\s*[:.\-–—]?\s*(.*)",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"(\d{1,3})\s*[:.)\-–—]\s*(\S.*)")


def section_priority(text):
    """``(number, title)`` of a priority a heading names (“Priority 2:
    Leadership”, “2. Leadership”, “Priority 2 - Leadership” read as
    ``(2, "Leadership")``); ``(None, text)`` when it names no number."""
    text = " ".join(str(text).split())
    match = _SECTION.fullmatch(text) or _NUMBERED.fullmatch(text)
    if match:
        number = int(match[1])
        if number >= 1:
            return number, match[2].strip() or f"Priority {number}"
    return None, text


def split_list(text, *, commas=False):
    """Several values in one cell: “a; b” or one to a line, and with
    ``commas`` “R1, R4” too (owners' names may hold commas)."""
    pattern = r"[;\n,]" if commas else r"[;\n]"
    return [part.strip() for part in re.split(pattern, text or "") if part.strip()]
