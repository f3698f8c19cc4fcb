"""The board's pages, built once for everyone who asks until something changes.

A board of twelve opening the same dashboard before a meeting should cost one
build. ``cached_fragment`` keeps the rendered body of a board page in Django's
cache (Redis when ``REDIS_URL`` is set, so every app server shares it; this
process's memory otherwise) under a key made of:

* the page and the choices that shaped it (plan, dates, theme);
* ``change_stamp``: the newest history row of every record the page may show
  (and how many actions the plan has). Every change writes one (web, admin,
  commands and imports alike), so any change makes a new key, and a body
  built before it is never found again;
* today's date (overdue, stale and "due soon" depend on it), the settings the
  page shows, and the permissions of the person asking (the links offered);
* the generation of people's names (``kernel.kept``): the pages name who
  made each change, and a rename writes no history.

A kept body is dropped ``BOARD_PAGE_SECONDS`` after it was built. If
the cache cannot be reached the page is built as if nothing were kept.
"""

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe

from improvement.board.warming import remember_read
from improvement.kernel.kept import (
    count,
    first,
    kept,
    key_of,
    names_generation,
    newest,
    newest_rows,
)
from improvement.plan.models import Action, Plan, Priority

#: Raise this when what a kept page holds changes shape (its templates), so
#: bodies kept by an older release are not shown.
PAGE_FORMAT = 1


def tracked_models():
    """Every model whose changes are recorded in a history table."""
    return [
        model
        for model in apps.get_models()
        if hasattr(model._meta, "simple_history_manager_attribute")
    ]


def change_stamp(plan=None, also=()):
    """A fingerprint of every record ``plan``'s pages may show, in one query.

    Any change to those records (an edit, a deletion, a link) makes it
    differ. For the plan's own actions: the newest history row naming the
    plan (by the plan's date index), and how many actions it has now (an
    action moved away writes its row under its new plan, and leaves one
    fewer). Every other tracked record counts wherever it is, progress
    updates included: the newest row of each history table, by its key.
    Without a plan, every plan's records count.

    ``also`` are more parts of ``kernel.kept.newest_rows`` that the caller
    needs before it looks for a kept page, read in the same query: their
    values end the stamp.
    """
    if plan is None:
        return newest_rows(
            [*(newest(m.history.all()) for m in tracked_models()), *also]
        )
    others = [m for m in tracked_models() if m not in (Plan, Priority, Action)]
    return newest_rows(
        [
            newest(Plan.history.filter(id=plan.pk)),
            newest(Priority.history.filter(plan_id=plan.pk)),
            first(
                Action.history.filter(plan_id=plan.pk)
                .order_by("-history_date", "-history_id")
                .values("history_id")[:1]
            ),
            count(Action.objects.filter(plan_id=plan.pk)),
            *(newest(model.history.all()) for model in others),
            *also,
        ]
    )


def page_key(request, page, plan, stamp=None, **choices):
    """The cache key of ``page`` for ``plan`` and ``choices``, as of now
    (``stamp``: the plan's ``change_stamp`` if the caller has just read it)."""
    return key_of(
        "board-page",
        {
            "format": PAGE_FORMAT,
            "page": page,
            "plan": getattr(plan, "pk", None),
            "choices": choices,
            "stamp": change_stamp(plan) if stamp is None else stamp,
            "today": timezone.localdate(),
            "names": names_generation(),
            "permissions": sorted(request.user.get_all_permissions()),
            "settings": [
                settings.COUNCIL_NAME,
                settings.SERVICE_NAME,
                settings.STALE_AFTER_DAYS,
            ],
        },
    )


def cached_fragment(request, page, plan, build, **choices):
    """The body of ``page`` as kept, or ``build()`` (an HTML string) kept now.

    The page is remembered as read, so that it is built again in the
    background after the next change (``warming``)."""
    remember_read(request)
    key = page_key(request, page, plan, **choices)
    body = kept(key, build, settings.BOARD_PAGE_SECONDS)
    return mark_safe(body)  # noqa: S308 - HTML this site rendered and kept
