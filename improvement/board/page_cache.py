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
* the generation of people's names: the pages name who made each change, and
  renaming a person writes no history, so a rename starts a new generation
  (``forget_names``). Every process sees it with a shared cache (Redis); a
  process's own memory only sees its own, which is why several app servers
  need ``REDIS_URL``.

A kept body is dropped ``BOARD_PAGE_SECONDS`` after it was built. If
the cache cannot be reached the page is built as if nothing were kept.
"""

import hashlib
import json
import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.safestring import mark_safe

from improvement.plan.models import Action, Plan, Priority, ProgressUpdate

logger = logging.getLogger(__name__)

#: Raise this when what a kept page holds changes shape (its templates), so
#: bodies kept by an older release are not shown.
PAGE_FORMAT = 1

#: The cache key of the generation of people's names (see ``forget_names``).
NAMES_GENERATION = "board-page:names"

#: The fields of a person's account that the pages show.
NAME_FIELDS = {"username", "first_name", "last_name"}

#: The records that belong to one plan (for documents, see
#: ``documents.service.latest_change``); every other tracked record may be
#: shown on any plan's pages (owners, findings, visits, measures, meetings).
PLAN_RECORDS = (Plan, Priority, Action, ProgressUpdate)


def plan_histories(plan):
    """The history rows of ``plan``'s own records, one queryset per model.

    The plan, its priorities, and every action that has ever been in it (an
    action moved to another plan leaves it, which changes it too) with their
    progress updates. Link changes are rows of the action's history.
    """
    ever_in_plan = Action.history.filter(plan_id=plan.pk).values("id")
    return [
        Plan.history.filter(id=plan.pk),
        Priority.history.filter(plan_id=plan.pk),
        Action.history.filter(id__in=ever_in_plan),
        ProgressUpdate.history.filter(action_id__in=ever_in_plan),
    ]


def tracked_models():
    """Every model whose changes are recorded in a history table."""
    return [
        model
        for model in apps.get_models()
        if hasattr(model._meta, "simple_history_manager_attribute")
    ]


def change_stamp(plan=None):
    """A fingerprint of every record ``plan``'s pages may show, in one query.

    Any change to those records (an edit, a deletion, a link) makes it
    differ. For the plan's own actions: the newest history row naming the
    plan (by the plan's date index), and how many actions it has now (an
    action moved away writes its row under its new plan, and leaves one
    fewer). Every other tracked record counts wherever it is, progress
    updates included: the newest row of each history table, by its key.
    Without a plan, every plan's records count.
    """
    if plan is None:
        newest = [model.history.all() for model in tracked_models()]
        parts = [_newest(history) for history in newest]
    else:
        others = [m for m in tracked_models() if m not in (Plan, Priority, Action)]
        parts = [
            _newest(Plan.history.filter(id=plan.pk)),
            _newest(Priority.history.filter(plan_id=plan.pk)),
            _first(
                Action.history.filter(plan_id=plan.pk)
                .order_by("-history_date", "-history_id")
                .values("history_id")[:1]
            ),
            _count(Action.objects.filter(plan_id=plan.pk)),
            *(_newest(model.history.all()) for model in others),
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(sql for sql, _ in parts),
            [value for _, params in parts for value in params],
        )
        return tuple(cursor.fetchone())


def _newest(history):
    sql, params = history.order_by().values("history_id").query.sql_with_params()
    return f"(SELECT MAX(rows.history_id) FROM ({sql}) rows)", params


def _first(query):
    sql, params = query.query.sql_with_params()
    return f"({sql})", params


def _count(query):
    sql, params = query.order_by().values("pk").query.sql_with_params()
    return f"(SELECT COUNT(*) FROM ({sql}) rows)", params


def page_key(request, page, plan, **choices):
    """The cache key of ``page`` for ``plan`` and ``choices``, as of now."""
    identity = {
        "format": PAGE_FORMAT,
        "page": page,
        "plan": getattr(plan, "pk", None),
        "choices": choices,
        "stamp": change_stamp(plan),
        "today": timezone.localdate(),
        "names": cache.get(NAMES_GENERATION, 0),
        "permissions": sorted(request.user.get_all_permissions()),
        "settings": [
            settings.COUNCIL_NAME,
            settings.SERVICE_NAME,
            settings.STALE_AFTER_DAYS,
        ],
    }
    text = json.dumps(identity, sort_keys=True, default=str)
    return "board-page:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached_fragment(request, page, plan, build, **choices):
    """The body of ``page`` as kept, or ``build()`` (an HTML string) kept now."""
    try:
        key = page_key(request, page, plan, **choices)
        body = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache that is down must not break pages
        logger.warning("The page cache could not be read", exc_info=True)
        return build()
    if body is not None:
        return mark_safe(body)  # noqa: S308 - HTML this site rendered and kept
    body = build()
    try:
        cache.set(key, body, settings.BOARD_PAGE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("The page cache could not be written", exc_info=True)
    return body


def forget_names(sender, instance, raw=False, update_fields=None, **kwargs):
    """After a person's account is saved with a name that may have changed,
    start a new generation: no page kept before names them again."""
    if raw or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return
    try:
        cache.set(NAMES_GENERATION, cache.get(NAMES_GENERATION, 0) + 1, None)
    except Exception:  # noqa: BLE001
        logger.warning("The page cache could not be told of a rename", exc_info=True)
