"""Drop-downs written in Python are the markup Django's templates write."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from improvement.kernel.renderers import FormRenderer

TEMPLATES, QUICK = DjangoTemplates(), FormRenderer()


def _both(widget, name, value, attrs=None):
    return (
        widget.render(name, value, attrs, renderer=TEMPLATES),
        widget.render(name, value, attrs, renderer=QUICK),
    )


CHOICES = [
    ("", "All owners"),
    (1, "Head of Service, Children in Care"),
    (2, 'Quotes " and <tags> & ampersands'),
    (3, mark_safe("<b>Safe</b> label")),
    ("Priority 1", [(4, "1.1"), (5, "1.2 <draft>")]),
]


@pytest.mark.parametrize("value", [None, "", 1, "2", [3], 5, "not a choice"])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"class": "govuk-select", "aria-describedby": "owner-hint owner-error"},
        {"required": True, "disabled": False, "data-x": 'a"b<c'},
    ],
)
def test_a_drop_down_is_written_exactly_as_the_templates_write_it(value, attrs):
    widget = forms.Select(choices=CHOICES, attrs={"id": "id_owner"})
    templates, quick = _both(widget, "lead_owner", value, attrs)
    assert quick == templates


@given(
    labels=st.lists(st.text(max_size=20), max_size=6),
    name=st.text(min_size=1, max_size=10),
    chosen=st.integers(min_value=0, max_value=6),
)
def test_any_labels_and_names_are_escaped_the_same(labels, name, chosen):
    widget = forms.Select(choices=list(enumerate(labels)))
    templates, quick = _both(widget, name, chosen, {"class": name})
    assert quick == templates


def test_a_multiple_choice_is_written_the_same():
    widget = forms.SelectMultiple(choices=CHOICES)
    templates, quick = _both(widget, "themes", [1, 4])
    assert quick == templates
    assert "multiple" in quick


def test_other_widgets_still_use_the_templates():
    widget = forms.RadioSelect(choices=CHOICES[:3])
    assert _both(widget, "owner", 1)[1] == _both(widget, "owner", 1)[0]


def test_the_site_renders_forms_with_it(settings):
    assert settings.FORM_RENDERER == "improvement.kernel.renderers.FormRenderer"
