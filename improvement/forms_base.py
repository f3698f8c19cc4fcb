"""Form building blocks for GOV.UK pages. Imports no app models.

* ``GovukDateField`` — the GOV.UK date input (day, month, year) with GOV.UK
  error messages (“Due date must be a real date”).
* ``VersionedFormMixin`` — carries the version of the record the person
  opened, so a save over someone else's newer change can be refused.
"""

import copy
import datetime
import json

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models

from improvement.dates import RANGE_TEXT, in_range

MAX_TEXT = 5000


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
        self.name_for_errors = label or "Date"
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


class VersionedFormMixin:
    """Edit forms that never overwrite someone else's newer change.

    The form carries the version of the record the person opened (hidden
    ``version``) and the values they saw then (hidden ``opened``). After
    validation, ``merge()`` compares three ways, field by field: what they
    opened, what is stored now and what they sent. Only what this person
    changed is applied; where someone else changed the same field to
    something different, the field is a conflict that the person must settle
    by choosing one of the two values (``keep_<field>`` radios, added when a
    refused form is shown again).

    ``MERGED_FIELDS`` names the record's fields the form edits; by default the
    model form's model fields. ``record_values()`` reads them off the record.
    """

    MERGED_FIELDS = None
    KEEP_THEIRS, KEEP_MINE = "theirs", "mine"

    def __init__(self, *args, conflicts=(), conflict_user="someone else", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1
        )
        instance = getattr(self, "instance", None)
        self.is_edit = instance is not None and instance.pk is not None
        self.mine, self.conflicts = [], []
        if not self.is_edit:
            return
        # What is stored now, read before validation writes the input onto
        # a model form's instance.
        self.stored_record = copy.copy(instance)
        self.stored_values = self.record_values()
        self.fields["opened"] = forms.CharField(
            widget=forms.HiddenInput, required=False, strip=False
        )
        self.fields["conflicted"] = forms.CharField(
            widget=forms.HiddenInput, required=False
        )
        if not self.is_bound:
            self.initial["version"] = instance.version
            self.initial["opened"] = json.dumps(self.stored_values)
            self.initial["conflicted"] = ",".join(conflicts)
            names = [name for name in conflicts if name in self.stored_values]
        else:
            given = str(self.data.get(self.add_prefix("conflicted"), ""))
            names = [n for n in given.split(",") if n in self.stored_values]
        for name in names:
            self._add_keep_choice(name, conflict_user)

    # The record's values, as comparable text --------------------------------

    def merged_field_names(self):
        if self.MERGED_FIELDS is not None:
            return [name for name in self.MERGED_FIELDS if name in self.fields]
        model_fields = {
            f.name for f in self.instance._meta.get_fields() if f.editable
        } - {"version"}
        return [name for name in self.fields if name in model_fields]

    def record_values(self):
        """The record's stored values of the edited fields, comparable."""
        from django.forms.models import model_to_dict

        names = self.merged_field_names()
        stored = model_to_dict(self.instance, fields=names)
        return {name: comparable(stored.get(name)) for name in names}

    def sent_value(self, name):
        return comparable(self.cleaned_data.get(name))

    def opened_values(self):
        """What the person saw when they opened the form (else what is stored)."""
        return self.cleaned_data.get("opened") or self.stored_values

    def clean_opened(self):
        text = self.cleaned_data.get("opened") or ""
        if not text:
            return None
        try:
            opened = json.loads(text)
        except ValueError:
            opened = None
        if not isinstance(opened, dict) or not all(
            isinstance(v, str | list) for v in opened.values()
        ):
            raise forms.ValidationError(
                "This page is out of date. Open it again to make your change.",
                "stale_form",
            )
        return {
            name: opened.get(name, value) for name, value in self.stored_values.items()
        }

    def changed_by_person(self, name):
        """Did this person change field ``name`` from the value they opened?"""
        if not self.is_edit or name not in self.stored_values:
            return name in getattr(self, "changed_data", ())
        if self.cleaned_data.get(f"keep_{name}") == self.KEEP_THEIRS:
            return False
        return self.sent_value(name) != self.opened_values().get(name)

    def merge(self):
        """Sort the edited fields, after validation, into ``mine`` and ``conflicts``.

        ``mine``: changed by this person and different from what is stored now,
        to be applied. ``conflicts``: changed by this person and, differently,
        by someone else since they opened the form. Returns ``(mine, conflicts)``.
        """
        opened = self.opened_values()
        self.mine, self.conflicts = [], []
        for name, now in self.stored_values.items():
            sent = self.sent_value(name)
            if not self.changed_by_person(name) or sent == now:
                continue
            chose_mine = self.cleaned_data.get(f"keep_{name}") == self.KEEP_MINE
            if now != opened.get(name, now) and not chose_mine:
                self.conflicts.append(name)
            else:
                self.mine.append(name)
        return self.mine, self.conflicts

    def kept_input(self):
        """What the person entered, as initial values for the form shown again.

        Fields they did not change are left out, so they show what is stored.
        """
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("version", "opened", "conflicted")
            and not name.startswith("keep_")
            and (
                name not in self.stored_values
                or name in self.mine
                or name in self.conflicts
            )
        }

    # Settling a conflict -------------------------------------------------

    def _add_keep_choice(self, name, conflict_user):
        field = self.fields[name]
        theirs = display_value(field, self.stored_values[name])
        self.fields[f"keep_{name}"] = forms.ChoiceField(
            label=f"{field.label}: which should be kept?",
            choices=[
                (self.KEEP_THEIRS, f"Keep {theirs}, saved by {conflict_user}"),
                (self.KEEP_MINE, "Use what you entered below"),
            ],
            widget=forms.RadioSelect,
            error_messages={"required": f"Choose which {_lower(field.label)} to keep"},
        )

    def conflict_choices(self):
        """The bound ``keep_<field>`` radios, to show above the form."""
        return [self[name] for name in self.fields if name.startswith("keep_")]

    def visible_fields(self):
        return [f for f in super().visible_fields() if not f.name.startswith("keep_")]


def _lower(label):
    """“Delivery status” → “delivery status”; “RAG” stays “RAG”."""
    text = str(label)
    first = text.split(" ", 1)[0]
    return text if first.isupper() else text[:1].lower() + text[1:]


def comparable(value):
    """A form or model value as text (or a sorted list of text), to compare."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return sorted(comparable(v) for v in value)
    return str(value)


def display_value(field, value):
    """A comparable value as a person reads it, for a conflict message."""
    if value in ("", []):
        return "(none)"
    if isinstance(field, forms.ModelMultipleChoiceField | forms.ModelChoiceField):
        objects = field.queryset.filter(
            pk__in=value if isinstance(value, list) else [value]
        )
        return "“" + ", ".join(field.label_from_instance(o) for o in objects) + "”"
    choices = {str(k): v for k, v in getattr(field, "choices", ()) or ()}
    if value in choices:
        return f"“{choices[value]}”"
    if isinstance(field, GovukDateField):
        day = datetime.date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    text = str(value)
    return "“" + (text if len(text) <= 80 else text[:79] + "…") + "”"


class LimitedTextMixin:
    """Gives every unbounded text field a length limit, with a clear message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            if isinstance(form_field, forms.CharField) and not form_field.max_length:
                form_field.max_length = MAX_TEXT
                form_field.validators.append(MaxLengthValidator(MAX_TEXT))
                form_field.widget.attrs.setdefault("maxlength", str(MAX_TEXT))
