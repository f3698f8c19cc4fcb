"""``python manage.py benchmark``: server time and SQL queries of the main pages.

Requests each page through Django's test client, in this process, against
the database in use (SQLite or PostgreSQL through ``DATABASE_URL``), signed
in as a board member. Each page is requested once to warm up (not timed),
once with its SQL queries counted, then ``--repeat`` times timed. Timing is
server time only: from the request entering Django's handler to the response
being complete, with no network or browser. The table gives the median and
the 95th percentile (nearest rank) in milliseconds, and the query count.
The board's pages are kept once built (``improvement.board.page_cache``), so
those figures are what every reader after the first gets; the last three
columns are the same page built with nothing kept, as the first reader after
a change gets it.

Pages are asked for as users ask for them: for the largest plan
(``?plan=<pk>``); the dashboard, the register and the board pack also as at
a date 60 days ago; what changed over its default 30 days; the action page
for the plan's action with the longest history, and the measure page, as
known 60 days ago, for its measure with the most values; and every export.
A record's page is skipped with a note when there is no such record, and a
page that fails is noted; the others still run. The board pack PDF takes
seconds, so it is timed at most three times (its label says so).

The first page is the floor (``improvement.demo.floor``): 50 of the plan's
actions in the site's layout, measured in the same run, and the last column
gives each page's median as a multiple of the floor's, which is steadier
from one machine (or one busy moment) to another than milliseconds are.

Background jobs run in this process (the immediate backend), so the board
pack PDF is made by the untimed warm-up request and the timed requests fetch
the kept file, as everyone after the first person does on the site. The time
the job itself takes is measured by ``measure_board_packs``.
"""

import datetime
import math
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from improvement.demo.floor import FLOOR_URL_NAME, URLCONF
from improvement.kernel.permissions import BOARD_MEMBERS
from improvement.measures.models import Measure
from improvement.plan.models import Action, Plan

BENCHMARK_USERNAME = "benchmark"

#: Timed requests of each page built with nothing kept.
BUILT_REPEATS = 5

#: Jobs run at once, in this process, whatever the site's backend.
IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
}

#: How many timed requests a page that takes seconds (the PDF) gets at most.
SLOW_PAGE_REPEATS = 3


@dataclass(frozen=True)
class Page:
    """A page the benchmark asks for, with what a user gives it.

    ``plan``: it takes ``?plan=`` (the largest plan); ``record``: it is the
    page of that plan's busiest "action" or "measure"; ``as_at``: it is asked
    for as at a date ``AS_AT_DAYS`` ago, as a board member opening an
    earlier pack does; ``slow``: it takes seconds, so it is timed at most
    ``SLOW_PAGE_REPEATS`` times.
    """

    label: str
    url_name: str
    plan: bool = True
    record: str | None = None
    as_at: bool = False
    slow: bool = False


#: The page every other is compared with: 50 actions in the site's layout.
FLOOR = Page("Floor: 50 actions", FLOOR_URL_NAME, plan=False, record="plan")

PAGES = (
    FLOOR,
    Page("Dashboard", "improvement:dashboard"),
    Page("Dashboard (as at)", "improvement:dashboard", as_at=True),
    Page("As at (register)", "improvement:as_at", as_at=True),
    Page("Trend", "improvement:trend"),
    Page("What changed (30 days)", "improvement:changes_since"),
    Page("Golden thread", "improvement:golden_thread"),
    Page("Drift", "improvement:drift"),
    Page("Recent changes", "improvement:change_list"),
    Page("Actions register", "improvement:action_list"),
    Page("Action page", "improvement:action_detail", plan=False, record="action"),
    Page("Findings register", "findings:finding_list", plan=False),
    Page("Measures", "measures:measure_list"),
    Page(
        "Measure page (as at)",
        "measures:measure_detail",
        plan=False,
        record="measure",
        as_at=True,
    ),
    Page("Audits", "audits:audit_list"),
    Page("Board pack", "improvement:board_pack"),
    Page("Board pack (as at)", "improvement:board_pack", as_at=True),
    Page("Board pack PDF (kept)", "improvement:board_pack_pdf", slow=True),
    Page("Actions CSV", "improvement:action_export_csv"),
    Page("Actions XLSX", "improvement:action_export_xlsx"),
    Page("Findings CSV", "improvement:finding_export_csv", plan=False),
    Page("Findings XLSX", "improvement:finding_export_xlsx", plan=False),
    Page("Changes CSV", "improvement:change_export_csv"),
    Page("Changes XLSX", "improvement:change_export_xlsx"),
    Page("Measure values XLSX", "measures:measurevalue_export_xlsx"),
    Page("Audits XLSX", "audits:audit_export_xlsx"),
)

#: Pages asked for as at a date ask for this many days ago.
AS_AT_DAYS = 60


def percentile(values, fraction):
    """The nearest-rank percentile of ``values`` (``fraction`` 0.95 for p95)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def member_of(group_name, username, first_name, last_name):
    """A person in ``group_name`` the measuring commands sign in as (created
    once, with no password, so nobody can sign in as them)."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=group_name))
    return user


def benchmark_user():
    """The board member the benchmark signs in as."""
    return member_of(BOARD_MEMBERS, BENCHMARK_USERNAME, "Benchmark", "(board member)")


def largest_plan():
    """The plan with the most actions (the oldest of equals), or None."""
    return (
        Plan.objects.annotate(action_count=Count("actions"))
        .order_by("-action_count", "pk")
        .first()
    )


def busiest_measure(plan):
    """The plan's measure with the most values, or None."""
    if plan is None:
        return None
    return (
        Measure.objects.filter(plan=plan)
        .annotate(value_count=Count("values"))
        .order_by("-value_count", "pk")
        .first()
    )


def busiest_action(plan):
    """The plan's action with the most history rows, or None."""
    if plan is None:
        return None
    history = Action.history.model.objects.filter(plan_id=plan.pk)
    top = (
        history.values("id")
        .annotate(rows=Count("history_id"))
        .order_by("-rows", "id")
        .first()
    )
    return Action.objects.filter(pk=top["id"]).first() if top else None


class Command(BaseCommand):
    help = (
        "Time the main pages and count their SQL queries against the current "
        "database, signed in as a board member."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repeat",
            type=int,
            default=20,
            help="Timed requests per page (default 20).",
        )

    def handle(self, *args, repeat, **options):
        if repeat < 1:
            raise CommandError("--repeat must be 1 or more.")
        plan = largest_plan()
        action = busiest_action(plan)
        records = {"plan": plan, "action": action, "measure": busiest_measure(plan)}
        client = Client()
        client.force_login(benchmark_user())
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]

        vendor = connection.vendor
        name = connection.settings_dict["NAME"]
        self.stdout.write(f"Database: {vendor} ({name})")
        if plan is not None:
            self.stdout.write(
                f"Plan: {plan.name} (pk {plan.pk}, {plan.action_count} actions)"
            )
        if action is not None:
            self.stdout.write(f"Action page: {action.reference} (pk {action.pk})")
        self.stdout.write(f"Timed requests per page: {repeat}")
        self.stdout.write("")

        results, notes = [], []
        with override_settings(
            ALLOWED_HOSTS=hosts, TASKS=IMMEDIATE_TASKS, ROOT_URLCONF=URLCONF
        ):
            for page in PAGES:
                url = self.url_for(page, plan, records)
                if url is None:
                    notes.append(f"{page.label}: skipped, there is no {page.record}")
                    continue
                times = min(repeat, SLOW_PAGE_REPEATS) if page.slow else repeat
                label = page.label if times == repeat else f"{page.label} ({times}x)"
                try:
                    results.append((label, *self.measure(client, url, times)))
                except Exception as error:  # noqa: BLE001 - report and go on
                    notes.append(f"{label}: failed ({type(error).__name__}: {error})")
        self.print_table(results)
        for note in notes:
            self.stdout.write(f"Note: {note}")

    def url_for(self, page, plan, records):
        """The page's URL with what a user gives it, or None for a record's
        page when there is no such record."""
        record = records.get(page.record) if page.record else None
        if page.record and record is None:
            return None
        url = reverse(page.url_name, args=[record.pk] if record else [])
        query = {}
        if page.plan and plan is not None:
            query["plan"] = plan.pk
        if page.as_at:
            day = timezone.localdate() - datetime.timedelta(days=AS_AT_DAYS)
            query["as_at"] = day.isoformat()
        return f"{url}?{urlencode(query)}" if query else url

    def measure(self, client, url, repeat):
        """``(median ms, p95 ms, queries, built median ms, built queries, url)``.

        The first three are what a reader gets once the page is kept (the
        board's pages: ``improvement.board.page_cache``); the built figures
        are the same page with nothing kept, as the first reader after a
        change gets it (fewer requests: ``BUILT_REPEATS`` at most).
        """
        self.get(client, url)  # warm up: templates, caches, connection
        with CaptureQueriesContext(connection) as captured:
            self.get(client, url)
        queries = len(captured)
        timings = [self.timed(client, url) for _ in range(repeat)]
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            self.get(client, url)
        built_queries = len(captured)
        built = []
        for _ in range(min(repeat, BUILT_REPEATS)):
            cache.clear()
            built.append(self.timed(client, url))
        return (
            statistics.median(timings),
            percentile(timings, 0.95),
            queries,
            statistics.median(built),
            built_queries,
            url,
        )

    def timed(self, client, url):
        started = time.perf_counter()
        self.get(client, url)
        return (time.perf_counter() - started) * 1000

    @staticmethod
    def get(client, url):
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        # Read the whole body, as a browser would, so streamed pages count too.
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    def print_table(self, results):
        """Each page's median, p95, queries, and its median over the floor's,
        then the same page built with nothing kept."""
        floor = next((r[1] for r in results if r[0] == FLOOR.label), None)
        label_width = max([len("Page"), *(len(r[0]) for r in results)])
        header = (
            f"{'Page':<{label_width}}  {'median ms':>9}  {'p95 ms':>9}"
            f"  {'queries':>7}  {'x floor':>7}  {'built ms':>8}  {'queries':>7}"
            f"  {'x floor':>7}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for label, median, p95, queries, built, built_queries, _url in results:
            ratio = f"{median / floor:.1f}" if floor else "-"
            built_ratio = f"{built / floor:.1f}" if floor else "-"
            self.stdout.write(
                f"{label:<{label_width}}  {median:>9.1f}  {p95:>9.1f}"
                f"  {queries:>7}  {ratio:>7}  {built:>8.1f}  {built_queries:>7}"
                f"  {built_ratio:>7}"
            )
