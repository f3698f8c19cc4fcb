"""The board pack: everything the Improvement Board reads before it meets.

The same content as a printable page and as a tagged, accessible A4 PDF with
the council's name, the date and page numbers on every page. Read-only: every
role with the view permission may open or download it.
"""

import datetime

from django import forms
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from improvement import charts, reporting
from improvement.changes import changes_between, day_window, default_plan
from improvement.models import Plan
from improvement.thread import golden_thread
from improvement.views.changes_since import date_field, filled_in, plan_field

#: The comparison date defaults to this many days before the pack's date.
DEFAULT_COMPARISON_DAYS = 30


class BoardPackForm(forms.Form):
    """The plan, the pack's date and the date to compare with. A GET form."""

    plan = plan_field(
        required=True,
        empty_label=None,
        error_messages={
            "required": "Select a plan",
            "invalid_choice": "Select a plan from the list",
        },
    )
    as_at = date_field("Date of the pack", "The date of the pack")
    since = date_field(
        "Compare with", "The comparison date", "Usually the date of the last board"
    )

    def __init__(self, data, *, plans, today):
        as_at = _parse(data.get("as_at")) or today
        data = filled_in(
            data,
            {
                "plan": getattr(default_plan(plans), "pk", None),
                "as_at": today,
                "since": as_at - datetime.timedelta(days=DEFAULT_COMPARISON_DAYS),
            },
        )
        super().__init__(data)
        self.today = today
        self.fields["plan"].queryset = plans

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


def _parse(text):
    try:
        return forms.DateField(input_formats=["%Y-%m-%d"]).clean(text)
    except forms.ValidationError:
        return None


def _pack_context(request):
    """The form and, when it is valid, everything the pack shows."""
    plans = Plan.objects.visible_to(request.user)
    today = timezone.localdate()
    form = BoardPackForm(request.GET, plans=plans, today=today)
    context = {"form": form, "page_title": "Board pack", "pack": None}
    if not plans.exists() or not form.is_valid():
        return context
    plan, as_at, since = (form.cleaned_data[k] for k in ("plan", "as_at", "since"))
    figures = reporting.board_figures(plan, None if as_at == today else as_at)
    start, end = day_window(since, as_at)
    context["pack"] = {
        "plan": plan,
        "as_at": as_at,
        "since": since,
        "is_today": as_at == today,
        "figures": figures,
        "summary": figures.summary,
        "status_chart": charts.status_by_priority_chart(figures.priorities),
        "rag_chart": charts.rag_by_priority_chart(figures.priorities),
        "thread": golden_thread(plan),
        "changes": changes_between(plan, start, end),
        "query": request.GET.urlencode(),
    }
    return context


@require_safe
@permission_required("improvement.view_action", raise_exception=True)
def board_pack(request):
    """The board pack as a printable page, with a link to the PDF."""
    return render(request, "improvement/board_pack.html", _pack_context(request))


@require_safe
@permission_required("improvement.view_action", raise_exception=True)
def board_pack_pdf(request):
    """The board pack as a tagged A4 PDF (PDF/UA), ready to circulate."""
    context = _pack_context(request)
    pack = context["pack"]
    if pack is None:
        # Bad choices: show the form with its messages instead of a PDF.
        return render(request, "improvement/board_pack.html", context)
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_to_string("improvement/board_pack_pdf.html", context, request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"board-pack-{pack['as_at']:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
