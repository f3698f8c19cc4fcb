"""``measure_board_packs`` loads loopback addresses only.

The measurement itself starts gunicorn and a worker and takes minutes, so it
is run by hand (see the README's Performance section), not in the suite.
"""

import pytest
from django.core.management import CommandError, call_command

from improvement.demo.servers import (
    is_loopback,
)


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://127.0.0.2:8000/", True),
        ("http://localhost:8000", True),
        ("http://[::1]:8000", True),
        ("http://10.0.0.5:8000", False),
        ("https://plan.example.gov.uk", False),
        ("http://127.0.0.1.example.com", False),
    ],
)
def test_only_loopback_addresses_count_as_loopback(url, loopback):
    assert is_loopback(url) is loopback


@pytest.mark.django_db
def test_it_refuses_to_load_another_machine():
    with pytest.raises(CommandError, match="loopback"):
        call_command("measure_board_packs", url="https://plan.example.gov.uk")
