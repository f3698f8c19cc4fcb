"""Checking a list of findings against the inspection or visit that raised
them, before anything is saved.

A council keeps the findings of an inspection, a monitoring visit or a
review as a list: one row for each, with its reference, kind, title, full
text and themes. ``check`` reads the uploaded list (``FindingsFile``) and
says, row by row, what importing it would do: create a finding, change some
of its fields (each named, old and new), or nothing; and every problem, by
row and column, in plain words. It writes nothing, and issues the same few
queries however many rows the file has. ``findings_save.save`` writes what
it found.

* The heading row is found as a tracker's is (``columns.find_header``),
  with the headings ``suggest_field`` knows; the first sheet with a
  reference and a title column is read.
* Rows are matched to the source's findings by reference (spacing and case
  ignored), so a newer copy of the same list changes only what differs. A
  blank cell changes nothing: it never clears what is stored.
* A kind is read from its label or a common word for it (“AFI”,
  “Strengths”); a new finding with no kind is a recommendation, as the
  model's default.
* A theme the service does not have yet is a problem, unless the manager
  chooses to create the themes the file names (and may add themes).
"""

from dataclasses import dataclass, field

from findings.models import Finding, Theme
from improvement.imports import reading
from improvement.imports.cells import split_list
from improvement.imports.changes import same
from improvement.imports.columns import find_header
from improvement.imports.findings_columns import (
    HEADINGS,
    KIND_LABELS,
    LABELS,
    LENGTHS,
    parse_kind,
    suggest_field,
)
from improvement.imports.results import (
    CHANGE,
    CREATE,
    UNCHANGED,
    Change,
    CheckedImport,
)
from improvement.kernel.checked import CheckedRow, name_key
from visits.models import Inspection

# ---------------------------------------------------------------------------
# What the check found
# ---------------------------------------------------------------------------


@dataclass
class FindingRow(CheckedRow):
    """One row of the list, as checked."""

    number: int
    reference: str = ""
    title: str = ""
    kind: str = ""
    outcome: str = ""
    finding: Finding | None = None
    changes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    #: What saving sets: field name → value.
    values: dict = field(default_factory=dict)
    #: The themes saving gives the finding: stored ``Theme``s, or the keys
    #: of themes to create; None to leave its themes alone.
    themes: list | None = None
    theme_names: list = field(default_factory=list)
    new_themes: list = field(default_factory=list)
    unknown_themes: list = field(default_factory=list)

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, "")


@dataclass
class CheckedFindings(CheckedImport):
    """A list of findings checked against their source."""

    source: object
    name: str
    sheet: str = ""
    headings: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    #: Themes saving would create: ``{name_key: name}``.
    new_themes: dict = field(default_factory=dict)

    @property
    def unknown_themes(self):
        """Names of themes the file names that the service does not have."""
        return sorted({name for row in self.rows for name in row.unknown_themes})

    @property
    def can_save(self):
        return not self.problem_count and bool(self.create_count or self.change_count)

    def fingerprint(self):
        """What saving would do, to compare on confirmation: a change to the
        source's findings or to the themes since the check changes it."""
        return [
            sorted(self.new_themes),
            [
                [
                    row.number,
                    row.outcome,
                    row.finding.pk if row.finding else None,
                    row.finding.version if row.finding else None,
                    [[c.label, c.new] for c in row.changes],
                    row.theme_names,
                ]
                for row in self.rows
            ],
        ]


# ---------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------


def source_filter(source):
    """The lookup of the findings ``source`` (an inspection or a visit) raised."""
    if isinstance(source, Inspection):
        return {"inspection": source}
    return {"monitoring_visit": source}


def _sheet_and_columns(sheets):
    """The sheet to read, its heading row's position and ``{field: index}``:
    the first sheet whose headings name a reference and a title, else the
    first sheet with rows."""
    found = []
    for sheet in sheets:
        if not sheet.rows:
            continue
        header = find_header(sheet, suggest_field)
        columns = {}
        for index, cell in enumerate(sheet.rows[header][1]):
            name = suggest_field(cell.text) if isinstance(cell.value, str) else ""
            if name and name not in columns:
                columns[name] = index
        if "reference" in columns and "title" in columns:
            return sheet, header, columns
        found.append((sheet, header, columns))
    return found[0]


class _Stored:
    """What the source and the service hold now, loaded once: a fixed
    number of queries."""

    def __init__(self, source, lock):
        findings = Finding.objects.filter(**source_filter(source))
        if lock:
            findings = findings.select_for_update(of=("self",))
        self.findings = {}
        for finding in findings.order_by("pk"):
            self.findings.setdefault(name_key(finding.reference), []).append(finding)
        ids = [f.pk for found in self.findings.values() for f in found]
        self.themes_of = {}
        links = Finding.themes.through.objects.filter(finding_id__in=ids)
        for finding_id, theme_id in (
            links.values_list("finding_id", "theme_id") if ids else ()
        ):
            self.themes_of.setdefault(finding_id, set()).add(theme_id)
        self.themes = {}
        self.themes_by_pk = {}
        for theme in Theme.objects.order_by("pk"):
            self.themes.setdefault(name_key(theme.name), theme)
            self.themes_by_pk[theme.pk] = theme


def check(record, *, create_themes=False, lock=False):
    """Check the uploaded list ``record`` (a ``FindingsFile``) against its
    source: a ``CheckedFindings``. Writes nothing.

    ``create_themes``: themes the file names that do not exist yet would be
    created, rather than each being a problem. With ``lock`` the source's
    findings are locked for the rest of the transaction.
    """
    checked = CheckedFindings(source=record.source, name=record.name)
    try:
        sheets = reading.read_file(record.name, bytes(record.data))
    except reading.ImportRefused as refused:
        checked.problems.append(str(refused))
        return checked
    sheet, header, columns = _sheet_and_columns(sheets)
    checked.sheet = sheet.name
    headings = [cell.text for cell in sheet.rows[header][1]]
    checked.headings = {name: str(headings[i]) for name, i in columns.items()}
    for needed in ("reference", "title"):
        if needed not in columns:
            checked.problems.append(
                f"No column is headed {LABELS[needed]}: add one, headed "
                f"{_examples(needed)}"
            )
    if checked.problems:
        return checked
    checker = _RowChecker(checked, _Stored(record.source, lock), columns)
    checker.create_themes = create_themes
    for number, cells in sheet.rows[header + 1 :]:
        row = checker.read(number, cells)
        if row is not None:
            checked.rows.append(row)
    if not checked.rows:
        checked.problems.append("The sheet has headings but no findings under them")
    return checked


def _examples(name):
    """Headings accepted for a field, as the message names them."""
    words = [f"“{heading.capitalize()}”" for heading in HEADINGS[name][:3]]
    return f"{', '.join(words[:-1])} or {words[-1]}"


class _RowChecker:
    """The state a check carries from row to row: the references seen and
    the themes it would create."""

    def __init__(self, checked, stored, columns):
        self.checked = checked
        self.stored = stored
        self.columns = columns
        self.seen = {}
        self.create_themes = False

    def text(self, cells, name):
        index = self.columns.get(name)
        if index is None or index >= len(cells):
            return ""
        return str(cells[index].text).strip()

    def heading(self, name):
        return self.checked.headings.get(name, LABELS[name])

    def read(self, number, cells):
        """The row checked, or None for a row with nothing in its columns."""
        texts = {name: self.text(cells, name) for name in self.columns}
        if not any(texts.values()):
            return None
        row = FindingRow(
            number=number, reference=texts["reference"], title=texts["title"]
        )
        finding = self._reference(row)
        self._texts(row, texts, finding)
        self._kind(row, texts.get("kind", ""), finding)
        self._themes(row, texts.get("themes", ""))
        if not row.problems:
            self._outcome(row, finding)
        return row

    def _reference(self, row):
        """Check the reference; the stored finding it names, or None."""
        column = self.heading("reference")
        if not row.reference:
            row.problem(column, "enter the finding's reference, for example R1")
            return None
        if len(row.reference) > LENGTHS["reference"]:
            row.problem(
                column,
                f"a reference must be {LENGTHS['reference']} characters or fewer",
            )
            return None
        key = name_key(row.reference)
        if key in self.seen:
            row.problem(
                column,
                f"{row.reference} is also the reference of row {self.seen[key]}; "
                "give each finding its own reference",
            )
            return None
        self.seen[key] = row.number
        named = self.stored.findings.get(key, [])
        exact = [f for f in named if f.reference == row.reference]
        if len(named) > 1 and len(exact) != 1:
            row.problem(
                column,
                f"more than one finding has the reference {row.reference}; "
                "correct them on their pages first",
            )
            return None
        row.finding = (exact or named or [None])[0]
        return row.finding

    def _texts(self, row, texts, finding):
        if row.title:
            if len(row.title) > LENGTHS["title"]:
                row.problem(
                    self.heading("title"),
                    f"the title must be {LENGTHS['title']:,} characters or fewer",
                )
            row.values["title"] = row.title
        elif finding is None:
            row.problem(self.heading("title"), "enter the finding's title")
        text = texts.get("text", "")
        if text:
            if len(text) > LENGTHS["text"]:
                row.problem(
                    self.heading("text"),
                    f"the full text must be {LENGTHS['text']:,} characters or "
                    f"fewer; it has {len(text):,}",
                )
            row.values["text"] = text

    def _kind(self, row, text, finding):
        kind, problem = parse_kind(text)
        if problem:
            row.problem(self.heading("kind"), problem)
            return
        if kind is None and finding is None:
            # A new finding with no kind takes the model's default.
            kind = Finding._meta.get_field("kind").default
        if kind is not None:
            row.values["kind"] = kind
        row.kind = kind or finding.kind

    def _themes(self, row, text):
        """The themes a cell names: stored ones, or (when chosen) new ones."""
        if not text:
            return
        column = self.heading("themes")
        themes = []
        for name in self._theme_names(text):
            key = name_key(name)
            theme = self.stored.themes.get(key)
            if theme is not None:
                themes.append(theme)
                row.theme_names.append(theme.name)
            elif len(name) > LENGTHS["theme"]:
                row.problem(
                    column,
                    f"a theme's name must be {LENGTHS['theme']} characters or fewer",
                )
            elif self.create_themes:
                self.checked.new_themes.setdefault(key, name)
                themes.append(key)
                row.theme_names.append(self.checked.new_themes[key])
                row.new_themes.append(name)
            else:
                row.problem(column, f"“{name}” is not yet a theme")
                row.unknown_themes.append(name)
        row.themes = themes

    def _theme_names(self, text):
        """The themes' names in a cell: separated by semicolons or lines, or
        by commas when that names only themes the service has (a theme's
        name may hold a comma)."""
        names = []
        for part in split_list(text):
            pieces = split_list(part, commas=True)
            known = self.stored.themes
            if name_key(part) not in known and all(
                name_key(piece) in known for piece in pieces
            ):
                names.extend(pieces)
            else:
                names.append(part)
        unique = {}
        for name in names:
            unique.setdefault(name_key(name), name)
        return list(unique.values())

    def _outcome(self, row, finding):
        """Create, change (each field old and new) or unchanged."""
        if finding is None:
            row.outcome = CREATE
            return
        values = row.values
        for name in ("kind", "title", "text"):
            if name not in values or same(getattr(finding, name), values[name]):
                values.pop(name, None)
                continue
            old, new = getattr(finding, name), values[name]
            if name == "kind":
                old, new = KIND_LABELS.get(old, old), KIND_LABELS[new]
            row.changes.append(Change(LABELS[name], old or "none", new))
        if row.themes is not None:
            stored = self.stored.themes_of.get(finding.pk, set())
            wanted = {getattr(theme, "pk", theme) for theme in row.themes}
            if wanted == stored:
                row.themes = None
            else:
                old = sorted(self.stored.themes_by_pk[pk].name for pk in stored)
                row.changes.append(
                    Change(
                        LABELS["themes"],
                        "; ".join(old) or "none",
                        "; ".join(sorted(row.theme_names)) or "none",
                    )
                )
        row.outcome = CHANGE if row.changes else UNCHANGED
