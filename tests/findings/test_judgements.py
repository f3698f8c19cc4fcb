"""Findings judged again: a later visit's judgement of a finding's progress.

The model's rules, the pages that record and edit a judgement, who may use
them, the finding page showing the judgements and the latest one, and bounded
queries. The golden thread's part is in tests/improvement.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from findings.models import FindingJudgement
from improvement.kernel.history import acting_as
from tests.factories import (
    FindingFactory,
    FindingJudgementFactory,
    InspectionFactory,
    MonitoringVisitFactory,
    UserFactory,
)
from tests.helpers import sign_in_as, success_message

pytestmark = pytest.mark.django_db

NO_PROGRESS = FindingJudgement.Progress.NO_PROGRESS
SOME_PROGRESS = FindingJudgement.Progress.SOME_PROGRESS


@pytest.fixture
def story():
    """A finding of an inspection, two later visits of it and one of another."""
    inspection = InspectionFactory()
    return {
        "finding": FindingFactory(inspection=inspection, reference="R3"),
        "first": MonitoringVisitFactory(
            inspection=inspection,
            sequence=1,
            start_date=datetime.date(2026, 3, 10),
            end_date=datetime.date(2026, 3, 11),
        ),
        "second": MonitoringVisitFactory(
            inspection=inspection,
            sequence=2,
            start_date=datetime.date(2026, 7, 7),
            end_date=datetime.date(2026, 7, 8),
        ),
        "elsewhere": MonitoringVisitFactory(
            start_date=datetime.date(2026, 5, 5), end_date=datetime.date(2026, 5, 6)
        ),
    }


def _add_url(finding):
    return reverse("findings:finding_progress", args=[finding.pk])


def _edit_url(judgement):
    return reverse("findings:findingjudgement_edit", args=[judgement.pk])


def _data(visit, progress=SOME_PROGRESS, words="Leaders have improved oversight."):
    return {"monitoring_visit": visit.pk, "progress": progress, "words": words}


# The model's rules ---------------------------------------------------------


def test_a_visit_judges_a_finding_once(story):
    FindingJudgementFactory(finding=story["finding"], monitoring_visit=story["first"])
    again = FindingJudgement(
        finding=story["finding"],
        monitoring_visit=story["first"],
        progress=NO_PROGRESS,
        words="Again",
    )
    with pytest.raises(ValidationError) as error:
        again.full_clean()
    assert "already has a judgement of this finding" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        again.save()


def test_the_visit_that_raised_a_finding_cannot_judge_it(story):
    finding = FindingFactory(inspection=None, monitoring_visit=story["first"])
    judgement = FindingJudgement(
        finding=finding, monitoring_visit=story["first"], progress=SOME_PROGRESS
    )
    judgement.words = "Some"
    with pytest.raises(ValidationError) as error:
        judgement.full_clean()
    assert error.value.message_dict["monitoring_visit"] == [
        "Choose a later visit: this visit raised the finding"
    ]


def test_a_visit_before_the_finding_was_raised_cannot_judge_it(story):
    finding = FindingFactory(inspection=None, monitoring_visit=story["second"])
    judgement = FindingJudgement(
        finding=finding, monitoring_visit=story["first"], progress=NO_PROGRESS
    )
    judgement.words = "None"
    with pytest.raises(ValidationError) as error:
        judgement.full_clean()
    assert "after the finding was raised" in str(error.value)


def test_words_are_needed_unless_not_yet_tested(story):
    judgement = FindingJudgement(
        finding=story["finding"], monitoring_visit=story["first"], progress=NO_PROGRESS
    )
    with pytest.raises(ValidationError) as error:
        judgement.full_clean()
    assert "words" in error.value.message_dict
    judgement.progress = FindingJudgement.Progress.NOT_YET_TESTED
    judgement.full_clean()


# Recording and editing -----------------------------------------------------


def test_a_manager_records_a_judgement_with_history(client_as_manager, manager, story):
    finding = story["finding"]
    page = client_as_manager.get(_add_url(finding))
    assert page.status_code == 200
    offered = list(page.context["form"].fields["monitoring_visit"].queryset)
    assert offered == [story["first"], story["second"]]

    response = client_as_manager.post(
        _add_url(finding), _data(story["first"]), follow=True
    )
    judgement = FindingJudgement.objects.get()
    assert judgement.finding == finding
    assert judgement.progress == SOME_PROGRESS
    assert "Judgement of finding R3 added" in success_message(response)
    assert judgement.history.get().history_user == manager


def test_a_manager_edits_a_judgement_with_history(client_as_manager, manager, story):
    with acting_as(UserFactory()):
        judgement = FindingJudgementFactory(
            finding=story["finding"], monitoring_visit=story["first"]
        )
    response = client_as_manager.post(
        _edit_url(judgement),
        {**_data(story["first"], progress=NO_PROGRESS), "version": judgement.version},
    )
    assert response.status_code == 302
    judgement.refresh_from_db()
    assert judgement.progress == NO_PROGRESS
    assert judgement.history.first().history_user == manager
    assert judgement.history.count() == 2


def test_a_stale_edit_is_refused(client_as_manager, story):
    judgement = FindingJudgementFactory(
        finding=story["finding"], monitoring_visit=story["first"], words="First"
    )
    opened = judgement.version
    with acting_as(UserFactory(first_name="Priya", last_name="Shah")):
        current = FindingJudgement.objects.get(pk=judgement.pk)
        current.words = "Priya's wording"
        current.save()
    response = client_as_manager.post(
        _edit_url(judgement),
        {**_data(story["first"], words="My wording"), "version": opened},
    )
    assert response.status_code == 409
    assert "Priya Shah" in response.text
    judgement.refresh_from_db()
    assert judgement.words == "Priya's wording"


def test_a_second_judgement_at_the_same_visit_is_refused_beside_the_visit(
    client_as_manager, story
):
    FindingJudgementFactory(finding=story["finding"], monitoring_visit=story["first"])
    response = client_as_manager.post(_add_url(story["finding"]), _data(story["first"]))
    assert response.status_code == 200
    assert "already has a judgement" in str(
        response.context["form"].errors["monitoring_visit"]
    )
    assert FindingJudgement.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("progress", "brilliant", "Select a progress judgement from the list"),
        ("progress", "", "Select the progress the visit judged"),
        ("monitoring_visit", "abc", "Select a later visit or review from the list"),
        ("monitoring_visit", "99999999999999999999", "from the list"),
        ("monitoring_visit", "", "Select the visit or review that judged"),
        ("words", "Leaders\x00 have", "must not include control characters"),
        ("words", "", "Enter the visit's words"),
    ],
)
def test_bad_input_is_refused_beside_its_field(
    client_as_manager, story, field, value, message
):
    data = {**_data(story["first"]), field: value}
    response = client_as_manager.post(_add_url(story["finding"]), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message.lower() in errors.lower()
    assert FindingJudgement.objects.count() == 0


def test_a_visit_of_another_inspection_is_refused(client_as_manager, story):
    response = client_as_manager.post(
        _add_url(story["finding"]), _data(story["elsewhere"])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["monitoring_visit"] == [
        "Select a later visit or review from the list"
    ]
    assert FindingJudgement.objects.count() == 0


def test_an_edit_cannot_move_a_judgement_to_another_inspections_visit(
    client_as_manager, story
):
    judgement = FindingJudgementFactory(
        finding=story["finding"], monitoring_visit=story["first"]
    )
    response = client_as_manager.post(
        _edit_url(judgement),
        {**_data(story["elsewhere"]), "version": judgement.version},
    )
    assert response.status_code == 200
    assert "monitoring_visit" in response.context["form"].errors
    judgement.refresh_from_db()
    assert judgement.monitoring_visit == story["first"]


# Who may do what -----------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"), [("board", 403), ("officer", 403), ("manager", 200)]
)
def test_only_managers_record_and_edit_judgements(request, story, role, status):
    client = request.getfixturevalue(f"client_as_{role}")
    judgement = FindingJudgementFactory(
        finding=story["finding"], monitoring_visit=story["first"]
    )
    assert client.get(_add_url(story["finding"])).status_code == status
    assert client.get(_edit_url(judgement)).status_code == status
    if status == 403:
        assert (
            client.post(_add_url(story["finding"]), _data(story["second"])).status_code
            == 403
        )
        assert FindingJudgement.objects.count() == 1


@pytest.mark.parametrize("role", ["board", "officer", "manager"])
def test_every_role_sees_the_judgements_on_the_finding_page(request, story, role):
    client = request.getfixturevalue(f"client_as_{role}")
    FindingJudgementFactory(
        finding=story["finding"],
        monitoring_visit=story["first"],
        progress=NO_PROGRESS,
        words="Supervision remains irregular.",
    )
    response = client.get(story["finding"].get_absolute_url())
    assert "Progress judged at later visits" in response.text
    assert "Supervision remains irregular." in response.text
    has_button = "Record progress judged at a later visit" in response.text
    assert has_button == (role == "manager")


def test_no_role_sees_no_judgement(client, no_group_user, story):
    judgement = FindingJudgementFactory(
        finding=story["finding"], monitoring_visit=story["first"], words="Hidden words"
    )
    sign_in_as(client, no_group_user)
    for url in (story["finding"].get_absolute_url(), _edit_url(judgement)):
        response = client.get(url)
        assert response.status_code == 403
        assert "Hidden words" not in response.text


# The finding page ----------------------------------------------------------


def test_the_finding_page_shows_judgements_oldest_first_and_the_latest_at_the_top(
    client_as_board, story
):
    FindingJudgementFactory(
        finding=story["finding"],
        monitoring_visit=story["second"],
        progress=FindingJudgement.Progress.IMPROVED_NOT_EMBEDDED,
        words="Second visit words",
    )
    FindingJudgementFactory(
        finding=story["finding"],
        monitoring_visit=story["first"],
        progress=NO_PROGRESS,
        words="First visit words",
    )
    response = client_as_board.get(story["finding"].get_absolute_url())
    text = response.text
    assert text.index("First visit words") < text.index("Second visit words")
    latest = response.context["latest_judgement"]
    assert latest.monitoring_visit == story["second"]
    top = text[text.index('id="latest-judgement"') :]
    assert "Improved but not yet embedded" in top[:600]
    assert story["second"].get_absolute_url() in text
    assert "7 July 2026" in text


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_finding_page_does_not_grow_with_its_judgements(client_as_manager):
    inspection = InspectionFactory()
    finding = FindingFactory(inspection=inspection)

    def grow(count, start):
        for n in range(count):
            visit = MonitoringVisitFactory(
                inspection=inspection,
                start_date=datetime.date(2026, 1, 1)
                + datetime.timedelta(days=start + n),
                end_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=start + n),
            )
            judgement = FindingJudgementFactory(finding=finding, monitoring_visit=visit)
            judgement.words = f"Edited {n}"
            judgement.save()

    grow(2, 0)
    small = _queries(client_as_manager, finding.get_absolute_url())
    grow(40, 10)
    large = _queries(client_as_manager, finding.get_absolute_url())
    assert small == large
