"""``loadtest``: a mixed load of signed-in officers and board members at each
concurrency level, against a loopback server only.

The reference figures start gunicorn and take minutes, so they are run by
hand (see the README's Performance section); here the load runs briefly
against the test server.
"""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import ensure_role_groups
from tests.factories import ActionFactory, PriorityFactory

ROW = re.compile(
    r"^\s*(?P<clients>\d+)\s+(?P<requests>\d+)\s+(?P<rps>\d+\.\d)\s+(?P<p50>\d+)"
    r"\s+(?P<p95>\d+)\s+(?P<p99>\d+)\s+(?P<failed>\d+)$"
)


@pytest.mark.django_db(transaction=True)
def test_it_loads_each_level_with_signed_in_people_and_every_page_answers(
    live_server,
):
    ensure_role_groups()  # an earlier test that emptied the database took them
    priority = PriorityFactory()
    for number in range(1, 6):
        ActionFactory(priority=priority, reference=f"1.{number}")
    out = StringIO()
    call_command(
        "loadtest", url=live_server.url, clients="1,2", seconds=1.0, stdout=out
    )
    rows = [m for line in out.getvalue().splitlines() if (m := ROW.match(line))]
    assert [row["clients"] for row in rows] == ["1", "2"]
    for row in rows:
        assert int(row["requests"]) > 0
        assert float(row["rps"]) > 0
        assert int(row["p50"]) <= int(row["p95"]) <= int(row["p99"])
        # Every page answered 200: signed in, and allowed for each person.
        assert row["failed"] == "0"
    assert f"pk {priority.plan.pk}" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"url": "https://plan.example.gov.uk"}, "loopback"),
        ({"url": "http://10.0.0.5:8000"}, "loopback"),
        ({"clients": "1,two"}, "must be numbers"),
        ({"clients": "0"}, "from 1 to 64"),
        ({"seconds": 0}, "more than 0"),
        ({"url": "http://127.0.0.1:9"}, "No plan to load"),
    ],
)
def test_it_refuses_what_it_cannot_do(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("loadtest", stdout=StringIO(), **options)
