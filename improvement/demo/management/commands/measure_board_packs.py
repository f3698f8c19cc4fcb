"""``python manage.py measure_board_packs``: is the site quick while packs are made?

Starts gunicorn (with ``gunicorn.conf.py``: 3 sync workers) and one
background worker (``manage.py db_worker``) on a free loopback port, against
the database in use, warms every gunicorn worker up (untimed), then asks for
``--packs`` different board packs at the same moment, as that many board
members would, and follows each to its download the way a browser does (the
page that reloads itself, then the file). All the while it asks for
``/health/`` and the dashboard every ``--probe-every`` seconds and records
how long each answer took. When every pack is downloaded it asks for the
same packs again (they should come from the kept files), stops the servers
and prints the figures.

Each pack covers the plan's latest changes back far enough to hold about
``--changes`` changes (the issue's "month of about a thousand changes"),
ending on a different recent day, so each needs its own job. Documents kept
from earlier runs of the same packs are deleted first, so the first round
is made from scratch. Use the largest plan of ``seed_scale`` for the
reference figures.

``--url`` measures a server you started yourself instead (for example the
site before background jobs, to compare); it must be a loopback address.
Everything is bounded by ``--time-limit`` seconds and stops by itself.
"""

import datetime
import os
import re
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
from django.utils import timezone

from improvement.board.documents.models import Document
from improvement.board.periods import day_window
from improvement.board.what_changed import changes_between
from improvement.demo.management.commands.benchmark import (
    benchmark_user,
    percentile,
)
from improvement.demo.servers import (
    Session,
    Site,
    loopback_and_plan,
    session_cookie,
    wait_until_up,
)

#: The figure the site must meet for /health/ and the dashboard.
TARGET_SECONDS = 1.0


@dataclass
class Probe:
    """Answers to one page asked for again and again: (seconds, status)."""

    label: str
    path: str
    answers: list = field(default_factory=list)

    def seconds(self):
        return [s for s, status in self.answers if status == 200]

    def failures(self):
        return sum(1 for _, status in self.answers if status != 200)


@dataclass
class PackRun:
    query: dict
    changes: int
    first_answer: float | None = None
    first_status: int | None = None
    ready_after: float | None = None
    size: int | None = None
    again: float | None = None
    error: str = ""


class Load:
    """Board packs asked for at once while /health/ and the dashboard are
    asked for again and again, each by its own signed-in browser."""

    def __init__(self, base, cookie, deadline, probe_every):
        self.base = base
        self.cookie = cookie
        self.deadline = deadline
        self.probe_every = probe_every
        self.stop = threading.Event()

    def session(self):
        return Session(self.base, self.cookie, self.deadline)

    def run(self, plan, packs):
        """Warm up, start the probes, ask for the packs together and follow
        each to its file, then ask for them again. Returns the probes, the
        packs and how long the packs took."""
        probes = [
            Probe("/health/", "/health/"),
            Probe("Dashboard", f"/dashboard/?plan={plan.pk}"),
        ]
        self.warm_up(probes)
        threads = [threading.Thread(target=self.keep_asking, args=(p,)) for p in probes]
        for thread in threads:
            thread.start()
        time.sleep(2)  # a baseline before the packs are asked for
        began = time.monotonic()
        start_together = threading.Barrier(len(packs))
        fetchers = [
            threading.Thread(target=self.fetch, args=(p, start_together)) for p in packs
        ]
        for thread in fetchers:
            thread.start()
        for thread in fetchers:
            thread.join(max(0, self.deadline - time.monotonic()))
        elapsed = time.monotonic() - began
        self.ask_again(packs)
        self.stop.set()
        for thread in threads:
            thread.join()
        return probes, packs, elapsed

    def warm_up(self, probes):
        """Every gunicorn worker answers each page once or twice before
        anything is timed (compiling templates, opening its connection)."""
        warm = [
            threading.Thread(target=self.session().get, args=(p.path,))
            for p in probes * 3
        ]
        for round_ in (warm[::2], warm[1::2]):
            for thread in round_:
                thread.start()
            for thread in round_:
                thread.join()

    def keep_asking(self, probe):
        """Ask for the probe's page every ``probe_every`` seconds until stopped."""
        session = self.session()
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            status, _, _, seconds = session.get(probe.path)
            probe.answers.append((seconds, status))
            self.stop.wait(self.probe_every)

    def fetch(self, pack, start_together):
        """Ask for one pack when all are ready to, and follow it to its file."""
        session = self.session()
        start_together.wait()
        started = time.monotonic()
        status, headers, body, seconds = session.get(_pack_path(pack))
        pack.first_status, pack.first_answer = status, seconds
        location = headers.get("Location") if status == 302 else None
        if location and not location.startswith("/documents/"):
            pack.error = f"sent to {location}"
            return
        if location:
            followed = self.follow(session, location, pack, status, body)
            if followed is None:
                return
            status, body = followed
        if status == 200 and body.startswith(b"%PDF"):
            pack.ready_after = time.monotonic() - started
            pack.size = len(body)
        else:
            pack.error = pack.error or f"no PDF (HTTP {status})"

    def follow(self, session, location, pack, status, body):
        """Reload the pack's page, as a browser honours its Refresh header,
        until it links to the file. Returns the file's ``(status, body)``
        (if time runs out first, the last page's status and the ``body``
        given), or None when the job failed."""
        while time.monotonic() < self.deadline:
            status, headers, page, _ = session.get(location)
            link = re.search(rb'href="(/documents/[^"]+/download/)"', page)
            if link:
                status, _, body, _ = session.get(link.group(1).decode())
                break
            if b"could not be prepared" in page:
                pack.error = "the job failed"
                return None
            time.sleep(float(headers.get("Refresh") or 5))
        return status, body

    def ask_again(self, packs):
        """The same packs again: each should be sent from the kept file."""
        session = self.session()
        for pack in packs:
            status, _, body, seconds = session.get(_pack_path(pack))
            if status == 200 and body.startswith(b"%PDF"):
                pack.again = seconds


def _pack_path(pack):
    return f"/board-pack.pdf?{urlencode(pack.query)}"


class Command(BaseCommand):
    help = (
        "Ask for several board packs at once against gunicorn and a background "
        "worker, and time /health/ and the dashboard meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument("--packs", type=int, default=5)
        parser.add_argument(
            "--changes",
            type=int,
            default=1000,
            help="About how many changes each pack lists (default 1000).",
        )
        parser.add_argument("--plan", type=int, help="The plan (default: largest).")
        parser.add_argument(
            "--probe-every",
            type=float,
            default=1.0,
            help="Seconds between requests for /health/, and for the dashboard.",
        )
        parser.add_argument(
            "--time-limit",
            type=float,
            default=600,
            help="Stop everything after this many seconds (default 600).",
        )
        parser.add_argument(
            "--url",
            help="Measure this running server (loopback only) instead of "
            "starting gunicorn and a worker.",
        )
        parser.add_argument(
            "--worker-nice",
            type=int,
            default=10,
            help="Start the worker with this niceness, as the README's "
            "deployment does (default 10; 0 for none).",
        )

    def handle(self, *args, **options):
        if options["packs"] < 1:
            raise CommandError("--packs must be 1 or more.")
        plan = loopback_and_plan(
            options, missing="No plan to measure: run seed_scale first."
        )
        deadline = time.monotonic() + options["time_limit"]
        packs = self.choose_packs(plan, options["packs"], options["changes"])
        Document.objects.filter(plan=plan).delete()
        cookie = session_cookie(benchmark_user())

        self.stdout.write(
            f"Database: {connection.vendor}; plan: {plan.name} (pk {plan.pk}); "
            f"{len(packs)} packs of {min(p.changes for p in packs):,} to "
            f"{max(p.changes for p in packs):,} changes; "
            f"load average before: {os.getloadavg()[0]:.2f}"
        )
        site, run_dir, problems = None, None, True
        try:
            if options["url"]:
                base = options["url"].rstrip("/")
            else:
                run_dir = Path(tempfile.mkdtemp(prefix="golden-thread-measure-"))
                nice = options["worker_nice"]
                site = Site(run_dir, worker=True, worker_nice=nice)
                base = site.start()
                self.stdout.write(
                    f"Started gunicorn (3 sync workers) on {base} and a worker"
                    + (f" (nice {nice})" if nice else "")
                )
            wait_until_up(base, deadline)
            load = Load(base, cookie, deadline, options["probe_every"])
            probes, packs, elapsed = load.run(plan, packs)
            load_average = os.getloadavg()[0]
            problems = self.report(probes, packs, elapsed, load_average)
        finally:
            if site is not None:
                site.stop()
            if run_dir:
                # The kept files were in a folder of this run's own.
                Document.objects.filter(plan=plan).delete()
                shutil.rmtree(run_dir / "documents", ignore_errors=True)
                if problems:
                    self.stdout.write(f"The servers' logs are in {run_dir}")
                else:
                    shutil.rmtree(run_dir, ignore_errors=True)

    # -- set-up ------------------------------------------------------------

    def choose_packs(self, plan, count, changes):
        """Packs ending on the last ``count`` days, each reaching back far
        enough to list about ``changes`` changes (checked on the first)."""
        today = timezone.localdate()
        days = 30
        while True:
            since = today - datetime.timedelta(days=days)
            found = changes_between(plan, *day_window(since, today)).total
            if found >= changes or since <= plan.start_date:
                break
            days = int(days * max(1.2, min(4, changes / max(found, 1))))
        packs = []
        for back in range(count):
            as_at = today - datetime.timedelta(days=back)
            since = as_at - datetime.timedelta(days=days)
            total = changes_between(plan, *day_window(since, as_at)).total
            query = {"plan": plan.pk, "as_at": str(as_at), "since": str(since)}
            packs.append(PackRun(query=query, changes=total))
        return packs

    # -- the figures -------------------------------------------------------

    def report(self, probes, packs, elapsed, load_average):
        self.stdout.write("")
        self.stdout.write(
            f"Board packs asked for at once: {len(packs)}; all downloaded within "
            f"{elapsed:.1f} s (load average after: {load_average:.2f})"
        )
        header = (
            f"{'Pack (as at, since)':<26} {'changes':>7} {'first answer':>12} "
            f"{'downloaded':>10} {'size':>9} {'again':>8}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for pack in packs:
            label = f"{pack.query['as_at']}, {pack.query['since']}"
            first = (
                f"{pack.first_answer * 1000:.0f} ms {pack.first_status}"
                if pack.first_answer is not None
                else "-"
            )
            ready = f"{pack.ready_after:.1f} s" if pack.ready_after else pack.error
            size = f"{pack.size / 1024:.0f} KB" if pack.size else "-"
            again = f"{pack.again * 1000:.0f} ms" if pack.again else "-"
            self.stdout.write(
                f"{label:<26} {pack.changes:>7,} {first:>12} {ready:>10} "
                f"{size:>9} {again:>8}"
            )
        self.stdout.write("")
        header = (
            f"{'Page':<10} {'answers':>7} {'median ms':>9} {'p95 ms':>7} "
            f"{'max ms':>7} {'over 1 s':>8} {'failed':>6}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        within = True
        for probe in probes:
            seconds = probe.seconds()
            over = sum(1 for s in seconds if s > TARGET_SECONDS)
            within = within and over == 0 and probe.failures() == 0 and bool(seconds)
            if not seconds:
                self.stdout.write(f"{probe.label:<10} no answers")
                continue
            self.stdout.write(
                f"{probe.label:<10} {len(probe.answers):>7} "
                f"{statistics.median(seconds) * 1000:>9.0f} "
                f"{percentile(seconds, 0.95) * 1000:>7.0f} "
                f"{max(seconds) * 1000:>7.0f} {over:>8} {probe.failures():>6}"
            )
        self.stdout.write("")
        verdict = "yes" if within else "NO"
        self.stdout.write(
            f"/health/ and the dashboard always answered within 1 s: {verdict}"
        )
        return not within or any(pack.error for pack in packs)
