"""Recent changes: every change across one plan, newest first, filtered.

History tables grow large (hundreds of thousands of rows), so the page never
loads a whole table. One query finds the page's rows across the four history
tables (a UNION ALL of ids and dates, sorted and sliced by the database); a
fixed number of further queries load those records, the record before each,
and the names the changes mention.

A progress update belongs to the plan its action was in when the change was
made, and names the action as it was then, so moving an action to another
plan rewrites neither plan's list.

A row whose only difference is in a hidden field is left out when the page is
described, so a page can hold a few fewer than 25 changes; the count above the
list includes them.
"""

import datetime

from django.core.paginator import Paginator
from django.db.models import CharField, Value
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from improvement.board import exports
from improvement.board.forms import ChangeFilter, default_plan
from improvement.board.periods import start_of_day
from improvement.board.plan_history import action_then, updates_in_plan
from improvement.kernel import spreadsheets
from improvement.kernel.dates import govuk_date
from improvement.kernel.history import describe
from improvement.kernel.links import record_url
from improvement.kernel.permissions import can_view_actions, require
from improvement.kernel.timeline import with_records_before
from improvement.plan.models import Action, Plan, Priority, ProgressUpdate

PAGE_SIZE = 25

#: The kinds of object whose changes the list shows, by the name rows carry.
MODELS = {
    "plan": Plan,
    "priority": Priority,
    "action": Action,
    "progress_update": ProgressUpdate,
}


def _history_in_plan(kind, plan):
    """Historical records of one kind that belong to ``plan``."""
    history = MODELS[kind].history
    if kind == "plan":
        return history.filter(id=plan.pk)
    if kind == "progress_update":
        # In the plan its action was in when the change was made.
        return updates_in_plan(history.all(), plan, when="history_date")
    return history.filter(plan_id=plan.pk)


def plan_changes(plan, *, kinds=None, person=None, date_from=None, date_to=None):
    """Rows ``{kind, history_id, history_date}`` of every change in ``plan``.

    Newest first. Only ids and dates are selected, so the database can count,
    sort and slice them without reading whole records. With progress updates
    among the kinds, one query first reads which actions have ever been in
    the plan (``plan_history.plan_actions``).
    """
    parts = []
    for kind in kinds or MODELS:
        rows = _history_in_plan(kind, plan).order_by()
        if person is not None:
            rows = rows.filter(history_user=person)
        if date_from is not None:
            rows = rows.filter(history_date__gte=start_of_day(date_from))
        if date_to is not None:
            next_day = date_to + datetime.timedelta(days=1)
            rows = rows.filter(history_date__lt=start_of_day(next_day))
        parts.append(
            rows.annotate(kind=Value(kind, output_field=CharField())).values(
                "kind", "history_id", "history_date"
            )
        )
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("-history_date", "-history_id", "kind")


def _with_previous_ids(model, history_ids):
    """The records ``history_ids`` of ``model`` and the record just before
    each, with their links, each with ``previous_history_id``
    (``with_records_before``). A progress update also carries its action's
    reference when the change was made."""
    if model is ProgressUpdate:
        reference = action_then("reference", when="history_date")
        return with_records_before(model, history_ids, action_reference=reference)
    return with_records_before(model, history_ids)


def _subject_namer():
    """Name and link the object each record changed.

    A progress update names its action by the reference it had when the
    change was made (``action_reference``, from ``_with_previous_ids``).
    """

    def subject(record):
        model = record.instance_type
        if model is Plan:
            url = record_url("improvement:plan_detail", record.id)
            return (f"Plan: {record.name}", url)
        if model is Priority:
            url = record_url("improvement:priority_detail", record.id)
            return (f"Priority {record.number}: {record.title}", url)
        if model is Action:
            url = record_url("improvement:action_detail", record.id)
            return (f"Action {record.reference}: {record.title}", url)
        url = record_url("improvement:action_detail", record.action_id)
        when = govuk_date(record.update_date)
        reference = getattr(record, "action_reference", None)
        if reference is None:
            return (f"Progress update, {when}", f"{url}#progress")
        return (f"Progress update on action {reference}, {when}", f"{url}#progress")

    return subject


def describe_rows(rows):
    """Timeline entries for rows from ``plan_changes``, in the same order.

    Issues a fixed number of queries for any page: per kind present, one for
    the records and the records before them, with the records they name,
    and one per kind of link. Rows whose only change is hidden are dropped.
    """
    wanted = {}
    for row in rows:
        wanted.setdefault(row["kind"], []).append(row["history_id"])
    records = {}
    for kind, ids in wanted.items():
        for record in _with_previous_ids(MODELS[kind], ids):
            records[(kind, record.history_id)] = record

    pairs = []
    for row in rows:
        record = records.get((row["kind"], row["history_id"]))
        if record is None:
            continue
        before = records.get((row["kind"], record.previous_history_id))
        pairs.append((record, before))
    return describe(pairs, subject=_subject_namer())


def _filtered_changes(request):
    """``(plan, filter_form, filters, rows)`` for the page's query string.

    ``rows`` is the lazy list of the plan's changes that match the filters,
    newest first (None when there is no plan).
    """
    plans = list(Plan.objects.visible_to(request.user))
    data = request.GET.copy()
    if not data.get("plan"):
        default = default_plan(plans)
        if default is not None:
            data["plan"] = default.pk
    filter_form = ChangeFilter(data)
    filter_form.fields["plan"].plans = plans
    filters = filter_form.valid_filters()
    plan = filters.get("plan")
    if plan is None and "plan" in filter_form.errors:
        plan = default_plan(plans)
    rows = None
    if plan is not None:
        kind = filters.get("kind")
        rows = plan_changes(
            plan,
            kinds=[kind] if kind else None,
            person=filters.get("person"),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        )
    return plan, filter_form, filters, rows


@require_safe
@require(can_view_actions)
def change_list(request):
    """Board members and managers see what changed across a plan, and who did it."""
    plan, filter_form, filters, rows = _filtered_changes(request)
    page_obj, entries = None, []
    if rows is not None:
        page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        page_obj.object_list = list(page_obj.object_list)
        entries = describe_rows(page_obj.object_list)

    return render(
        request,
        "improvement/change_list.html",
        {
            "plan": plan,
            "filter_form": filter_form,
            "form": filter_form,
            "page_obj": page_obj,
            "object_list": page_obj.object_list if page_obj else [],
            "entries": entries,
            "filtered": bool(set(filters) - {"plan"}),
            "clear_url": (
                f"{request.path}?plan={plan.pk}" if plan is not None else request.path
            ),
            "download_limit": DOWNLOAD_LIMIT,
        },
    )


#: The most changes a download of recent changes holds; narrower filters for more.
DOWNLOAD_LIMIT = 2000
#: Rows described at a time: a fixed number of queries for each chunk.
DOWNLOAD_CHUNK = 500


def _recent_changes_download(request, extension):
    plan, _, _, rows = _filtered_changes(request)
    entries = []
    if rows is not None:
        selected = list(rows[:DOWNLOAD_LIMIT])
        for start in range(0, len(selected), DOWNLOAD_CHUNK):
            entries += describe_rows(selected[start : start + DOWNLOAD_CHUNK])
    name = f"recent-changes-{timezone.localdate():%Y-%m-%d}"
    return spreadsheets.download(exports.entries_table(entries), name, extension)


@require_safe
@require(can_view_actions)
def change_list_csv(request):
    """The recent changes with the page's filters, as CSV (up to 2,000 changes)."""
    return _recent_changes_download(request, "csv")


@require_safe
@require(can_view_actions)
def change_list_xlsx(request):
    """The recent changes with the page's filters, as Excel (up to 2,000 changes)."""
    return _recent_changes_download(request, "xlsx")
