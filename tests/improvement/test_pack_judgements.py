"""The board pack shows the judgements later visits made of the plan's
findings as they were known on the pack's date.

The story: an inspection in October 2025 raised R1, R2, R3 and R10; the
plan answers it. Monitoring visit 1 started on 13 January 2026 and visit 2
on 14 April 2026.

- 20 January: visit 1's judgement of R1 is recorded (some progress).
- 10 February: visit 1's judgement of R2 is recorded (no progress).
- 1 March: R1's judgement at visit 1 is corrected (improved, not embedded).
- 20 April: visit 2's judgements of R1 (embedded) and R3 (some progress)
  are recorded.
- 25 April: visit 1's judgement of R3 is recorded late (no progress), and
  of R10 (some progress).
- 5 May: R2's judgement is deleted: it had been entered by mistake.
"""

import datetime
import io

import pypdf
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from findings.known import PROGRESS_ORDER, judgements_known
from findings.models import FindingJudgement
from improvement.kernel.dates import end_of_day
from improvement.kernel.history import acting_as
from tests.factories import (
    FindingFactory,
    FindingJudgementFactory,
    InspectionFactory,
    MonitoringVisitFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db

Progress = FindingJudgement.Progress
TODAY = datetime.date(2026, 6, 1)


def _at(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC),
        tick=False,
    )


def _judge(finding, visit, progress, words="The visit's words."):
    return FindingJudgementFactory(
        finding=finding, monitoring_visit=visit, progress=progress, words=words
    )


@pytest.fixture
def story(manager):
    with acting_as(manager):
        with _at(datetime.date(2025, 11, 1)):
            inspection = InspectionFactory()
            plan = PlanFactory(
                start_date=datetime.date(2025, 11, 1), inspections=[inspection]
            )
            findings = {
                ref: FindingFactory(
                    inspection=inspection, reference=ref, title=f"Finding {ref}"
                )
                for ref in ("R1", "R2", "R3", "R10")
            }
            # Another plan's finding, judged too: never in this plan's pack.
            other = FindingFactory(reference="R4", title="Somebody else's")
            first = MonitoringVisitFactory(
                inspection=inspection,
                sequence=1,
                start_date=datetime.date(2026, 1, 13),
                end_date=datetime.date(2026, 1, 14),
            )
            second = MonitoringVisitFactory(
                inspection=inspection,
                sequence=2,
                start_date=datetime.date(2026, 4, 14),
                end_date=datetime.date(2026, 4, 15),
            )
            _judge(
                other,
                MonitoringVisitFactory(inspection=other.inspection),
                Progress.NO_PROGRESS,
            )
        with _at(datetime.date(2026, 1, 20)):
            r1_first = _judge(
                findings["R1"],
                first,
                Progress.SOME_PROGRESS,
                "Some supervision is now regular.",
            )
        with _at(datetime.date(2026, 2, 10)):
            r2 = _judge(findings["R2"], first, Progress.NO_PROGRESS)
        with _at(datetime.date(2026, 3, 1)):
            r1_first.progress = Progress.IMPROVED_NOT_EMBEDDED
            r1_first.words = "Supervision is regular; not yet embedded."
            r1_first.save()
        with _at(datetime.date(2026, 4, 20)):
            _judge(findings["R1"], second, Progress.EMBEDDED, "Now embedded.")
            _judge(findings["R3"], second, Progress.SOME_PROGRESS)
        with _at(datetime.date(2026, 4, 25)):
            _judge(findings["R3"], first, Progress.NO_PROGRESS)
            _judge(findings["R10"], first, Progress.SOME_PROGRESS)
        with _at(datetime.date(2026, 5, 5)):
            r2.delete()
    return {"plan": plan, "first": first, "second": second, **findings}


def _known(story, day=None):
    when = None if day is None else end_of_day(day)
    return judgements_known(story["plan"], when)


def _seen(known):
    return [
        (j.finding.reference, j.visit.sequence, j.progress) for j in known.judgements
    ]


def test_a_judgement_recorded_after_the_date_was_not_known(story):
    # Visit 1 had started, but nothing it judged had been recorded yet.
    assert not _known(story, datetime.date(2026, 1, 19))
    assert _seen(_known(story, datetime.date(2026, 1, 20))) == [
        ("R1", 1, Progress.SOME_PROGRESS)
    ]


def test_a_judgement_changed_after_the_date_shows_as_it_stood(story):
    [before] = _known(story, datetime.date(2026, 2, 1)).judgements
    assert before.progress == Progress.SOME_PROGRESS
    assert before.progress_label == "Some progress"
    assert before.words == "Some supervision is now regular."
    after = _known(story, datetime.date(2026, 3, 1)).judgements
    assert after[-1].progress == Progress.IMPROVED_NOT_EMBEDDED
    assert after[-1].words == "Supervision is regular; not yet embedded."


def test_a_judgement_deleted_after_the_date_was_still_known(story):
    assert ("R2", 1, Progress.NO_PROGRESS) in _seen(
        _known(story, datetime.date(2026, 5, 4))
    )
    assert "R2" not in [r for r, *_ in _seen(_known(story, datetime.date(2026, 5, 5)))]
    assert "R2" not in [r for r, *_ in _seen(_known(story))]


def test_the_latest_is_the_most_recent_visit_not_the_latest_recorded(story):
    # R3's judgement at visit 1 was recorded after visit 2's: visit 2's counts.
    seen = dict((r, (v, p)) for r, v, p in _seen(_known(story)))
    assert seen["R3"] == (2, Progress.SOME_PROGRESS)
    assert seen["R1"] == (2, Progress.EMBEDDED)
    # Before visit 2's judgements were recorded, visit 1's was the latest.
    seen = dict(
        (r, (v, p)) for r, v, p in _seen(_known(story, datetime.date(2026, 4, 19)))
    )
    assert seen["R1"] == (1, Progress.IMPROVED_NOT_EMBEDDED)


def test_least_progress_first_then_by_reference_with_counts(story):
    known = _known(story, datetime.date(2026, 4, 30))
    assert _seen(known) == [
        ("R2", 1, Progress.NO_PROGRESS),
        ("R3", 2, Progress.SOME_PROGRESS),
        ("R10", 1, Progress.SOME_PROGRESS),  # R3 before R10, read as numbers
        ("R1", 2, Progress.EMBEDDED),
    ]
    assert [(c.progress, c.count) for c in known.counts] == [
        (Progress.NO_PROGRESS, 1),
        (Progress.NOT_YET_TESTED, 0),
        (Progress.SOME_PROGRESS, 2),
        (Progress.IMPROVED_NOT_EMBEDDED, 0),
        (Progress.EMBEDDED, 1),
    ]
    assert known.total == 4
    assert PROGRESS_ORDER[0] == Progress.NO_PROGRESS
    assert PROGRESS_ORDER[-1] == Progress.EMBEDDED


def test_now_and_at_the_latest_moment_agree(story):
    def seen(known):
        return [
            (j.finding.pk, j.finding.reference, j.visit.pk, str(j.visit), j.progress)
            for j in known.judgements
        ]

    assert seen(_known(story)) == seen(_known(story, TODAY))
    assert seen(_known(story))  # something to compare


def test_the_cost_does_not_grow_with_the_judgements(story):
    def cost(day):
        with CaptureQueriesContext(connection) as captured:
            _known(story, day)
        return len(captured)

    days = (None, datetime.date(2026, 4, 30))
    small = [cost(day) for day in days]
    with _at(datetime.date(2026, 4, 21)):
        for _ in range(20):
            finding = FindingFactory(inspection=story["R1"].inspection)
            _judge(finding, story["first"], Progress.NO_PROGRESS)
            _judge(finding, story["second"], Progress.SOME_PROGRESS)
    assert _known(story, datetime.date(2026, 4, 30)).total == 24
    # Pinned: one query now, two as known on a past date.
    assert small == [cost(day) for day in days] == [1, 2]


def test_no_judgement_costs_the_same(manager):
    plan = PlanFactory(inspections=[InspectionFactory()])
    with CaptureQueriesContext(connection) as captured:
        assert not judgements_known(plan, end_of_day(datetime.date(2026, 1, 1)))
    assert len(captured) == 2


# The pack, on the page and in the PDF --------------------------------------


def _section(text):
    start = text.index('id="pack-judgements"')
    return text[start : text.index('class="govuk-heading-l"', start)]


def _pack(client, story, **query):
    with _at(TODAY):
        response = client.get(
            reverse("improvement:board_pack"), {"plan": story["plan"].pk, **query}
        )
    assert response.status_code == 200
    return response.text


def test_the_page_shows_the_judgements_known_on_its_date(client_as_board, story):
    now = _section(_pack(client_as_board, story))
    assert "Findings judged again at visits" in now
    assert "R2: Finding R2" not in now  # deleted since
    assert now.index("R3: Finding R3") < now.index("R1: Finding R1")
    assert "Now embedded." in now
    assert "Improved and embedded" in now
    assert story["second"].get_absolute_url() in now
    assert "R4" not in now

    march = _section(
        _pack(client_as_board, story, as_at="2026-03-15", since="2026-02-01")
    )
    assert "known at the end of 15 March 2026" in march
    assert march.index("R2: Finding R2") < march.index("R1: Finding R1")
    assert "Supervision is regular; not yet embedded." in march
    assert "Now embedded." not in march
    assert "R3: Finding R3" not in march

    january = _section(
        _pack(client_as_board, story, as_at="2026-01-19", since="2026-01-01")
    )
    assert "had been recorded by the end of 19 January 2026" in january
    assert "R1: Finding R1" not in january


def test_a_past_pack_says_coverage_is_today_and_judgements_are_then(
    client_as_board, story
):
    text = _pack(client_as_board, story, as_at="2026-03-15", since="2026-02-01")
    start = text.index('id="pack-thread"')
    thread = text[start : text.index('id="pack-judgements"')]
    assert "shown as they stand today, not as they stood at the end of 15 March" in (
        thread
    )
    assert 'id="pack-thread"' in text.split('id="pack-judgements"')[0]


def test_the_pdf_shows_the_judgements_known_then(client_as_board, story):
    with _at(TODAY):
        response = client_as_board.get(
            reverse("improvement:board_pack_pdf"),
            {"plan": story["plan"].pk, "as_at": "2026-03-15", "since": "2026-02-01"},
        )
        assert response["Content-Type"] == "application/pdf"
        content = b"".join(response.streaming_content)
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    # Table cells wrap in the PDF: read the words, not the lines.
    text = " ".join("".join(page.extract_text() for page in reader.pages).split())
    section = text[text.index("Findings judged again at visits") :]
    section = section[: section.index("Decisions and actions arising")]
    assert "Latest judgement of each finding, as known on 15 March 2026" in section
    assert section.index("R2: Finding R2") < section.index("R1: Finding R1")
    assert "Improved but not yet embedded" in section
    assert "Now embedded." not in section


def _dashboard_counts(client, story, **params):
    with _at(TODAY):
        response = client.get(
            reverse("improvement:dashboard"), {"plan": story["plan"].pk, **params}
        )
    assert response.status_code == 200
    text = response.text
    section = text[text.index('id="judgements"') : text.index("Needs attention")]
    known = response.context["judgements"]
    return section, {
        tally.progress: tally.count for tally in known.counts if tally.count
    }


def test_the_dashboard_counts_the_judgements_known_on_its_date(client_as_board, story):
    section, now = _dashboard_counts(client_as_board, story)
    assert now == {Progress.EMBEDDED: 1, Progress.SOME_PROGRESS: 2}
    assert "as known at the end of" not in section
    assert f"?plan={story['plan'].pk}" in section  # the golden thread, for detail

    section, march = _dashboard_counts(client_as_board, story, as_at="2026-03-15")
    assert march == {Progress.NO_PROGRESS: 1, Progress.IMPROVED_NOT_EMBEDDED: 1}
    assert "as known at the end of 15 March 2026" in section

    section, january = _dashboard_counts(client_as_board, story, as_at="2026-01-19")
    assert january == {}
    assert "No later visit had judged the progress" in section
