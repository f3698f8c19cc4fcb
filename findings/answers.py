"""What answers a finding: an extension point the improvement plan fills.

Findings sit below the improvement plan and never import it, not even by
reflection. The plan app's ``ready()`` calls ``offer`` with an object that
knows its actions (``improvement.plan.answers.ActionAnswers``); until then,
or without the plan app, the findings' pages show no actions.

An answers object has:

* ``is_answered()``: an expression, true where something answers the row's
  finding (``FindingQuerySet.with_is_answered``);
* ``prefetch(user)``: a ``Prefetch`` that puts, on each finding of a list, the
  records answering it that ``user`` may see, as ``finding.answers``; and
  ``list_template``, the template showing them in the register's table;
* ``panel(request, finding)``: what the finding's page shows about them (a
  ``Panel``: the buttons, the panel's template and its context);
* ``timeline(finding)``: history entries of the links to and from the finding;
* ``downloads()``: the register with what answers each finding, to download:
  ``csv_url`` and ``xlsx_url``, to which the register adds its filters (none
  without a plan app);
* ``links_page(request, pk)``: the page linking and unlinking them
  (``findings:finding_actions``).
"""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Value
from django.http import Http404


@dataclass
class Panel:
    """What a finding's page shows of the records answering it.

    ``buttons`` are ``(label, url, secondary)`` shown before "Edit finding";
    ``template`` is rendered with ``context``; ``is_unanswered`` adds the
    "Not answered" tag to the heading.
    """

    template: str
    context: dict = field(default_factory=dict)
    buttons: list = field(default_factory=list)
    is_unanswered: bool = False


class NoAnswers:
    """Nothing answers findings: what the pages use until a plan app offers."""

    list_template = ""

    def is_answered(self):
        return Value(False, output_field=BooleanField())

    def prefetch(self, user):
        return None

    def panel(self, request, finding):
        return None

    def timeline(self, finding):
        return []

    def downloads(self):
        return {}

    def links_page(self, request, pk):
        raise Http404


_answers = NoAnswers()


def offer(answers):
    """Let ``answers`` show and link what answers findings (the plan's ``ready()``)."""
    global _answers
    _answers = answers


def answers():
    """The answers object offered (``NoAnswers`` until one is)."""
    return _answers


def links_page(request, pk):
    """``findings:finding_actions``: served by the offered answers object."""
    return _answers.links_page(request, pk)
