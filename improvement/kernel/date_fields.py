"""The GOV.UK date input as Django form fields. Imports no app models.

* ``GovukDateField`` — day, month and year boxes with GOV.UK error messages
  (“Due date must be a real date”), for forms that save a date;
* ``QueryDateField`` — the same boxes read from a query string (filters and
  the board's pages), which also accept one ISO date from a link.
"""

import datetime

from django import forms

from improvement.kernel.dates import DATE_HINT, RANGE_TEXT, in_range, parse_single


class DateInputWidget(forms.MultiWidget):
    """Three boxes — day, month, year — submitted as ``<name>_0/_1/_2``."""

    def __init__(self, attrs=None):
        super().__init__(
            [
                forms.TextInput(attrs={"inputmode": "numeric"}),
                forms.TextInput(attrs={"inputmode": "numeric"}),
                forms.TextInput(attrs={"inputmode": "numeric"}),
            ],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, validated the GOV.UK way."""

    widget = DateInputWidget

    def __init__(self, *, label=None, required=True, **kwargs):
        kwargs.setdefault("help_text", DATE_HINT)
        self.name_for_errors = label or "Date"
        name = self.name_for_errors
        kwargs.setdefault(
            "error_messages",
            {
                "required": f"Enter the {name.lower()}",
                "incomplete": f"{name} must include a day, month and year",
                "invalid": f"{name} must be a real date",
            },
        )
        fields = [
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        ]
        super().__init__(
            fields,
            label=label,
            required=required,
            require_all_fields=False,
            **kwargs,
        )

    def clean(self, value):
        # Validate here rather than per part, so there is one clear message.
        if isinstance(value, datetime.date):
            return value  # a disabled field hands back its initial value
        value = value or ["", "", ""]
        parts = [str(v).strip() if v is not None else "" for v in value]
        name = self.name_for_errors
        if not any(parts):
            if self.required:
                raise forms.ValidationError(f"Enter the {name.lower()}", "required")
            return None
        missing = [
            part
            for part, text in zip(("day", "month", "year"), parts, strict=True)
            if not text
        ]
        if missing:
            raise forms.ValidationError(
                f"{name} must include a {' and '.join(missing)}", "incomplete"
            )
        # Only 0-9 (str.isdigit also takes "²" and other scripts' digits), and
        # no more of them than a date has, so int() and date() cannot overflow.
        if not all(text.isascii() and text.isdigit() for text in parts):
            raise forms.ValidationError(f"{name} must be a real date", "invalid")
        if len(parts[2]) != 4:
            raise forms.ValidationError("Year must include 4 numbers", "invalid_year")
        if len(parts[0]) > 4 or len(parts[1]) > 4:
            raise forms.ValidationError(f"{name} must be a real date", "invalid")
        day, month, year = (int(text) for text in parts)
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(
                f"{name} must be a real date", "invalid"
            ) from None
        if not in_range(date):
            raise forms.ValidationError(
                f"{name} must be between {RANGE_TEXT}", "out_of_range"
            )
        return date

    def compress(self, data_list):  # pragma: no cover - clean() does the work
        return data_list

    def has_changed(self, initial, data):
        try:
            return self.clean(data) != initial
        except forms.ValidationError:
            return True


class QueryDateInput(DateInputWidget):
    """The date input of a GET form (filters, the board's pages).

    Reads the three boxes (``<name>_0``, ``<name>_1``, ``<name>_2``) when any
    was filled in; otherwise a date in one piece, ``<name>=2026-03-31``, as the
    service's own links and older bookmarks give it. A date in one piece that
    cannot be read is handed on as text, for the field to refuse. So a date is
    given exactly when ``improvement.board.forms.filled_in`` says it is.
    """

    def value_from_datadict(self, data, files, name):
        boxes = [f"{name}_{position}" for position in range(3)]
        boxes_filled = any(str(data.get(box) or "").strip() for box in boxes)
        if name not in data or boxes_filled:
            return super().value_from_datadict(data, files, name)
        text = str(data.get(name) or "").strip()
        day = parse_single(text)
        if day is None:
            return text
        return [str(day.day), str(day.month), f"{day.year:04d}"]

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class QueryDateField(GovukDateField):
    """An optional GOV.UK date input in a GET form, read by ``QueryDateInput``.

    ``error_name`` names the date in messages when the label does not read
    well there (label “To”, messages “The end date must be a real date”).
    """

    widget = QueryDateInput

    def __init__(self, *, label, error_name=None, required=False, **kwargs):
        super().__init__(label=error_name or label, required=required, **kwargs)
        self.label = label

    def clean(self, value):
        if isinstance(value, str):
            if value:
                raise forms.ValidationError(
                    f"{self.name_for_errors} must be a real date", "invalid"
                )
            value = None
        return super().clean(value)

    def peek(self, data, name):
        """The date ``data`` gives as ``name``; None when none or not valid.

        For a form that works out one default from another date before it
        validates. Never raises.
        """
        try:
            return self.clean(self.widget.value_from_datadict(data, None, name))
        except forms.ValidationError:
            return None
