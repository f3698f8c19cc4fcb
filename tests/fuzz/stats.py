"""Figures of a fuzz run, printed at the end: pages, forms, requests, errors."""

import time
from collections import Counter
from contextlib import contextmanager


class Stats:
    def __init__(self):
        self.started = time.monotonic()
        self.pages = 0
        self.forms = 0
        self.statuses = Counter()

    def page(self):
        self.pages += 1

    def form(self, key):
        self.forms += 1

    def count(self, response):
        self.statuses[response.status_code // 100 * 100] += 1
        return response

    @contextmanager
    def counting(self):
        """Count the response passed to the given function; an exception is a 5xx."""
        try:
            yield self.count
        except Exception:
            self.statuses[500] += 1
            raise

    def summary(self):
        requests = sum(self.statuses.values())
        by_class = ", ".join(
            f"{code // 100}xx: {count}" for code, count in sorted(self.statuses.items())
        )
        return (
            f"fuzz: {self.pages} pages and {self.forms} forms, {requests} requests "
            f"({by_class}) in {time.monotonic() - self.started:.0f} s; "
            f"server errors: {sum(n for c, n in self.statuses.items() if c >= 500)}"
        )


STATS = Stats()
