"""Form building blocks for GOV.UK pages. Imports no app models.

* ``GovukDateField`` — the GOV.UK date input (day, month, year) with GOV.UK
  error messages (“Due date must be a real date”).
* ``VersionedFormMixin`` — carries the version of the record the person
  opened, so a save over someone else's newer change can be refused.
"""

import datetime

from django import forms
from django.core.validators import MaxLengthValidator

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
        if not all(text.isdigit() for text in parts):
            raise forms.ValidationError(f"{name} must be a real date", "invalid")
        day, month, year = (int(text) for text in parts)
        if len(parts[2]) != 4:
            raise forms.ValidationError("Year must include 4 numbers", "invalid_year")
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(
                f"{name} must be a real date", "invalid"
            ) from None

    def compress(self, data_list):  # pragma: no cover - clean() does the work
        return data_list

    def has_changed(self, initial, data):
        try:
            return self.clean(data) != initial
        except forms.ValidationError:
            return True


class VersionedFormMixin:
    """Adds a hidden ``version`` field holding the record's version when opened."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1
        )
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["version"] = instance.version


class LimitedTextMixin:
    """Gives every unbounded text field a length limit, with a clear message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            if isinstance(form_field, forms.CharField) and not form_field.max_length:
                form_field.max_length = MAX_TEXT
                form_field.validators.append(MaxLengthValidator(MAX_TEXT))
                form_field.widget.attrs.setdefault("maxlength", str(MAX_TEXT))


def rebind_at_version(form_class, data, version, **kwargs):
    """The person's input again, now against ``version`` so saving applies it."""
    data = data.copy()
    data["version"] = version
    return form_class(data, **kwargs)
