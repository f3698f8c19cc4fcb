"""The board's pages people are reading, built again in the background after
each change.

A kept board page (``page_cache``) is found again only until something it
shows changes, and officers change their actions all day: so the first
board member to open the dashboard after an update would wait for it to be
built. Instead, each board page a person opens is remembered for
``READ_HOURS`` (its address, and a person with the same permissions, since
a kept page differs only by them), and once a change is saved (by the site,
Django admin, a command or an import: every one writes a history row) the
background worker builds those pages again, as those people would have
asked for them, and keeps them. The next reader gets the kept page. Only
pages read lately are built, so the work follows what the board uses, not
every page of every plan for every role.

A burst of changes (an import, a busy hour) asks for one build: the first
change asks for it, and the changes that follow before it starts are in it;
a change made while it runs asks for the next. It runs after any waiting
board pack or download, which people wait for.

It needs a cache every process shares (``REDIS_URL``): with each process's
own memory the worker would keep pages no app server reads, so it is off
unless ``BOARD_PAGES_WARMED`` is set, which it is when ``REDIS_URL`` is.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.core.handlers.wsgi import get_script_name
from django.db import transaction
from django.urls import get_script_prefix, resolve, set_script_prefix
from django_tasks import task

logger = logging.getLogger(__name__)

#: The pages read lately: ``{signature: {"script", "path", "query", "user",
#: "at"}}``.
READ = "board-pages-warm:read"

#: How long a page read is built again after each change.
READ_HOURS = 4

#: A page read again within this is not remembered again: one small cache
#: write answers the read, rather than the whole list read and written back.
READ_AGAIN_SECONDS = 5 * 60

#: The most pages remembered; the least lately read are forgotten first.
READ_LIMIT = 200

#: Set while a build is asked for and has not started: the changes saved in
#: the meantime are in it, so they ask for no other.
PENDING = "board-pages-warm:pending"

#: How long a build asked for may wait before another may be asked for (if
#: the worker is down, the next change after this asks again).
PENDING_SECONDS = 10 * 60

#: After board packs and downloads, which people wait for.
WARM_PRIORITY = -50


def _signature(path, query, permissions):
    text = "\n".join([path, query, *sorted(permissions)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def remember_read(request):
    """Remember that ``request``'s person read this board page (a GET), so
    it is built again after the next change."""
    if (
        not settings.BOARD_PAGES_WARMED
        or request.method != "GET"
        or getattr(request, "warming", False)  # built here, not read
    ):
        return
    query = request.GET.urlencode()
    key = _signature(request.path, query, request.user.get_all_permissions())
    # The site may be served under a prefix (a council's sub-path): the
    # page's links carry it, so the worker asks with it too.
    script = request.META.get("SCRIPT_NAME", "")
    now = time.time()
    try:
        # One small write answers most reads: the page was remembered lately.
        if not cache.add(f"{READ}:{key}", 1, READ_AGAIN_SECONDS):
            return
        read = cache.get(READ) or {}
        read[key] = {
            "script": script,
            "path": request.path_info,
            "query": query,
            "user": request.user.pk,
            "at": now,
        }
        cache.set(READ, _recent(read), READ_HOURS * 60 * 60)
    except Exception:  # noqa: BLE001 - a cache that is down keeps nothing
        logger.warning("The cache could not be reached", exc_info=True)


def _recent(read):
    """The pages read within ``READ_HOURS``, at most ``READ_LIMIT``."""
    since = time.time() - READ_HOURS * 60 * 60
    recent = sorted(
        ((key, page) for key, page in read.items() if page["at"] >= since),
        key=lambda item: item[1]["at"],
        reverse=True,
    )
    return dict(recent[:READ_LIMIT])


class _NoSession(SessionBase):
    """A session that is never saved: a page built here signs nobody in."""

    def exists(self, session_key):
        return False

    def create(self):
        pass

    def save(self, must_create=False):
        pass

    def delete(self, session_key=None):
        pass

    def load(self):
        return {}


def build_page(page, person):
    """Ask for the page read (``remember_read``) as ``person`` would, which
    keeps it. Returns the status of the answer."""
    # Django's request factory makes the request a browser's GET would be;
    # loaded here, by the worker, not by every app server.
    from django.test import RequestFactory

    path, query = page["path"], page["query"]
    factory = RequestFactory(SCRIPT_NAME=page.get("script", ""))
    request = factory.get(f"{path}?{query}" if query else path)
    request.user = person
    request.session = _NoSession()
    request.warming = True
    before = get_script_prefix()
    set_script_prefix(get_script_name(request.environ))  # as Django's handler
    try:
        match = resolve(request.path_info)
        return match.func(request, *match.args, **match.kwargs).status_code
    finally:
        set_script_prefix(before)


@task(priority=WARM_PRIORITY)
def warm_board_pages():
    """Build and keep again every board page read lately, as its reader.

    Returns how many pages answered. A page that fails is logged and the
    others are still built: its reader then builds it as if nothing were
    kept. A reader who has left, or may no longer see the page, is skipped.
    """
    try:
        cache.delete(PENDING)
        read = _recent(cache.get(READ) or {})
    except Exception:  # noqa: BLE001 - a cache that is down keeps nothing
        logger.warning("The cache could not be reached", exc_info=True)
        return 0
    people = get_user_model().objects.filter(
        is_active=True, pk__in={page["user"] for page in read.values()}
    )
    people = {person.pk: person for person in people}
    built = 0
    for page in read.values():
        person = people.get(page["user"])
        if person is None:
            continue
        try:
            status = build_page(page, person)
        except Exception:
            logger.exception("Building %s?%s failed", page["path"], page["query"])
            continue
        built += status == 200
    return built


def ask_for_warm_pages():
    """Ask the worker to build the pages read lately, unless a build asked
    for has not yet started."""
    try:
        if not cache.has_key(READ) or not cache.add(PENDING, 1, PENDING_SECONDS):
            return
    except Exception:  # noqa: BLE001 - a cache that is down keeps nothing
        logger.warning("The cache could not be reached", exc_info=True)
        return
    warm_board_pages.enqueue()


def history_written(sender, **kwargs):
    """A history row was written: once its change is saved, ask for the
    pages read lately to be built again (``post_create_historical_record``).

    Asked once for a transaction however many rows it writes (an import
    writes thousands)."""
    if not settings.BOARD_PAGES_WARMED:
        return
    connection = transaction.get_connection()
    waiting = getattr(connection, "run_on_commit", [])
    if connection.in_atomic_block and any(
        entry[1] is ask_for_warm_pages for entry in waiting
    ):
        return
    # Robust: the change is saved whatever happens to the asking.
    transaction.on_commit(ask_for_warm_pages, robust=True)
