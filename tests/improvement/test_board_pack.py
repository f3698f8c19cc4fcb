"""The board pack: a printable page and a tagged A4 PDF with the same content."""

import datetime
import io

import pypdf
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from improvement.board.pack import PACK_LIST_ITEMS, PACK_SECTION_ITEMS, pdf_fetcher
from improvement.kernel.dates import end_of_day, govuk_date
from improvement.plan.models import Action
from tests.factories import (
    ActionArisingFactory,
    ActionFactory,
    DecisionFactory,
    FindingFactory,
    FindingJudgementFactory,
    InspectionFactory,
    MeetingFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db

A4 = (595.28, 841.89)


@pytest.fixture
def plan():
    inspection = InspectionFactory()
    plan = PlanFactory(
        name="Children's services improvement plan", inspections=[inspection]
    )
    priority = PriorityFactory(plan=plan, title="Supervision and caseloads")
    red = ActionFactory(priority=priority, title="Cut caseloads", rag="red")
    red.findings.add(FindingFactory(reference="R1", inspection=inspection))
    ActionFactory(
        priority=priority,
        title="Audit supervision",
        status=Action.Status.DELIVERED,
        original_due_date=datetime.date(2026, 3, 31),
    )
    FindingFactory(reference="R2", title="Nothing answers this", inspection=inspection)
    return plan


def _pdf(client, **params):
    """The PDF, made by the background job (run at once in the tests)."""
    response = client.get(reverse("improvement:board_pack_pdf"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    return response, pypdf.PdfReader(io.BytesIO(content))


def test_printable_page_shows_every_part_of_the_pack(client_as_board, plan):
    response = client_as_board.get(reverse("improvement:board_pack"))
    assert response.status_code == 200
    text = response.text
    for heading in [
        "Headline figures on",
        "Delivery status by priority",
        "RAG by priority",
        "Red actions",
        "Overdue actions",
        "Golden-thread coverage",
        "What changed since",
    ]:
        assert heading in text, heading
    assert "Cut caseloads" in text
    assert "Download the board pack as a PDF" in text


def test_pdf_is_a4_tagged_and_names_the_council_and_date_on_every_page(
    client_as_board, plan, settings
):
    today = timezone.localdate()
    response, reader = _pdf(client_as_board)
    assert (
        f'filename="board-pack-{today:%Y-%m-%d}.pdf"'
        in (response["Content-Disposition"])
    )
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    pages = reader.pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (595.3, 841.9)
        text = page.extract_text()
        assert settings.COUNCIL_NAME in text
        assert govuk_date(today) in text
        assert f"Page {number} of {len(pages)}" in text
    everything = "".join(page.extract_text() for page in pages)
    assert "Cut caseloads" in everything
    assert "Golden-thread coverage" in everything
    assert "R2: Nothing answers this" in everything


def test_bad_choices_show_messages_not_a_pdf(client_as_board, plan):
    url = reverse("improvement:board_pack_pdf")
    response = client_as_board.get(url, {"as_at": "2026-02-30", "since": "soon"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "The date of the pack must be a real date" in response.text
    later = client_as_board.get(
        reverse("improvement:board_pack"),
        {"as_at": "2026-11-01", "since": "2026-11-05"},
    )
    assert "The comparison date must be before the date of the pack" in later.text
    future = client_as_board.get(
        reverse("improvement:board_pack"), {"as_at": "2099-01-01"}
    )
    assert "The date of the pack must be today or earlier" in future.text


def test_every_role_may_read_the_pack_and_nobody_may_post(client_as_officer, plan):
    url = reverse("improvement:board_pack")
    assert Client().get(url).status_code == 302
    assert client_as_officer.get(url).status_code == 200
    assert client_as_officer.post(url).status_code == 405


def test_pack_queries_do_not_grow_with_the_plan(client_as_board, plan):
    """Guards against N+1 queries on the pack page."""
    priority = plan.priorities.get()
    inspection = plan.inspections.get()

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client_as_board.get(reverse("improvement:board_pack")).status_code
        return len(captured)

    today = timezone.localdate()

    def grow(n):
        for _ in range(n):
            action = ActionFactory(priority=priority, rag="red")
            action.findings.add(FindingFactory())
            FindingJudgementFactory(finding=FindingFactory(inspection=inspection))
            ProgressUpdateFactory(action=action)
            meeting = MeetingFactory(date=today, plans=[plan])
            DecisionFactory(agenda_item__meeting=meeting)
            ActionArisingFactory(agenda_item__meeting=meeting, due_date=today)

    grow(5)
    small = count()
    grow(60)
    # Pinned: a fixed extra query fails too.
    assert (small, count()) == (27, 27)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/health/",
        "https://example.org/logo.png",
        "file:///etc/hostname",
        "ftp://example.org/file",
    ],
)
def test_typesetting_the_pack_fetches_nothing_from_files_or_the_network(url):
    with pytest.raises(ValueError, match="disallowed protocol"):
        pdf_fetcher().fetch(url)


def test_typesetting_the_pack_may_read_inline_data():
    response = pdf_fetcher().fetch("data:text/plain;base64,UGFjaw==")
    assert response.read() == b"Pack"


def test_a_busy_period_lists_the_latest_changes_of_each_kind(client_as_board, plan):
    """Twenty-three progress updates in the period: the pack lists the latest
    five and links the download that holds every change."""
    assert PACK_SECTION_ITEMS == 5
    action = plan.priorities.get().actions.get(title="Cut caseloads")
    for number in range(1, 24):
        ProgressUpdateFactory(action=action, narrative=f"Update number {number:02}.")
    today = timezone.localdate()
    since = today - datetime.timedelta(days=30)
    params = {"plan": plan.pk, "as_at": today, "since": since}

    text = client_as_board.get(reverse("improvement:board_pack"), params).text
    section = text[text.index('id="pack-changes"') :]
    assert "The latest 5 of 23." in section
    assert "Update number 23." in section and "Update number 19." in section
    assert "Update number 18." not in section
    download = (
        f"{reverse('improvement:change_export_xlsx')}?plan={plan.pk}&amp;"
        f"since={since}&amp;until={today}"
    )
    assert f'href="{download}"' in section
    # The other kinds of change, five or fewer, are listed whole.
    assert section.count("The latest 5 of") == 1

    _response, reader = _pdf(client_as_board, **params)
    words = " ".join("".join(p.extract_text() for p in reader.pages).split())
    assert "The latest 5 of 23." in words
    assert "Update number 19." in words
    assert "Update number 18." not in words


def test_long_exception_lists_show_ten_and_link_the_whole_list(client_as_board, plan):
    """Twelve red actions: the pack lists ten, as the dashboard does, and
    links the register filtered to every red one (as it stood, for a pack
    of an earlier date)."""
    assert PACK_LIST_ITEMS == 10
    priority = plan.priorities.get()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with time_machine.travel(end_of_day(yesterday) - datetime.timedelta(hours=1)):
        for number in range(1, 12):
            ActionFactory(priority=priority, title=f"Red action {number:02}", rag="red")
    url = reverse("improvement:board_pack")

    text = client_as_board.get(url, {"plan": plan.pk}).text
    red = text[text.index('id="red"') : text.index('id="overdue"')]
    assert "Red actions (12)" in red
    assert red.count('<tr class="govuk-table__row">') == 1 + 10
    assert "Showing 10 of 12." in red
    register = reverse("improvement:action_list")
    assert f'href="{register}?plan={plan.pk}&amp;rag=red&amp;' in red

    earlier = client_as_board.get(url, {"plan": plan.pk, "as_at": yesterday}).text
    as_at = f"{reverse('improvement:as_at')}?plan={plan.pk}&amp;as_at={yesterday}"
    earlier_red = earlier[earlier.index('id="red"') : earlier.index('id="overdue"')]
    assert "Showing 10 of 11." in earlier_red
    assert f'href="{as_at}"' in earlier_red

    _response, reader = _pdf(client_as_board, plan=plan.pk)
    words = " ".join("".join(p.extract_text() for p in reader.pages).split())
    assert "Red actions (12)" in words
    assert "Showing 10 of 12. See all 12" in words
