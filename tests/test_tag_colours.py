"""Every choice shown as a GOV.UK tag has its own colour, not the grey fallback."""

import pytest

from findings.models import Finding, FindingJudgement
from improvement.kernel.templatetags.govuk import TAG_COLOURS
from improvement.plan.models import Action, Plan
from visits.models import Grade

#: Choices whose values the pages show as tags.
TAGGED_CHOICES = [
    Action.Status,
    Action.Impact,
    Finding.Kind,
    Finding.Priority,
    Plan.Status,
    Grade,
    FindingJudgement.Progress,
]


@pytest.mark.parametrize("choices", TAGGED_CHOICES, ids=lambda c: c.__qualname__)
def test_every_tagged_choice_has_a_colour(choices):
    assert [value for value in choices.values if value not in TAG_COLOURS] == []


def test_a_finding_judged_to_have_made_no_progress_shows_red():
    assert TAG_COLOURS[FindingJudgement.Progress.NO_PROGRESS] == "red"
    assert TAG_COLOURS[FindingJudgement.Progress.EMBEDDED] == "green"
