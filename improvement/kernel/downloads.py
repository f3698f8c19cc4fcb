"""Downloads written at once, or prepared off the request path when large.

A download of more than ``ROWS_IN_REQUEST`` rows takes more than about a
second to write, so it is prepared by a background job instead: the person
sees a page saying so, then downloads the kept file. The apps below the
board (measures, audits) cannot reach the board's documents, so they name
their downloads here instead:

* ``@large_download(kind)`` registers the function that builds the table of
  a kind of download from the person asking and the plan (None: every plan
  they may see); the job calls the same function.
* ``download(request, kind, extension, ...)`` writes the table at once, or,
  when it has more rows than ``ROWS_IN_REQUEST``, hands it to the preparer
  that the documents app registers when it starts (``prepare_with``).

Imports no app models.
"""

from improvement.kernel import spreadsheets

#: The most rows a download is written with while the person's request
#: waits. Measured on the reference large dataset (PostgreSQL, 2 cores): an
#: XLSX costs about 0.25 ms a row (5,000 actions took 1.2 s; 8,000 changes
#: 2.0 s), so 2,000 rows stay near half a second; beyond that a background
#: job prepares the file.
ROWS_IN_REQUEST = 2000

_tables = {}
_preparer = None


def large_download(kind):
    """Register ``function(user, plan)`` as the table of downloads of ``kind``."""

    def register(function):
        _tables[kind] = function
        return function

    return register


def table_for(kind, user, plan):
    """The table of a download of ``kind`` for ``user`` and ``plan``."""
    return _tables[kind](user, plan)


def prepare_with(preparer):
    """Prepare large downloads with ``preparer(request, kind=, extension=,
    plan=, name=, title=, back=)``, which returns the response to send."""
    global _preparer
    _preparer = preparer


def download(request, kind, extension, *, plan, rows, name, title, back):
    """The download as a response: written now, or prepared by a job when it
    holds more than ``ROWS_IN_REQUEST`` rows (``rows``: how many it holds).

    ``title`` names it on the page that follows its preparation, ``back`` is
    the page it was asked for from.
    """
    if rows > ROWS_IN_REQUEST and _preparer is not None:
        return _preparer(
            request,
            kind=kind,
            extension=extension,
            plan=plan,
            name=name,
            title=title,
            back=back,
        )
    table = table_for(kind, request.user, plan)
    return spreadsheets.download(table, name, extension)
