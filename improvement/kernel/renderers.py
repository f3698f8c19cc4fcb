"""The site's form renderer: Django's templates, with drop-downs written out
in Python.

A drop-down of a few hundred choices (owners, priorities, visits) cost one
template include per option, which was most of the time of the registers'
filter forms. ``FormRenderer`` writes ``<select>`` and its options directly,
with exactly the markup of Django's own templates (``test_renderers`` compares
the two), multiple choices included; every other widget goes through the
templates as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs):
    """``django/forms/widgets/attrs.html``: True is a bare name, False none."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _option(option):
    return (
        f'<option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


def render_select(widget):
    """``django/forms/widgets/select.html`` for ``widget`` (its context)."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"']
    parts.append(_attrs(widget["attrs"]) + ">")
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend("\n  " + _option(option) for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """Django's template renderer, with ``<select>`` written in Python."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == SELECT and all(
            option["template_name"] == OPTION
            for _name, options, _index in widget["optgroups"]
            for option in options
        ):
            return mark_safe(render_select(widget))  # noqa: S308 - escaped above
        return super().render(template_name, context, request)
