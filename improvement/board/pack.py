"""The board pack's content, and the pack as a tagged A4 PDF.

``pack_content`` gathers everything the pack shows for a plan and two dates;
the printable page renders it in a request, and ``pack_pdf`` typesets it with
WeasyPrint in a background job (it takes seconds for a busy plan, so it never
runs while a person's request waits). Nothing here reads a request.
"""

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from findings.known import judgements_known
from findings.models import FindingJudgement
from improvement.audits import grade_mix
from improvement.audits.known import audits_known
from improvement.audits.models import Audit
from improvement.board import charts
from improvement.board.change_report import Section
from improvement.board.figures import board_figures, more_urls
from improvement.board.periods import day_window
from improvement.board.plan_history import plan_actions
from improvement.board.thread import golden_thread
from improvement.board.what_changed import changes_between
from improvement.imports.as_stated import as_stated
from improvement.imports.known import imported_after
from improvement.kernel.dates import end_of_day
from improvement.measures.known import measures_known
from improvement.measures.models import Measure, MeasureTarget, MeasureValue
from improvement.meetings.known import meeting_record
from improvement.meetings.models import ActionArising, AgendaItem, Decision, Meeting

#: What the pack shows besides the plan's own records: a change to any of
#: these makes a new PDF (see ``documents.service.latest_change``).
PACK_RECORDS = (
    Measure,
    MeasureTarget,
    MeasureValue,
    Audit,
    Meeting,
    AgendaItem,
    Decision,
    ActionArising,
    FindingJudgement,
)


#: The most changes of one kind the pack lists: a busy month's hundreds of
#: progress updates would otherwise make a pack of fifty pages. The rest are
#: in the download of what changed for the same period.
PACK_SECTION_ITEMS = 5

#: The most actions each exception list shows (red, overdue, stale, most
#: slipped), as on the dashboard; each links to the register's whole list.
PACK_LIST_ITEMS = 10


@dataclass
class PackSection:
    """A section of what changed as the pack lists it: the ``section`` with
    only its latest ``PACK_SECTION_ITEMS`` changes (still oldest first), and
    how many of the section's changes the pack leaves to the download."""

    section: Section
    total: int
    left_out: int


def pack_sections(report):
    """The report's sections, each cut to its latest ``PACK_SECTION_ITEMS``."""
    shown = []
    for section in report.sections:
        latest = section.items[-PACK_SECTION_ITEMS:]
        shown.append(
            PackSection(
                section=replace(section, items=latest),
                total=len(section.items),
                left_out=len(section.items) - len(latest),
            )
        )
    return shown


def changes_download_url(plan, since, until):
    """The download of every change the pack's period holds (Excel)."""
    query = urlencode({"plan": plan.pk, "since": since, "until": until})
    return f"{reverse('improvement:change_export_xlsx')}?{query}"


def pack_content(plan, as_at, since, today):
    """What the pack shows for ``plan`` on ``as_at``, compared with ``since``."""
    is_today = as_at == today
    when = None if is_today else end_of_day(as_at)
    actions = plan_actions(plan)
    figures = board_figures(plan, None if is_today else as_at, actions=actions)
    start, end = day_window(since, as_at)
    changes = changes_between(plan, start, end, actions=actions)
    imported = when and imported_after(plan, when)
    audit_mix, audit_months = grade_mix.for_board(audits_known(plan, when))
    return {
        "plan": plan,
        "as_at": as_at,
        "since": since,
        "is_today": is_today,
        "figures": figures,
        "summary": figures.summary,
        "list_limit": PACK_LIST_ITEMS,
        "more_urls": more_urls(plan, None if is_today else as_at),
        "status_chart": charts.status_by_priority_chart(figures.priorities),
        "rag_chart": charts.rag_by_priority_chart(figures.priorities),
        "thread": golden_thread(plan, themes=False),
        "judgements": judgements_known(plan, when),
        "changes": changes,
        "change_sections": pack_sections(changes),
        "section_limit": PACK_SECTION_ITEMS,
        "changes_download_url": changes_download_url(plan, since, as_at),
        "measures": measures_known(plan, when),
        "audits": audit_mix,
        "audit_months": audit_months,
        "audits_url": f"{reverse('audits:audit_list')}?plan={plan.pk}",
        "meetings": meeting_record(plan, since, as_at, when),
        "imported": imported,
        # What a tracker imported later stated for the date, shown apart:
        # never mixed into the figures or changes.
        "stated": as_stated(imported, as_at) if imported else None,
    }


def pdf_fetcher():
    """What WeasyPrint may fetch while it typesets the pack: ``data:`` URLs
    only. The stylesheet and the charts are inline, so nothing is needed
    from a file or the network, and no text in the pack can make the worker
    fetch one (server-side request forgery)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def pack_pdf(pack, base_url):
    """The pack as PDF bytes (PDF/UA: tagged, with the document's language).

    ``base_url`` is the site's address, so the pack's links to findings and
    actions open the application; it is never fetched (``pdf_fetcher``).
    """
    from weasyprint import HTML  # heavy import, only where a PDF is made

    html = render_to_string(
        "improvement/board_pack_pdf.html",
        {
            "pack": pack,
            "council_name": settings.COUNCIL_NAME,
            "service_name": settings.SERVICE_NAME,
        },
    )
    document = HTML(string=html, base_url=base_url, url_fetcher=pdf_fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")


def pack_filename(as_at):
    return f"board-pack-{as_at:%Y-%m-%d}.pdf"
