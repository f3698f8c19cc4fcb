"""Settings and people for the fuzz suite.

Two Hypothesis profiles, chosen with ``HYPOTHESIS_PROFILE``:

* ``quick`` (the default, what ``make test`` runs): a few examples per page
  and per form, so the whole suite stays quick;
* ``fuzz`` (``make fuzz``): at least 1,000 examples per page and per form.

``FUZZ_EXAMPLES=200`` changes the number of examples of either, for a
shorter run (on PostgreSQL, say). ``FUZZ_LOG=<file>`` writes each finished
test (and each failure in full) to the file as soon as it happens, and each
worker's figures when it ends, for a run that takes hours.

Both are derandomized (the examples follow from the test's name), so a
failure in CI is the same failure on a laptop, and have no deadline: a page
that is slow on a busy machine is not an error here.
"""

import os

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from improvement.meetings.models import ReminderChoice
from tests import factories
from tests.conftest import ensure_role_groups
from tests.helpers import sign_in_as

_COMMON = {
    "derandomize": True,
    "database": None,
    "deadline": None,
    "print_blob": False,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
}
settings.register_profile("quick", max_examples=3, **_COMMON)
settings.register_profile("fuzz", max_examples=1000, **_COMMON)


def profile():
    """The Hypothesis settings this run uses (``FUZZ_EXAMPLES`` overrides the count)."""
    chosen = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))
    if os.environ.get("FUZZ_EXAMPLES"):
        return settings(chosen, max_examples=int(os.environ["FUZZ_EXAMPLES"]))
    return chosen


class Role:
    """A person the fuzzer acts as: a signed-in test client and its user."""

    def __init__(self, name, user):
        self.name = name
        self.user = user
        self.client = Client(raise_request_exception=True)
        if user is not None:
            sign_in_as(self.client, user)

    def __repr__(self):
        return self.name


@pytest.fixture
def roles(officer, manager, board, no_group_user, admin_user):
    """Every kind of person: the three roles, no role, an admin, and nobody."""
    ensure_role_groups()
    return {
        role.name: role
        for role in (
            Role("officer", officer),
            Role("manager", manager),
            Role("board", board),
            Role("no role", no_group_user),
            Role("admin", admin_user),
            Role("anonymous", None),
        )
    }


@pytest.fixture
def site(objects, officer):
    """The shared records, and a few more so ids of other records exist."""
    other = factories.ActionFactory()
    factories.ProgressUpdateFactory(action=objects["action"], author=officer)
    factories.JudgementFactory(inspection=objects["inspection"], area="Leadership")
    # A record of every model that admin lists, so its change page exists.
    factories.DecisionFactory(agenda_item=objects["actionarising"].agenda_item)
    ReminderChoice.objects.create(owner=officer.owner)
    return {**objects, "other_action": other}


def _figures():
    from tests.fuzz.stats import STATS

    if not (STATS.pages or STATS.forms):
        return None
    name = os.environ.get("HYPOTHESIS_PROFILE", "quick")
    return (
        f"{STATS.summary()} (profile {name}, "
        f"{profile().max_examples} examples per page and per form)"
    )


def _log(text):
    with open(os.environ.get("FUZZ_LOG", os.devnull), "a") as log:
        log.write(text + "\n")


def pytest_terminal_summary(terminalreporter):
    if figures := _figures():
        terminalreporter.write_line(figures)


def pytest_sessionfinish(session):
    """Each worker of a parallel run writes its own figures to the log."""
    if figures := _figures():
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        _log(f"=== figures of {worker}: {figures}")


def pytest_runtest_logreport(report):
    """In a long run, log each test as it ends, and each failure in full."""
    if report.when != "call" or "fuzz" not in report.nodeid:
        return
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return  # the controller logs what its workers report
    _log(f"{report.outcome} {report.nodeid} in {report.duration:.0f} s")
    if report.failed:
        _log(f"\n=== {report.nodeid}\n{report.longreprtext[-30000:]}\n")
