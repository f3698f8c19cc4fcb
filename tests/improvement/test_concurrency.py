"""No lost updates under real concurrency: two people save the same action at once.

Both open the update form at the same version and submit at the same moment
from separate threads, each with its own database connection. Whatever the
interleaving, exactly one save succeeds and the other is refused with a 409;
nothing is silently overwritten. Run on PostgreSQL in CI, where the row lock
taken by the version check makes the second save wait and then fail.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from improvement.plan.models import Action
from tests.factories import ActionFactory
from tests.helpers import sign_in_as

ROUNDS = 5


def _signed_in(users):
    """A client for each person, signed in once (a second factor's code
    works once, so signing in again every round would run out of codes)."""
    return [sign_in_as(Client(), user) for user in users]


def _post_together(clients, url, payloads):
    barrier = threading.Barrier(len(clients))
    results = [None] * len(clients)

    def worker(index):
        try:
            barrier.wait(timeout=10)
            results[index] = clients[index].post(url, payloads[index]).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write; the sequential case is tested elsewhere",
)
def test_simultaneous_saves_never_both_succeed(officer, manager):
    action = ActionFactory(lead_owner=officer.owner, rag="green")
    url = reverse("improvement:action_progress", args=[action.pk])
    clients = _signed_in([officer, manager])
    for _ in range(ROUNDS):
        action.refresh_from_db()
        base = {
            "version": action.version,
            "status": action.status,
            "status_reason": "",
            "impact": action.impact,
            "impact_evidence": "",
            "due_date_0": action.due_date.day,
            "due_date_1": action.due_date.month,
            "due_date_2": action.due_date.year,
            "due_date_reason": "",
            "evidence_url": "",
        }
        # Both change the RAG, each to a different value from what is stored.
        officer_rag, manager_rag = [
            r for r in ("red", "amber", "green") if r != action.rag
        ]
        officer_says = {**base, "rag": officer_rag, "narrative": "Officer's view"}
        manager_says = {**base, "rag": manager_rag, "narrative": "Manager's view"}
        results = _post_together(clients, url, [officer_says, manager_says])
        assert sorted(results) == [302, 409], results
        action.refresh_from_db()
        winner = [officer_says, manager_says][results.index(302)]
        assert action.rag == winner["rag"]
        latest = action.progress_updates.first()
        assert latest.narrative == winner["narrative"]
    assert action.progress_updates.count() == ROUNDS
    assert Action.objects.get(pk=action.pk).version == 1 + ROUNDS
