"""Helpers shared by the test modules: the one place to look for them.

Test modules import helpers from here (and factories from ``tests.factories``),
never from one another.
"""

import re

#: Every page ``benchmark`` times, in its order. Written out here, not read
#: from the command, so that a page dropped or renamed there fails a test.
BENCHMARK_PAGES = [
    "Dashboard",
    "As at",
    "Trend",
    "Changes since",
    "Golden thread",
    "Drift",
    "Recent changes",
    "Actions register",
    "Action page",
    "Findings register",
    "Board pack",
    "Board pack PDF (kept)",
    "Actions CSV",
    "Actions XLSX",
    "Findings CSV",
    "Findings XLSX",
    "Changes CSV",
    "Changes XLSX",
]

_BENCHMARK_ROW = re.compile(
    r"^(?P<label>.+?)\s+(?P<median>\d+\.\d)\s+(?P<p95>\d+\.\d)\s+(?P<q>\d+)$"
)


def benchmark_rows(output):
    """The rows of ``benchmark``'s table by page: ``median``, ``p95``, ``q``."""
    rows = {}
    for line in output.splitlines():
        match = _BENCHMARK_ROW.match(line)
        if match:
            rows[match["label"].strip()] = match
    return rows
