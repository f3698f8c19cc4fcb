"""Form building blocks for GOV.UK pages. Imports no app models.

* ``GovukMessagesMixin`` — the one home of GOV.UK wording for messages:
  every message names its field (“Title must be 250 characters or fewer”,
  “Select the plan from the list”), every text field has a limit, and every
  empty choice says what to choose. Every form in improvement, findings and
  visits uses it.
* The GOV.UK date input lives in ``improvement.kernel.date_fields``.
* ``VersionedFormMixin`` — carries the version of the record the person
  opened, so a save over someone else's newer change can be refused.
"""

import copy
import datetime
import json

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxLengthValidator
from django.db import models
from django.forms.utils import pretty_name

from improvement.kernel.date_fields import GovukDateField
from improvement.kernel.dates import RANGE_TEXT

MAX_TEXT = 5000


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
    choices = {}
    if not isinstance(field, forms.ModelMultipleChoiceField | forms.ModelChoiceField):
        choices = {str(k): v for k, v in getattr(field, "choices", ()) or ()}
    if value == "" and choices.get(""):
        return f"“{choices['']}”"  # a blank choice with a name: “Not assessed”
    if value in ("", []):
        return "(none)"
    if isinstance(field, forms.ModelMultipleChoiceField | forms.ModelChoiceField):
        objects = field.queryset.filter(
            pk__in=value if isinstance(value, list) else [value]
        )
        return "“" + ", ".join(field.label_from_instance(o) for o in objects) + "”"
    if value in choices:
        return f"“{choices[value]}”"
    if isinstance(field, GovukDateField):
        day = datetime.date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    text = str(value)
    return "“" + (text if len(text) <= 80 else text[:79] + "…") + "”"


#: What a hidden field of a form (the version it was opened at) says when it
#: comes back wrong: the page was changed by hand or is too old.
STALE_PAGE = "This page is out of date. Open it again to make your change."


def _the(label):
    """“Title” → “the title”, for “Enter the title”."""
    text = _lower(label)
    return text if text.startswith(("the ", "a ", "an ")) else f"the {text}"


def _a(label):
    """“Link to evidence” → “a link to evidence”."""
    text = _lower(label)
    if text.startswith(("the ", "a ", "an ")):
        return text
    return f"an {text}" if text[:1] in "aeiou" else f"a {text}"


def _percent_safe(text):
    # Django fills some messages with %-formatting (“%(limit_value)s”).
    return str(text).replace("%", "%%")


def govuk_messages(form_field, label, model_name=None):
    """GOV.UK messages for ``form_field``, each naming it by ``label``.

    Keyed by Django's error codes; only the codes the field can raise.
    ``model_name`` (“plan”) words the message for a value another record
    already has.
    """
    label = _percent_safe(label)
    the = _the(label)
    cap = label[:1].upper() + label[1:]
    choosing = isinstance(
        form_field,
        forms.ChoiceField
        | forms.ModelChoiceField
        | forms.BooleanField
        | forms.MultipleChoiceField,
    )
    messages = {"required": f"{'Select' if choosing else 'Enter'} {the}"}
    if isinstance(form_field, forms.BooleanField):
        messages["required"] = f"Select {the}"
    messages.update(_text_messages(form_field, label, cap))
    messages.update(_number_and_date_messages(form_field, cap))
    if choosing and not isinstance(form_field, forms.BooleanField):
        from_list = f"Select {the} from the list"
        messages.update(
            invalid_choice=from_list, invalid_pk_value=from_list, invalid_list=from_list
        )
    if model_name:
        messages["unique"] = (
            f"There is already {_a(model_name)} with this {_lower(label)}"
        )
    return {code: text for code, text in messages.items() if code in _codes(form_field)}


def _text_messages(form_field, label, cap):
    """The messages of a text field: too long, too short, control characters,
    and a link or email address in the wrong format."""
    messages = {}
    if isinstance(form_field, forms.CharField):
        if form_field.max_length:
            messages["max_length"] = (
                f"{cap} must be {form_field.max_length:,} characters or fewer"
            )
        if form_field.min_length:
            messages["min_length"] = (
                f"{cap} must be {form_field.min_length:,} characters or more"
            )
        messages["null_characters_not_allowed"] = (
            f"{cap} must not include control characters"
        )
    if isinstance(form_field, forms.URLField):
        messages["invalid"] = (
            f"Enter {_a(label)} in the correct format, "
            "like https://www.example.com/report.pdf"
        )
    elif isinstance(form_field, forms.EmailField):
        messages["invalid"] = (
            f"Enter {_a(label)} in the correct format, like name@example.com"
        )
    return messages


def _number_and_date_messages(form_field, cap):
    """The messages of a whole-number field (not one, or out of its limits)
    and of a date field (not a real date, or out of range)."""
    messages = {}
    if isinstance(form_field, forms.IntegerField):
        messages.update(
            invalid=f"{cap} must be a whole number",
            min_value=f"{cap} must be %(limit_value)s or more",
            max_value=f"{cap} must be %(limit_value)s or less",
            step_size=f"{cap} must be a multiple of %(limit_value)s",
        )
    if isinstance(form_field, forms.DateField):
        messages["invalid"] = f"{cap} must be a real date"
        messages["out_of_range"] = f"{cap} must be between {RANGE_TEXT}"
    return messages


def _codes(form_field):
    """The error codes ``form_field`` can raise (those it has messages for, and
    its validators')."""
    codes = set(form_field.error_messages)
    codes.update(getattr(v, "code", None) for v in form_field.validators)
    if isinstance(form_field, forms.CharField):
        codes.update({"max_length", "min_length", "null_characters_not_allowed"})
    return codes | {"unique"}


def _is_djangos(form_field, code):
    """Is the field's message for ``code`` Django's own (or missing)?

    A message given when the field was declared (its ``error_messages``) is
    the form's own wording, and is kept.
    """
    given = form_field.error_messages.get(code)
    if given is None:
        return True
    for klass in type(form_field).__mro__:
        default = getattr(klass, "default_error_messages", {}).get(code)
        if default is not None:
            return str(given) == str(default)
    return False


class GovukMessagesMixin:
    """GOV.UK wording for every message a form shows, naming the field.

    The one home for form messages (put it first among a form's bases):

    * Every message Django would write names the field in GOV.UK words:
      “Progress since the last update must be 5,000 characters or fewer”,
      “Enter a link to evidence in the correct format, like https://…”,
      “Select the plan from the list”. A message the form words itself
      (``Meta.error_messages``, or a field's own ``error_messages``) wins.
    * Every text field has a limit: ``MAX_TEXT`` unless the model or form
      sets one. Pages show a character count for long text; the limit is
      never a ``maxlength`` that cuts text off silently.
    * An empty choice says what to choose (“Select the lead officer”) instead
      of “---------”.
    * Hidden fields (the version the form was opened at) say the page is
      out of date.
    * Database rules that span fields (“reference unique within its
      inspection”) are shown beside the field named in ``constraint_fields``
      (a word in the message → the field), not only at the top of the form.
    """

    constraint_fields: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meta = getattr(self, "_meta", None)
        chosen = getattr(meta, "error_messages", None) or {}
        model = getattr(meta, "model", None)
        for name, form_field in self.fields.items():
            self.govuk_field(name, form_field, chosen.get(name, {}), model)

    def govuk_field(self, name, form_field, own=(), model=None):
        """Give one field its limit, its messages and its empty choice.

        Forms that add a field after ``__init__`` call this for it.
        """
        if (
            isinstance(form_field, forms.CharField)
            and not form_field.max_length
            and not form_field.widget.is_hidden  # the values a form was opened with
        ):
            form_field.max_length = MAX_TEXT
            form_field.validators.append(MaxLengthValidator(MAX_TEXT))
        form_field.widget.attrs.pop("maxlength", None)
        label = str(form_field.label or pretty_name(name))
        if form_field.widget.is_hidden:
            stale = dict.fromkeys(_codes(form_field), STALE_PAGE)
            stale.pop("unique")
            messages = stale
        else:
            model_name = None
            if model is not None and name in {f.name for f in model._meta.fields}:
                model_name = str(model._meta.verbose_name)
            messages = govuk_messages(form_field, label, model_name)
        for code, message in messages.items():
            if code not in own and _is_djangos(form_field, code):
                form_field.error_messages[code] = message
        if "invalid_choice" in own:
            form_field.error_messages["invalid_pk_value"] = own["invalid_choice"]
        self._name_empty_choice(form_field, label)

    def empty_choice_text(self, label):
        """What an empty choice says: “Select the lead officer”."""
        return f"Select {_the(label)}"

    def _name_empty_choice(self, form_field, label):
        empty = self.empty_choice_text(label)
        if getattr(form_field, "empty_label", None) == "---------":
            form_field.empty_label = empty
        elif isinstance(form_field, forms.ChoiceField) and not isinstance(
            form_field, forms.ModelChoiceField
        ):
            choices = list(form_field.choices)
            if any(text == "---------" for _, text in choices):
                form_field.choices = [
                    (value, empty if text == "---------" else text)
                    for value, text in choices
                ]

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict") and NON_FIELD_ERRORS in errors.error_dict:
            general = errors.error_dict.pop(NON_FIELD_ERRORS)
            for error in general:
                text = " ".join(error.messages)
                target = next(
                    (
                        name
                        for word, name in self.constraint_fields.items()
                        if word in text and name in self.fields
                    ),
                    NON_FIELD_ERRORS,
                )
                errors.error_dict.setdefault(target, []).append(error)
        super()._update_errors(errors)


class GovukFilterForm(GovukMessagesMixin, forms.Form):
    """The form django-filter builds for a register's filters (``Meta.form``),
    with the same GOV.UK messages as every other form. An empty choice in a
    filter means no filter: “Any theme”."""

    def empty_choice_text(self, label):
        return f"Any {_lower(label)}"
