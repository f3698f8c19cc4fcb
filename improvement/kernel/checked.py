"""What every checked upload has in common: rows with problems, and a file.

An upload (a council's tracker, a CSV of measure values) is checked row by
row before anything is saved. Its rows and the file as a whole share one
shape, held here as plain mixins so each app's own dataclasses keep their
fields:

* ``CheckedRow``: a row with a ``number`` (as the spreadsheet numbers it)
  and ``problems`` (``[(column, text), ...]``); it gives the row's page
  ``anchor`` and ``problem`` to note one;
* ``CheckedFile``: a file with ``rows`` and ``problems`` (about the file as
  a whole); it lists every row's problems and counts problems and outcomes;
* ``name_key``: a name as compared with the names stored (spacing and case
  ignored).

Part of the kernel: imports no app models.
"""


def name_key(text):
    """A name as compared: runs of spaces as one, in any case (“Jo  SMITH”
    matches “Jo Smith”)."""
    return " ".join(str(text).split()).casefold()


class CheckedRow:
    """A checked row: needs ``number`` and ``problems`` attributes."""

    @property
    def anchor(self):
        """The id of the row on the page that lists it."""
        return f"row-{self.number}"

    def problem(self, column, text):
        """Note that ``column`` of this row holds a problem, said in ``text``."""
        self.problems.append((column, text))


class CheckedFile:
    """A checked file: needs ``rows`` (``CheckedRow``s, each with an
    ``outcome``) and ``problems`` (plain texts about the whole file)."""

    @property
    def row_problems(self):
        """Every problem of every row: ``(anchor, text)``, in row order."""
        return [
            (row.anchor, f"Row {row.number}, {column}: {text}")
            for row in self.rows
            for column, text in row.problems
        ]

    @property
    def problem_count(self):
        return len(self.problems) + sum(len(row.problems) for row in self.rows)

    def count(self, outcome):
        """How many rows have this ``outcome``."""
        return sum(1 for row in self.rows if row.outcome == outcome)
