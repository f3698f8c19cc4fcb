"""A period's values for many measures at once, from a CSV file.

An improvement manager uploads (or pastes) a CSV with the headings Measure,
Period, Value and, optionally, Note; other columns are ignored, so a download
of the values can be changed and uploaded again. ``check`` reads it against
one plan and says, row by row, what saving it would do (record a new value,
correct one, or leave one unchanged) and every problem, by row and column.
It writes nothing. ``save`` writes a checked upload in one go.

The checked content travels between the check and the confirmation as a
signed value (``sign`` and ``unsign``): a changed value is refused, and the
content is checked again against the database before anything is saved.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core import signing

from improvement.kernel.checked import CheckedFile, CheckedRow, name_key
from improvement.kernel.dates import MONTH_NUMBERS
from improvement.kernel.forms import MAX_TEXT
from improvement.measures.forms import number_field, recordable_periods
from improvement.measures.models import Measure, MeasureValue, period_label

#: The largest file (or pasted text) accepted, in bytes: 1 MB.
MAX_BYTES = 1024 * 1024
#: The most rows of values one upload holds.
MAX_ROWS = 2000
#: How long a checked upload may wait for its confirmation, in seconds.
CONFIRM_WITHIN = 2 * 60 * 60

#: The headings read, as written in any case, and the column each names.
HEADINGS = {
    "measure": "measure",
    "measure name": "measure",
    "period": "period",
    "value": "value",
    "note": "note",
}
REQUIRED = ("measure", "period", "value")

NEW, CORRECT, UNCHANGED = "new", "correct", "unchanged"
OUTCOME_LABELS = {
    NEW: "Record a new value",
    CORRECT: "Correct the value",
    UNCHANGED: "Unchanged",
}

_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_NAMED_MONTH = re.compile(r"([a-z]+)\.?,?\s+(\d{4})")
# A quarter as the site writes it: “January to March 2026”.
_QUARTER = re.compile(r"([a-z]+)\s+to\s+[a-z]+\s+(\d{4})")


class UploadProblem(Exception):
    """The file as a whole cannot be read: too big, empty, not text."""


def read_text(data, *, what="The selected file"):
    """The text of an uploaded file's bytes, or ``UploadProblem``.

    UTF-8, with or without a byte-order mark (Excel's “CSV UTF-8”).
    """
    if len(data) > MAX_BYTES:
        raise UploadProblem(f"{what} must be smaller than 1 MB")
    if not data.strip():
        raise UploadProblem(f"{what} is empty")
    if b"\x00" in data:
        raise UploadProblem(f"{what} must be a CSV file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadProblem(
            f"{what} must be a CSV file saved as text (CSV UTF-8)"
        ) from None


def parse_period(text):
    """``(first day of the month, None)`` or ``(None, what is wrong)``.

    Reads 2025-10, 2025-10-01, October 2025, Oct 2025, 01/10/2025 and the
    site's own quarter labels (January to March 2026).
    """
    words = " ".join(text.split()).lower()
    day = 1
    if match := _ISO_MONTH.fullmatch(words):
        year, month = int(match[1]), int(match[2])
        day = int(match[3]) if match[3] else 1
    elif match := _UK_DATE.fullmatch(words):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    elif match := _NAMED_MONTH.fullmatch(words) or _QUARTER.fullmatch(words):
        month, year = MONTH_NUMBERS.get(match[1]), int(match[2])
        if month is None:
            return None, f"“{text}” is not a month; write it like October 2025"
    else:
        return None, (
            f"“{text}” is not a period; write it like October 2025, 2025-10 "
            "or 01/10/2025"
        )
    try:
        start = datetime.date(year, month, day)
    except ValueError:
        return None, f"“{text}” is not a real date"
    if day != 1:
        return None, (
            "a period starts on the first day of a month; write it like "
            f"{start:%B %Y} or {start:01/%m/%Y}"
        )
    return start, None


_VALUE_FIELD = number_field("Value")


def parse_value(text):
    """``(Decimal, None)`` or ``(None, what is wrong)``: the value field's
    own rules (a number, two decimal places at most, within range). A pound
    sign, a percent sign and thousands commas are allowed."""
    cleaned = text.strip().replace(",", "").replace("£", "").rstrip("%").strip()
    try:
        return _VALUE_FIELD.clean(cleaned), None
    except forms.ValidationError as error:
        message = error.messages[0]
        return None, message[:1].lower() + message[1:]


@dataclass
class Row(CheckedRow):
    """One row of values in the file, as checked."""

    number: int
    measure_text: str
    period_text: str
    value_text: str
    note: str
    measure: Measure | None = None
    period: datetime.date | None = None
    value: Decimal | None = None
    stored: MeasureValue | None = None
    outcome: str = ""
    problems: list = field(default_factory=list)

    @property
    def outcome_label(self):
        return OUTCOME_LABELS.get(self.outcome, "")

    @property
    def period_label(self):
        if self.measure is None or self.period is None:
            return self.period_text
        return period_label(self.period, self.measure.frequency)

    @property
    def value_label(self):
        if self.measure is None or self.value is None:
            return self.value_text
        return self.measure.format_value(self.value)

    @property
    def stored_label(self):
        """The value stored now, as read, when this row corrects it."""
        if self.stored is None or self.measure is None:
            return ""
        return self.measure.format_value(self.stored.value)

    @property
    def change_text(self):
        """What a correction changes: “21 becomes 19.5”, or the note only."""
        if self.outcome != CORRECT:
            return ""
        if self.stored.value == self.value:
            return "Correct the note only"
        return (
            f"{OUTCOME_LABELS[CORRECT]}: {self.stored_label} becomes {self.value_label}"
        )


@dataclass
class Upload(CheckedFile):
    """A file checked against a plan: its rows and its problems."""

    plan: object
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def new_count(self):
        return self.count(NEW)

    @property
    def correct_count(self):
        return self.count(CORRECT)

    @property
    def unchanged_count(self):
        return self.count(UNCHANGED)

    @property
    def to_save(self):
        return [row for row in self.rows if row.outcome in (NEW, CORRECT)]

    @property
    def can_save(self):
        return not self.problem_count and bool(self.to_save)

    def fingerprint(self):
        """What saving would do, row by row, to compare on confirmation: a
        value recorded or corrected since the check changes it."""
        return [
            [
                row.number,
                row.measure.pk if row.measure else None,
                row.outcome,
                row.stored.version if row.stored else None,
            ]
            for row in self.rows
        ]


def _records(text):
    """The CSV's rows as lists of cells, or ``UploadProblem``."""
    try:
        return list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        raise UploadProblem(
            "The file must be a CSV file: its quotation marks do not match"
        ) from None


def _columns(headings):
    """``{column: position}`` from the heading row, or ``UploadProblem``."""
    columns = {}
    for position, heading in enumerate(headings):
        column = HEADINGS.get(name_key(heading))
        if column and column not in columns:
            columns[column] = position
    missing = [name.capitalize() for name in REQUIRED if name not in columns]
    if missing:
        raise UploadProblem(
            "The first row must be the headings Measure, Period and Value "
            f"(and Note, if you like); {_and(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing"
        )
    return columns


def _and(words):
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def check(text, plan, *, today=None, lock=False):
    """Check CSV ``text`` against ``plan``'s measures: an ``Upload``.

    Writes nothing. Two queries however long the file: the plan's measures
    and the values already recorded for the periods named (locked for the
    rest of the transaction when ``lock``, so a save sees no change between
    its check and its writes).
    """
    upload = Upload(plan=plan)
    try:
        # Numbered as a spreadsheet numbers its rows, blank rows included.
        records = [
            (number, record)
            for number, record in enumerate(_records(text), start=1)
            if any(cell.strip() for cell in record)
        ]
        if not records:
            raise UploadProblem("The file is empty")
        columns = _columns(records[0][1])
        if len(records) == 1:
            raise UploadProblem("The file has headings but no values")
        if len(records) - 1 > MAX_ROWS:
            raise UploadProblem(
                f"The file must have {MAX_ROWS:,} rows of values or fewer"
            )
    except UploadProblem as problem:
        upload.problems.append(str(problem))
        return upload

    def cell(record, column):
        position = columns.get(column)
        if position is None or position >= len(record):
            return ""
        return record[position].strip()

    measures = {name_key(m.name): m for m in Measure.objects.filter(plan=plan)}
    allowed = {}
    for number, record in records[1:]:
        row = Row(
            number=number,
            measure_text=cell(record, "measure"),
            period_text=cell(record, "period"),
            value_text=cell(record, "value"),
            note=cell(record, "note"),
        )
        upload.rows.append(row)
        _check_row(row, measures, allowed, today)

    _compare_with_stored(upload, lock=lock)
    return upload


def _check_row(row, measures, allowed, today):
    if not row.measure_text:
        row.problem("measure", "enter the measure's name")
    else:
        row.measure = measures.get(name_key(row.measure_text))
        if row.measure is None:
            row.problem(
                "measure",
                f"there is no measure called “{row.measure_text}” in this plan",
            )
        elif row.measure.is_worked_out:
            row.problem(
                "measure",
                f"“{row.measure.name}” is worked out from the audits, so its "
                "values cannot be uploaded",
            )
    if not row.period_text:
        row.problem("period", "enter the period, like October 2025")
    else:
        row.period, message = parse_period(row.period_text)
        if message:
            row.problem("period", message)
        elif row.measure is not None:
            _check_period(row, allowed, today)
    if not row.value_text:
        row.problem("value", "enter the value")
    else:
        row.value, message = parse_value(row.value_text)
        if message:
            row.problem("value", message)
    if len(row.note) > MAX_TEXT:
        row.problem("note", f"the note must be {MAX_TEXT:,} characters or fewer")


def _check_period(row, allowed, today):
    """The period suits the measure: a quarter's first month for a quarterly
    measure, and a period a value may be recorded for (as on its own form)."""
    measure, period = row.measure, row.period
    if measure.frequency == Measure.Frequency.QUARTERLY and period.month % 3 != 1:
        row.problem(
            "period",
            f"{measure.name} is reported each quarter, so its period must start "
            "in January, April, July or October",
        )
        return
    if measure.frequency not in allowed:
        periods = recordable_periods(measure, today)
        allowed[measure.frequency] = (periods[-1][0], periods[0][0])
    earliest, latest = allowed[measure.frequency]
    if period > latest:
        row.problem("period", f"{row.period_label} has not started yet")
    elif period < earliest:
        row.problem(
            "period",
            f"values can be recorded from {period_label(earliest, measure.frequency)} "
            "onwards",
        )


def _compare_with_stored(upload, *, lock):
    """Mark duplicate rows, and what saving each good row would do."""
    seen = {}
    for row in upload.rows:
        if row.measure is None or row.period is None or row.problems:
            continue
        key = (row.measure.pk, row.period)
        if key in seen:
            row.problem(
                "period",
                f"the same measure and period as row {seen[key]}; give each "
                "measure one value a period",
            )
        else:
            seen[key] = row.number
    good = [row for row in upload.rows if not row.problems and row.measure]
    stored = MeasureValue.objects.filter(
        measure__plan=upload.plan, period__in={row.period for row in good}
    )
    if lock:
        stored = stored.select_for_update()
    by_key = {(v.measure_id, v.period): v for v in stored} if good else {}
    for row in good:
        row.stored = by_key.get((row.measure.pk, row.period))
        if row.stored is None:
            row.outcome = NEW
        elif row.stored.value == row.value and row.note in ("", row.stored.note):
            row.outcome = UNCHANGED
        else:
            row.outcome = CORRECT


def save(upload, *, name, reason=""):
    """Record the new values and correct the changed ones; returns the
    number of each. Call inside a transaction, with ``check(..., lock=True)``.

    Each history row says the values came from ``name``; a correction adds
    the manager's ``reason``. An empty note cell leaves a stored note alone.
    """
    source = f"Uploaded from {name}"
    for row in upload.to_save:
        if row.outcome == NEW:
            record = MeasureValue(
                measure=row.measure, period=row.period, value=row.value, note=row.note
            )
            record._change_reason = source
        else:
            record = row.stored
            record.value = row.value
            if row.note:
                record.note = row.note
            record._change_reason = f"{source}: {reason.strip()}"
        record.save()
    return upload.new_count, upload.correct_count


_SALT = "measures.upload"


def sign(*, user, plan, name, text, upload):
    """The checked content, signed for the confirmation page's hidden field."""
    return signing.dumps(
        {
            "user": user.pk,
            "plan": plan.pk,
            "name": name,
            "text": text,
            "plan_of_rows": upload.fingerprint(),
        },
        salt=_SALT,
        compress=True,
    )


def unsign(value, *, user):
    """The content ``sign`` made, if unchanged, recent and this user's; else
    ``signing.BadSignature``."""
    content = signing.loads(value, salt=_SALT, max_age=CONFIRM_WITHIN)
    if not isinstance(content, dict) or content.get("user") != user.pk:
        raise signing.BadSignature("Not this user's upload")
    return content
