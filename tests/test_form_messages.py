"""Every message of every form names its field, in GOV.UK words.

The one home of the wording is ``improvement.kernel.forms.GovukMessagesMixin``;
every form in improvement, findings and visits (and the registers' filter
forms) uses it. These tests build each form and read every message each of
its fields can show: none may be Django's own default (“This field is
required.”, “Enter a valid URL.”, “Ensure this value has at most …”), and
each must name the field it is about.
"""

import datetime
import re

import pytest
from django import forms
from django.core import validators
from django.http import QueryDict
from django.urls import reverse

from findings.filters import FindingFilter
from findings.forms import FindingForm, ThemeForm
from findings.models import Finding, Theme
from improvement.board.forms import ChangeFilter
from improvement.board.views.board_pack import BoardPackForm
from improvement.board.views.dashboard import BoardForm
from improvement.board.views.drift import DriftForm
from improvement.board.views.exports import ChangeExportForm
from improvement.board.views.golden_thread import GoldenThreadForm
from improvement.board.views.what_changed import ChangesSinceForm
from improvement.kernel.forms import STALE_PAGE
from improvement.plan.filters import ActionFilter
from improvement.plan.forms import (
    ActionForm,
    ActionUpdateForm,
    OwnerForm,
    PlanForm,
    PriorityForm,
)
from improvement.plan.links import ActionLinkForm, FindingLinkForm
from improvement.plan.models import Action, Plan
from tests.factories import ActionFactory, FindingFactory
from visits.forms import InspectionForm, JudgementForm, MonitoringVisitForm

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)

#: Words too common to name a field.
STOPWORDS = {
    "the", "a", "an", "of", "to", "or", "and", "by", "it", "this", "for", "on",
    "in", "is", "be", "with", "since", "last", "what", "at", "from", "that",
    "its", "who", "can", "if", "not", "yet", "you",
}  # fmt: skip


def _django_defaults():
    """Every default message Django's form fields and validators carry."""
    defaults = set()
    for klass in vars(forms.fields).values():
        if isinstance(klass, type):
            for message in getattr(klass, "default_error_messages", {}).values():
                defaults.add(str(message))
    for klass in (forms.ModelChoiceField, forms.ModelMultipleChoiceField):
        defaults.update(str(m) for m in klass.default_error_messages.values())
    for klass in vars(validators).values():
        if isinstance(klass, type) and isinstance(getattr(klass, "message", None), str):
            defaults.add(str(klass.message))
    defaults.update(
        str(getattr(klass, "message", ""))
        for klass in (
            validators.MaxLengthValidator,
            validators.MinLengthValidator,
            validators.MaxValueValidator,
            validators.MinValueValidator,
            validators.URLValidator,
            validators.EmailValidator,
            validators.ProhibitNullCharactersValidator,
        )
    )
    defaults.discard("")
    return defaults


DJANGO_DEFAULTS = _django_defaults()


def _forms():
    """One of every form, as the pages build it, by name."""
    action = ActionFactory(rag="green")
    finding = FindingFactory()
    plans = Plan.objects.all()
    empty = QueryDict("")
    return {
        "ActionUpdateForm": ActionUpdateForm(instance=action),
        "ActionForm (add)": ActionForm(),
        "ActionForm (edit)": ActionForm(instance=action),
        "PlanForm": PlanForm(),
        "PriorityForm": PriorityForm(),
        "OwnerForm": OwnerForm(),
        "FindingLinkForm": FindingLinkForm(
            action=action, findings=Finding.objects.all()
        ),
        "ChangeFilter": ChangeFilter(),
        "FindingForm": FindingForm(),
        "ActionLinkForm": ActionLinkForm(finding=finding, actions=Action.objects.all()),
        "ThemeForm": ThemeForm(),
        "InspectionForm": InspectionForm(),
        "JudgementForm": JudgementForm(),
        "MonitoringVisitForm": MonitoringVisitForm(),
        "BoardForm": BoardForm(plans=list(plans)),
        "BoardPackForm": BoardPackForm(empty, plans=plans, today=TODAY),
        "ChangesSinceForm": ChangesSinceForm(
            empty, plans=plans, default=plans.first(), today=TODAY
        ),
        "DriftForm": DriftForm(empty, plans=plans, today=TODAY),
        "ChangeExportForm": ChangeExportForm(empty, plans=plans),
        "GoldenThreadForm": GoldenThreadForm(
            empty, plans=plans, themes=Theme.objects.all()
        ),
        "ActionFilter": ActionFilter(empty, queryset=Action.objects.all()).form,
        "FindingFilter": FindingFilter(empty, queryset=Finding.objects.all()).form,
    }


def _names(form_field, name):
    """The words that name a field: its label's, and the name its date uses."""
    text = " ".join(
        str(part)
        for part in (
            form_field.label or name.replace("_", " "),
            getattr(form_field, "name_for_errors", ""),
        )
    )
    words = set(re.findall(r"[a-z0-9]+", text.lower())) - STOPWORDS
    return {word.rstrip("s") for word in words}


def _messages(form_field):
    """Every message the field holds, by code, its validators' included."""
    messages = dict(form_field.error_messages)
    for validator in form_field.validators:
        code = getattr(validator, "code", None)
        if code and code not in messages:
            messages[code] = str(getattr(validator, "message", ""))
    return messages


def test_every_form_uses_the_one_home_of_messages():
    from improvement.kernel.forms import GovukMessagesMixin

    for name, form in _forms().items():
        assert isinstance(form, GovukMessagesMixin), name


def test_every_message_names_its_field_in_govuk_words():
    problems = []
    for form_name, form in _forms().items():
        for name, form_field in form.fields.items():
            for code, message in _messages(form_field).items():
                text = str(message)
                where = f"{form_name}.{name} [{code}]: {text!r}"
                if text in DJANGO_DEFAULTS:
                    problems.append(f"{where} is Django's default")
                    continue
                if form_field.widget.is_hidden:
                    continue  # not a question: says the page is out of date
                said = {w.rstrip("s") for w in re.findall(r"[a-z0-9]+", text.lower())}
                if not said & _names(form_field, name):
                    problems.append(f"{where} does not name the field")
    assert not problems, "\n".join(problems)


def test_no_empty_choice_shows_dashes():
    for form_name, form in _forms().items():
        for name, form_field in form.fields.items():
            if isinstance(form_field, forms.ModelChoiceField):
                labels = [form_field.empty_label]
            elif isinstance(form_field, forms.ChoiceField):
                labels = [label for _, label in form_field.choices]
            else:
                continue
            assert "---------" not in labels, f"{form_name}.{name}"


def test_hidden_fields_say_the_page_is_out_of_date():
    form = ActionUpdateForm(instance=ActionFactory())
    assert form.fields["version"].error_messages["invalid"] == STALE_PAGE


# On the pages ---------------------------------------------------------------


def _error(response, name):
    soup = __import__("bs4").BeautifulSoup(response.content, "html.parser")
    tag = soup.find(id=f"id_{name}_error")
    return " ".join(tag.get_text(" ").split()) if tag else None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"narrative": "x" * 6839},
            "narrative",
            "Progress since the last update must be 5,000 characters or fewer",
        ),
        (
            {"evidence_url": "a file on the shared drive"},
            "evidence_url",
            "Enter a link to the evidence in the correct format, "
            "like https://www.example.com/report.pdf",
        ),
        (
            {"status": "paused", "status_reason": "x" * 5001},
            "status_reason",
            "Reason for pausing or withdrawing must be 5,000 characters or fewer",
        ),
        ({"status": "finished"}, "status", "Select the delivery status from the list"),
    ],
)
def test_the_update_page_names_the_field(
    client_as_officer, officer, changes, field, message
):
    action = ActionFactory(lead_owner=officer.owner, rag="green")
    data = {
        "version": action.version,
        "status": action.status,
        "rag": action.rag,
        "impact": action.impact,
        "due_date_0": action.due_date.day,
        "due_date_1": action.due_date.month,
        "due_date_2": action.due_date.year,
        **changes,
    }
    url = reverse("improvement:action_progress", args=[action.pk])
    response = client_as_officer.post(url, data)
    assert response.status_code == 200
    assert _error(response, field) == f"Error: {message}"


def test_long_text_has_a_character_count_and_no_maxlength(client_as_officer, officer):
    action = ActionFactory(lead_owner=officer.owner)
    url = reverse("improvement:action_progress", args=[action.pk])
    html = client_as_officer.get(url).content.decode()
    assert not re.search(r"\smaxlength=", html)
    assert 'data-module="govuk-character-count" data-maxlength="5000"' in html
    assert "You can enter up to 5,000 characters" in html
    assert 'data-maxlength="1000"' in html  # the reason for moving the due date


def test_reasons_say_when_they_are_needed_and_are_revealed(client_as_officer, officer):
    """Labelled by when they are needed, never "(optional)", and each inside a
    GOV.UK conditional reveal that the answers needing it open."""
    action = ActionFactory(lead_owner=officer.owner)
    url = reverse("improvement:action_progress", args=[action.pk])
    soup = __import__("bs4").BeautifulSoup(
        client_as_officer.get(url).content, "html.parser"
    )

    def label(name):
        return " ".join(
            soup.find("label", attrs={"for": f"id_{name}"}).get_text().split()
        )

    assert label("status_reason") == (
        "Reason for pausing or withdrawing – needed if you pause or withdraw the action"
    )
    assert label("impact_evidence") == (
        "Evidence of impact – needed if impact is evidenced or embedded"
    )
    assert label("due_date_reason") == (
        "Reason for moving the due date – needed if you change the due date"
    )
    for name, opened_by in [
        ("status_reason", {"paused", "withdrawn"}),
        ("impact_evidence", {"evidenced", "embedded"}),
    ]:
        reveal = soup.find(id=f"id_{name}-reveal")
        assert reveal.find(class_="govuk-radios__conditional").find(id=f"id_{name}")
        assert not reveal.has_attr("hidden"), "shown until JavaScript hides it"
        radios = soup.find_all("input", attrs={"data-app-reveals": reveal["id"]})
        assert {radio["value"] for radio in radios} == opened_by
    due = soup.find(id="id_due_date_reason-reveal")
    assert due["data-app-reveal-date"] == action.due_date.isoformat()
