"""The site served as in production, for the commands that load it.

``measure_board_packs`` and ``loadtest`` start gunicorn (``gunicorn.conf.py``,
3 sync workers), and a background worker when asked, on a free loopback port
against the database in use, sign in by session cookies made in this process,
and ask for pages with ``Session``: a browser without JavaScript that does not
follow redirects by itself. A server given with ``--url`` must be a loopback
address, so neither command can be pointed at another machine.
"""

import ipaddress
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import CommandError
from django.test import Client

ROOT = Path(settings.BASE_DIR)
#: How long the servers may take to start.
START_TIMEOUT = 60


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def is_loopback(url):
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def loopback_and_plan(options, *, missing):
    """The plan a loading command measures (``--plan``, or the one with the
    most actions), after refusing a ``--url`` that is not a loopback address.
    ``missing`` is the message when there is no plan."""
    from improvement.demo.management.commands.benchmark import largest_plan
    from improvement.plan.models import Plan

    if options["url"] and not is_loopback(options["url"]):
        raise CommandError("--url must be a loopback address (127.0.0.1).")
    plan = (
        Plan.objects.filter(pk=options["plan"]).first()
        if options["plan"]
        else largest_plan()
    )
    if plan is None:
        raise CommandError(missing)
    return plan


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie(user):
    """A ``Cookie`` header signing ``user`` in (a session in the database)."""
    client = Client()
    client.force_login(user)
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={session_id}"


class Session:
    """A browser without JavaScript, signed in by its session cookie; it does
    not follow redirects by itself."""

    def __init__(self, base, cookie, deadline):
        self.base = base
        self.deadline = deadline
        self.opener = urllib.request.build_opener(_NoRedirects)
        self.headers = {"Cookie": cookie} if cookie else {}

    def get(self, path):
        """``(status, headers, body, seconds)``; status 0 when it failed."""
        timeout = max(1.0, min(60.0, self.deadline - time.monotonic()))
        request = urllib.request.Request(self.base + path, headers=self.headers)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=timeout) as response:
                body = response.read()
                return response.status, response.headers, body, since(started)
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read(), since(started)
        except (OSError, urllib.error.URLError):
            return 0, {}, b"", since(started)


def since(started):
    return time.monotonic() - started


def _environment(run_dir, port):
    return {
        **os.environ,
        "DEBUG": "false",
        # The sessions the commands sign in with are signed with this key.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "TASKS_BACKEND": "database",
        "DOCUMENTS_ROOT": str(run_dir / "documents"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "3",
        "GUNICORN_ACCESS_LOG": str(run_dir / "access.log"),
    }


class Site:
    """gunicorn, and a background worker when asked, serving from ``run_dir``
    (its logs and kept documents). ``start`` returns the site's address."""

    def __init__(self, run_dir, *, worker=False, worker_nice=0):
        self.run_dir = run_dir
        self.worker = worker
        self.worker_nice = worker_nice
        self.processes, self.logs = [], []

    def start(self):
        port = free_port()
        env = _environment(self.run_dir, port)
        gunicorn = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        self._start("gunicorn.log", gunicorn, env)
        if self.worker:
            command = [sys.executable, "manage.py", "db_worker", "--no-reload"]
            if self.worker_nice:
                command = ["nice", "-n", str(self.worker_nice), *command]
            options = ["--no-startup-delay", "--interval", "0.5"]
            self._start("worker.log", [*command, *options], env)
        return f"http://127.0.0.1:{port}"

    def _start(self, log_name, command, env):
        log = (self.run_dir / log_name).open("w")
        self.logs.append(log)
        self.processes.append(
            subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        )

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in self.logs:
            log.close()


def wait_until_up(base, deadline):
    """Wait until ``base`` answers ``/health/`` (at most ``START_TIMEOUT``)."""
    session = Session(base, "", min(deadline, time.monotonic() + START_TIMEOUT))
    while time.monotonic() < session.deadline:
        if session.get("/health/")[0] == 200:
            return
        time.sleep(0.5)
    raise CommandError(f"{base}/health/ did not answer.")
