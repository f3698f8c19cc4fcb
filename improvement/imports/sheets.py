"""The sheet an uploaded tracker is read from, its headings, and the column
mapping remembered for the plan's next upload.

* ``sheet_of``: the chosen sheet of an ``ImportFile`` (and all its sheets);
* ``headings_of``: the sheet's heading row and headings;
* ``remember`` and ``remembered_mapping``: which field each heading held,
  kept per plan in ``ColumnMapping``.
"""

from improvement.imports import reading
from improvement.imports.cells import heading_key
from improvement.imports.columns import find_header
from improvement.imports.models import ColumnMapping


def sheet_of(import_file):
    """The chosen sheet of an uploaded file (the first when none is chosen),
    and all the file's sheets. ``reading.ImportRefused`` for a bad file."""
    sheets = reading.read_file(import_file.name, bytes(import_file.data))
    chosen = next((s for s in sheets if s.name == import_file.sheet), None)
    return chosen or sheets[0], sheets


def headings_of(sheet):
    """The position of the heading row and its headings (“Column C” for an
    empty heading)."""
    header = find_header(sheet)
    cells = sheet.rows[header][1] if sheet.rows else []
    width = sheet.width
    headings = []
    for index in range(width):
        text = cells[index].text if index < len(cells) else ""
        headings.append(str(text).strip() or f"Column {_letter(index)}")
    return header, headings


def _letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def remember(plan, headings, mapping):
    """Keep the plan's column mapping for its next upload; history says who."""
    record, _ = ColumnMapping.objects.get_or_create(plan=plan)
    remembered = dict(record.headings)
    for heading, choice in zip(headings, mapping, strict=False):
        remembered[heading_key(heading)] = choice
    if remembered != record.headings:
        record.headings = remembered
        record.save()


def remembered_mapping(plan):
    record = ColumnMapping.objects.filter(plan=plan).first()
    return record.headings if record else {}
