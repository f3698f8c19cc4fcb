"""The board pack: everything the Improvement Board reads before it meets.

The same content as a printable page and as a tagged, accessible A4 PDF with
the council's name, the date and page numbers on every page. Read-only: every
role with the view permission may open or download it.

The PDF takes seconds to typeset for a busy plan, so a background job makes
it (see ``improvement.board.documents``): the first person to ask sees a page that
says it is being prepared; everyone after them, until something in the pack
changes, gets the kept file at once.
"""

import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST, require_safe

from improvement.board.documents.models import Document, IssuedPack
from improvement.board.documents.service import request_document, respond
from improvement.board.forms import (
    date_field,
    default_plan,
    filled_in,
    required_plan_field,
)
from improvement.board.pack import pack_content, pack_filename
from improvement.board.page_cache import cached_fragment
from improvement.board.periods import DEFAULT_PERIOD_DAYS
from improvement.kernel.dates import govuk_date
from improvement.kernel.forms import GovukMessagesMixin
from improvement.kernel.permissions import can_edit_meeting, can_view_actions, require
from improvement.kernel.query import positive_int
from improvement.meetings.models import Meeting
from improvement.plan.models import Plan


class BoardPackForm(GovukMessagesMixin, forms.Form):
    """The plan, the pack's date and the date to compare with. A GET form."""

    plan = required_plan_field()
    as_at = date_field("Date of the pack", "The date of the pack")
    since = date_field(
        "Compare with", "The comparison date", "Usually the date of the last board."
    )

    def __init__(self, data, *, plans, today):
        as_at = self.base_fields["as_at"].peek(data, "as_at") or today
        data = filled_in(
            data,
            {
                "plan": getattr(default_plan(plans), "pk", None),
                "as_at": today,
                "since": as_at - datetime.timedelta(days=DEFAULT_PERIOD_DAYS),
            },
        )
        super().__init__(data)
        self.today = today
        self.fields["plan"].plans = plans

    def clean(self):
        cleaned = super().clean()
        plan, as_at, since = (cleaned.get(k) for k in ("plan", "as_at", "since"))
        if as_at and as_at > self.today:
            self.add_error("as_at", "The date of the pack must be today or earlier")
        elif as_at and plan and as_at < plan.start_date:
            self.add_error(
                "as_at",
                "The date of the pack must be on or after the day the plan started",
            )
        if as_at and since and since >= as_at:
            self.add_error(
                "since", "The comparison date must be before the date of the pack"
            )
        return cleaned


def _choices(request):
    """The form, and ``(plan, as_at, since, today)`` when the choices are valid."""
    plans = list(Plan.objects.visible_to(request.user))
    today = timezone.localdate()
    form = BoardPackForm(request.GET, plans=plans, today=today)
    if not plans or not form.is_valid():
        return form, None
    plan, as_at, since = (form.cleaned_data[k] for k in ("plan", "as_at", "since"))
    return form, (plan, as_at, since, today)


def _page_context(form, **pack):
    return {"form": form, "page_title": "Board pack", **pack}


@require_safe
@require(can_view_actions)
def board_pack(request):
    """The board pack as a printable page, with a link to the PDF.

    The pack's content is built once for everyone until something in it
    changes (``page_cache``).
    """
    form, choices = _choices(request)
    if choices is None:
        return render(request, "improvement/board_pack.html", _page_context(form))
    plan, as_at, since, today = choices
    body = cached_fragment(
        request,
        "board_pack",
        plan,
        lambda: render_to_string(
            "improvement/includes/board_pack_content.html",
            {"pack": pack_content(*choices)},
        ),
        as_at=as_at,
        since=since,
    )
    context = _page_context(
        form,
        plan=plan,
        as_at=as_at,
        body=body,
        query=urlencode({"plan": plan.pk, "as_at": as_at, "since": since}),
    )
    return render(request, "improvement/board_pack.html", context)


@require_safe
@require(can_view_actions)
def board_pack_pdf(request):
    """The board pack as a tagged A4 PDF (PDF/UA), ready to circulate.

    Sends the kept PDF when one holds exactly this pack; otherwise queues the
    job that makes it and shows the page that follows its progress.
    """
    form, choices = _choices(request)
    if choices is None:
        # Bad choices: show the form with its messages instead of a PDF.
        return render(request, "improvement/board_pack.html", _page_context(form))
    return respond(_pack_document(request, *choices))


def _pack_document(request, plan, as_at, since, today):
    """The kept (or now being prepared) PDF of this pack."""
    query = urlencode({"plan": plan.pk, "as_at": as_at, "since": since})
    return request_document(
        request.user,
        kind=Document.Kind.BOARD_PACK,
        file_type=Document.FileType.PDF,
        plan=plan,
        parameters={
            "as_at": str(as_at),
            "since": str(since),
            "current": as_at == today,
            # Links in the PDF open the site at the address it was asked from.
            "base_url": request.build_absolute_uri("/"),
        },
        title=f"Board pack for {govuk_date(as_at)}, {plan.name}",
        filename=pack_filename(as_at),
        back_url=f"{reverse('improvement:board_pack')}?{query}",
    )


@require_POST
@require(can_edit_meeting)
def meeting_issuepack(request, pk):
    """Issue the board pack for a meeting: the PDF as at the meeting (today,
    for one still to come) compared with the body's previous meeting, kept
    as it is for the meeting whatever changes later."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    chosen = positive_int(request.POST.get("plan"))
    plan = meeting.plans.filter(pk=chosen).first() if chosen else None
    if plan is None:
        messages.error(request, "Select a plan this meeting reviews")
        return redirect(meeting)
    today = timezone.localdate()
    as_at, since = meeting.papers_dates(today, meeting.previous())
    since = since or as_at - datetime.timedelta(days=DEFAULT_PERIOD_DAYS)
    if as_at < plan.start_date:
        messages.error(
            request, "The pack cannot be issued: the plan started after the meeting"
        )
        return redirect(meeting)
    document = _pack_document(request, plan, as_at, since, today)
    IssuedPack.objects.create(
        meeting=meeting, plan=plan, document=document, issued_by=request.user
    )
    messages.success(
        request,
        f"The board pack for {plan.name} has been issued for this meeting. "
        "It stays as it is now, whatever changes later.",
    )
    return redirect(meeting)
