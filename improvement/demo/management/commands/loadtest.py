"""``python manage.py loadtest``: how many requests a second the site serves.

Starts gunicorn (``gunicorn.conf.py``: 3 sync workers) on a free loopback
port against the database in use, or loads a server you started (``--url``,
a loopback address only), and runs a mixed load at each of ``--clients``
concurrency levels for ``--seconds`` each: every client is a signed-in
browser asking for one page after another with no pause, 70% of them an
officer's pages (the actions register, with and without a filter, an
action's page, My actions, the findings register) and 30% a board member's
(the dashboard, now and as at a date, what changed over 30 days, the golden
thread, the trend, drift and the board pack page), drawn at random with a
fixed seed. It asks only for pages, so it changes nothing and can be run
again and again.

For each level it prints the requests answered, the requests per second, the
median, 95th and 99th percentile of the answers' times, and the answers that
were not 200. Every gunicorn worker answers each page a few times before the
first level (untimed). Use the largest plan of ``seed_scale`` for the
reference figures.
"""

import datetime
import random
import shutil
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from improvement.demo.management.commands.benchmark import (
    benchmark_user,
    member_of,
    percentile,
)
from improvement.demo.servers import (
    Session,
    Site,
    loopback_and_plan,
    session_cookie,
    wait_until_up,
)
from improvement.kernel.permissions import OFFICERS
from improvement.plan.models import Action

LOADTEST_OFFICER = "loadtest-officer"

#: The share of the load that is an officer's pages; the rest is the board's.
OFFICER_SHARE = 0.7

#: How many of the plan's actions the clients open the pages of.
ACTION_SAMPLE = 50


def loadtest_officer():
    """The officer the load signs in as."""
    return member_of(OFFICERS, LOADTEST_OFFICER, "Load test", "(officer)")


def officer_pages(plan):
    """The officer's pages of ``plan``: the register, actions, their own."""
    register = reverse("improvement:action_list")
    actions = Action.objects.filter(plan=plan).order_by("pk")[:ACTION_SAMPLE]
    return [
        f"{register}?{urlencode({'plan': plan.pk})}",
        f"{register}?{urlencode({'plan': plan.pk, 'status': 'in_progress'})}",
        *(action.get_absolute_url() for action in actions),
        reverse("improvement:my_actions"),
        reverse("findings:finding_list"),
    ]


def board_pages(plan):
    """The board's pages of ``plan``, with the dates a board member gives."""
    earlier = timezone.localdate() - datetime.timedelta(days=60)
    query = urlencode({"plan": plan.pk})
    as_at = urlencode({"plan": plan.pk, "as_at": earlier.isoformat()})
    return [
        f"{reverse('improvement:dashboard')}?{query}",
        f"{reverse('improvement:dashboard')}?{as_at}",
        f"{reverse('improvement:changes_since')}?{query}",
        f"{reverse('improvement:golden_thread')}?{query}",
        f"{reverse('improvement:trend')}?{query}",
        f"{reverse('improvement:drift')}?{query}",
        f"{reverse('improvement:board_pack')}?{query}",
    ]


@dataclass
class Level:
    """What one concurrency level measured: each answer's seconds and status."""

    clients: int
    seconds: float = 0.0
    answers: list = field(default_factory=list)

    @property
    def times(self):
        return [seconds for seconds, _ in self.answers]

    @property
    def failures(self):
        return sum(1 for _, status in self.answers if status != 200)

    @property
    def per_second(self):
        return len(self.answers) / self.seconds if self.seconds else 0.0


class Load:
    """Clients asking for pages as fast as they are answered."""

    def __init__(self, base, people, pages, deadline):
        self.base = base
        self.people = people  # {"officer": cookie, "board": cookie}
        self.pages = pages  # {"officer": [...], "board": [...]}
        self.deadline = deadline

    def client(self, number, until, level, lock):
        """One client: a browser of an officer or a board member, by turns
        drawn at random (seeded by its number), until ``until``."""
        draw = random.Random(number)
        sessions = {
            who: Session(self.base, cookie, self.deadline)
            for who, cookie in self.people.items()
        }
        while time.monotonic() < min(until, self.deadline):
            who = "officer" if draw.random() < OFFICER_SHARE else "board"
            status, _, _, seconds = sessions[who].get(draw.choice(self.pages[who]))
            with lock:
                level.answers.append((seconds, status))

    def run_level(self, clients, seconds):
        level, lock = Level(clients), threading.Lock()
        started = time.monotonic()
        until = started + seconds
        threads = [
            threading.Thread(target=self.client, args=(n, until, level, lock))
            for n in range(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        level.seconds = time.monotonic() - started
        return level

    def warm_up(self):
        """Each page a few times over, three at once, so that every gunicorn
        worker has compiled its templates and opened its connection."""
        paths = [
            (who, path) for who, pages in self.pages.items() for path in pages[:12]
        ]
        for _ in range(2):
            threads = []
            for who, path in paths:
                session = Session(self.base, self.people[who], self.deadline)
                threads.append(threading.Thread(target=session.get, args=(path,)))
            for start in range(0, len(threads), 3):
                batch = threads[start : start + 3]
                for thread in batch:
                    thread.start()
                for thread in batch:
                    thread.join()


def _levels(text):
    try:
        levels = [int(part) for part in text.split(",")]
    except ValueError:
        raise CommandError("--clients must be numbers, such as 1,2,4,8.") from None
    if not levels or min(levels) < 1 or max(levels) > 64:
        raise CommandError("--clients must be numbers from 1 to 64.")
    return levels


class Command(BaseCommand):
    help = (
        "Load the site with signed-in officers and board members at rising "
        "concurrency and print requests per second and p50/p95/p99."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--clients",
            default="1,2,4,8",
            help="Concurrency levels, comma-separated (default 1,2,4,8).",
        )
        parser.add_argument(
            "--seconds",
            type=float,
            default=20.0,
            help="How long each level lasts (default 20).",
        )
        parser.add_argument(
            "--plan", type=int, help="The plan (default: the one with most actions)."
        )
        parser.add_argument(
            "--url", help="Load a server you started (a loopback address)."
        )
        parser.add_argument(
            "--time-limit",
            type=float,
            default=900.0,
            help="Stop after this many seconds, whatever happens (default 900).",
        )

    def handle(self, *args, **options):
        levels = _levels(options["clients"])
        if options["seconds"] <= 0:
            raise CommandError("--seconds must be more than 0.")
        plan = loopback_and_plan(
            options, missing="No plan to load: run seed_scale or seed_demo first."
        )
        deadline = time.monotonic() + options["time_limit"]
        people = {
            "officer": session_cookie(loadtest_officer()),
            "board": session_cookie(benchmark_user()),
        }
        pages = {"officer": officer_pages(plan), "board": board_pages(plan)}
        self.stdout.write(
            f"Database: {connection.vendor}; plan: {plan.name} (pk {plan.pk}); "
            f"{len(pages['officer'])} officer pages, {len(pages['board'])} board "
            f"pages; {options['seconds']:g} s a level"
        )
        site, run_dir = None, None
        try:
            if options["url"]:
                base = options["url"].rstrip("/")
            else:
                run_dir = Path(tempfile.mkdtemp(prefix="golden-thread-load-"))
                site = Site(run_dir)
                base = site.start()
                self.stdout.write(f"Started gunicorn (3 sync workers) on {base}")
            wait_until_up(base, deadline)
            load = Load(base, people, pages, deadline)
            load.warm_up()
            results = [load.run_level(n, options["seconds"]) for n in levels]
        finally:
            if site is not None:
                site.stop()
            if run_dir is not None:
                shutil.rmtree(run_dir, ignore_errors=True)
        self.report(results)

    def report(self, levels):
        header = (
            f"{'clients':>7}  {'requests':>8}  {'per second':>10}  {'p50 ms':>7}"
            f"  {'p95 ms':>7}  {'p99 ms':>7}  {'not 200':>7}"
        )
        self.stdout.write("")
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for level in levels:
            times = level.times
            if not times:
                self.stdout.write(f"{level.clients:>7}  no answers")
                continue
            self.stdout.write(
                f"{level.clients:>7}  {len(times):>8}  {level.per_second:>10.1f}"
                f"  {statistics.median(times) * 1000:>7.0f}"
                f"  {percentile(times, 0.95) * 1000:>7.0f}"
                f"  {percentile(times, 0.99) * 1000:>7.0f}  {level.failures:>7}"
            )
