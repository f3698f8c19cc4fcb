"""Template filters that render form fields as GOV.UK Design System controls.

Load with ``{% load govuk_forms %}`` (the components under
templates/components/ that draw fields do). What is here:

    ``field|govuk_field_kind``       which GOV.UK component renders the field
    ``{% govuk_widget field %}``     the field's control with GOV.UK classes
    ``field|govuk_describedby``      ids of the field's hint and error message
    ``field|govuk_error_anchor``     the id the error summary links to
    ``field|govuk_date_parts``       day, month and year inputs of a date field
    ``classes|govuk_legend_classes`` label sizes as legend sizes, for fieldsets
    ``field|govuk_character_count``  the limit a textarea counts to, or None

This module imports no models, so it is safe to load from any template.
"""

from dataclasses import dataclass

from django import forms, template

register = template.Library()


# ---------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------

#: GOV.UK class for each kind of control rendered by ``govuk_widget``.
_WIDGET_CLASSES = {
    "input": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "file": "govuk-file-upload",
}

#: Error modifier class for each kind of control.
_WIDGET_ERROR_CLASSES = {
    "input": "govuk-input--error",
    "textarea": "govuk-textarea--error",
    "select": "govuk-select--error",
    "file": "govuk-file-upload--error",
}


def is_date_widget(widget):
    """Is this a day / month / year MultiWidget (a GOV.UK date input)?"""
    return isinstance(widget, forms.MultiWidget) and len(widget.widgets) == 3


@register.filter
def govuk_field_kind(field):
    """Which GOV.UK component renders this bound field.

    One of "hidden", "date", "radios", "checkboxes", "checkbox", "select",
    "textarea", "file" or "input".
    """
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    if is_date_widget(widget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):  # also SelectMultiple, NullBooleanSelect
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


def hint_id(field):
    """The id of the field's hint (Django's own id for help text)."""
    return f"{field.auto_id}_helptext"


def error_id(field):
    """The id of the field's error message (Django's own id for errors)."""
    return f"{field.auto_id}_error"


@register.filter
def govuk_character_count(field):
    """The number of characters a textarea may hold, when it shows a count.

    Every textarea with a ``max_length`` becomes a GOV.UK character count:
    the count tells people the limit as they type, and the server refuses
    more (nothing is cut off by the browser).
    """
    if govuk_field_kind(field) != "textarea":
        return None
    return getattr(field.field, "max_length", None) or None


def count_id(field):
    """The id of a character count's message (GOV.UK Frontend expects it)."""
    return f"{field.auto_id}-info"


@register.filter
def govuk_describedby(field):
    """Space-separated ids of the count, hint and error, for aria-describedby."""
    ids = []
    if govuk_character_count(field):
        ids.append(count_id(field))
    if field.help_text:
        ids.append(hint_id(field))
    if field.errors:
        ids.append(error_id(field))
    return " ".join(ids)


@register.filter
def govuk_error_anchor(field):
    """The id an error summary link should point to.

    GOV.UK asks for the link to go to the first control of the question: the
    first radio, checkbox or day input for fields that use a fieldset.
    """
    if govuk_field_kind(field) in {"radios", "checkboxes", "date"}:
        return f"{field.auto_id}_0"
    return field.auto_id


@register.simple_tag
def govuk_widget(field, classes=""):
    """Render the field's control with GOV.UK classes and aria-describedby.

    For inputs, textareas, selects, file uploads and a single checkbox.
    ``classes`` adds modifiers such as "govuk-input--width-10". Classes set
    on the widget in the form are kept.
    """
    kind = govuk_field_kind(field)
    widget_classes = [
        _WIDGET_CLASSES.get(kind, ""),
        field.errors and _WIDGET_ERROR_CLASSES.get(kind, ""),
        govuk_character_count(field) and "govuk-js-character-count",
        field.field.widget.attrs.get("class", ""),
        classes,
    ]
    # No autofocus: GOV.UK pages let the error summary, or the reader, decide
    # where focus goes (Django's sign-in form asks for it on the username).
    # No maxlength: the browser would cut long text off without a word; the
    # server refuses it with a message naming the field instead.
    attrs = {
        "class": " ".join(c for c in widget_classes if c),
        "autofocus": False,
        "maxlength": False,
    }
    if describedby := govuk_describedby(field):
        attrs["aria-describedby"] = describedby
    return field.as_widget(attrs=attrs)


@dataclass(frozen=True)
class DatePart:
    """One of the day, month and year inputs of a GOV.UK date input."""

    name: str
    id: str
    value: str
    label: str
    width: int


_DATE_LABELS = (("Day", 2), ("Month", 2), ("Year", 4))


@register.filter
def govuk_date_parts(field):
    """The day, month and year inputs of a date field, in that order.

    The field's widget is a MultiWidget of three subwidgets named
    ``<name>_0``, ``<name>_1`` and ``<name>_2``; it decompresses an initial
    date into its parts, and a submitted form gives back what was typed.
    """
    context = field.field.widget.get_context(
        field.html_name, field.value(), {"id": field.auto_id}
    )
    parts = []
    subwidgets = context["widget"]["subwidgets"]
    for subwidget, (label, width) in zip(subwidgets, _DATE_LABELS, strict=True):
        value = subwidget["value"]
        parts.append(
            DatePart(
                name=subwidget["name"],
                id=subwidget["attrs"].get("id", ""),
                value="" if value is None else str(value),
                label=label,
                width=width,
            )
        )
    return parts


@register.filter
def govuk_legend_classes(classes):
    """Label sizes as legend sizes: “govuk-label--s” → “govuk-fieldset__legend--s”.

    So a date input (a fieldset) in a form whose fields are all given the
    label size looks like its neighbours.
    """
    return " ".join(
        c.replace("govuk-label--", "govuk-fieldset__legend--")
        for c in str(classes or "").split()
    )
