"""Reading a council's tracker: an Excel workbook (.xlsx) or a CSV file.

Pure functions, no database. ``read_file`` turns the uploaded bytes into
``Sheet``s of ``Cell``s (text or a date, and the RAG a cell's fill colour
shows), refusing hostile or broken files with ``ImportRefused`` and a plain
message. The rest reads what trackers hold:

* ``find_header`` finds the heading row (it is often not the first);
* ``suggest_field`` maps a council's heading (“Lead Officer”, “Target
  date”, “BRAG”, “Update Jan 23”) to one of ``FIELDS``;
* ``parse_date``, ``parse_rag``, ``parse_status`` and ``parse_impact`` read
  the values as councils write them;
* ``section_priority`` recognises a row that names a priority (“Priority 2:
  Leadership”) rather than an action.

Workbooks are opened read-only with stored values (``data_only``): formulas
are never evaluated, macros never run and external links never followed.
Text stays text.
"""

import calendar
import colorsys
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles.colors import COLOR_INDEX

#: The largest file accepted, in bytes: 5 MB.
MAX_BYTES = 5 * 1024 * 1024
#: The most a workbook may unpack to, in bytes: 50 MB (a zip bomb is more).
MAX_UNPACKED = 50 * 1024 * 1024
#: The most parts a workbook may hold.
MAX_PARTS = 2000
#: The most rows (blank rows not counted) one sheet may hold.
MAX_ROWS = 2000
#: The most columns read from a sheet; any further right are ignored.
MAX_COLUMNS = 60
#: The most sheets read from a workbook.
MAX_SHEETS = 30
#: How far down a sheet the heading row is looked for.
HEADER_SEARCH_ROWS = 30

WORKBOOK_EXTENSIONS = ("xlsx",)
MACRO_EXTENSIONS = ("xlsm", "xltm", "xlsb", "xlam")
OLD_EXTENSIONS = ("xls",)


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why, plainly."""


@dataclass(frozen=True)
class Cell:
    """One cell: its ``value`` (text, a date, or None) and the RAG its fill
    colour shows (``"red"``, ``"amber"``, ``"green"``, ``"blue"`` or "")."""

    value: object = None
    colour: str = ""

    @property
    def text(self):
        if self.value is None:
            return ""
        if isinstance(self.value, datetime.date):
            return f"{self.value:%d/%m/%Y}"
        return self.value

    @property
    def is_blank(self):
        return self.text == "" and not self.colour


@dataclass
class Sheet:
    """A sheet's rows that are not blank: ``(row number, [Cell, ...])``,
    numbered as the spreadsheet numbers them."""

    name: str
    rows: list = field(default_factory=list)

    @property
    def width(self):
        return max((len(cells) for _, cells in self.rows), default=0)


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


def extension(name):
    return name.rsplit(".", 1)[-1].casefold() if "." in name else ""


def read_file(name, data):
    """The sheets of the file called ``name`` with bytes ``data``.

    ``ImportRefused`` when it is too big, too long, not a workbook or CSV,
    holds macros, unpacks to too much, or is damaged.
    """
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB"
        )
    if not data.strip():
        raise ImportRefused("The file is empty")
    kind = extension(name)
    if kind in MACRO_EXTENSIONS:
        raise ImportRefused(
            "The file is a workbook with macros, which are not accepted. Save it "
            "as an Excel Workbook (.xlsx) or as CSV, then upload it again"
        )
    if kind in OLD_EXTENSIONS:
        raise ImportRefused(
            "The file is in the old Excel format (.xls). Save it as an Excel "
            "Workbook (.xlsx) or as CSV, then upload it again"
        )
    if kind in WORKBOOK_EXTENSIONS:
        return read_workbook(data)
    if kind == "csv":
        return [read_csv(data)]
    raise ImportRefused("The file must be an Excel workbook (.xlsx) or a CSV file")


def _check_parts(data):
    """Refuse a workbook that holds macros or would unpack to too much,
    reading only the zip's directory (nothing is unpacked)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportRefused(
            "The file is not a workbook Excel can open: it may be damaged. Open "
            "it in Excel, save it as an Excel Workbook (.xlsx) and upload it again"
        ) from None
    if len(parts) > MAX_PARTS:
        raise ImportRefused("The workbook has too many parts to be read")
    if sum(part.file_size for part in parts) > MAX_UNPACKED:
        raise ImportRefused(
            "The workbook unpacks to more than "
            f"{MAX_UNPACKED // (1024 * 1024)} MB, so it cannot be read. Copy the "
            "sheet you need into a new workbook and upload that"
        )
    if any("vbaproject" in part.filename.casefold() for part in parts):
        raise ImportRefused(
            "The workbook holds macros, which are not accepted. Save it as an "
            "Excel Workbook (.xlsx) without macros, then upload it again"
        )


def read_workbook(data):
    """The sheets of an .xlsx workbook, its formulas read as stored values."""
    _check_parts(data)
    try:
        workbook = load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ImportRefused(
            "The workbook could not be read: it may be damaged. Open it in "
            "Excel, save it again as an Excel Workbook (.xlsx) and upload it again"
        ) from None
    try:
        sheets = []
        for worksheet in workbook.worksheets[:MAX_SHEETS]:
            sheet = Sheet(name=str(worksheet.title))
            for number, row in enumerate(
                worksheet.iter_rows(max_col=MAX_COLUMNS), start=1
            ):
                cells = [_workbook_cell(cell) for cell in row]
                _add_row(sheet, number, cells)
            sheets.append(sheet)
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused(
            "The workbook could not be read: it may be damaged. Open it in "
            "Excel, save it again as an Excel Workbook (.xlsx) and upload it again"
        ) from None
    finally:
        workbook.close()
    if not any(sheet.rows for sheet in sheets):
        raise ImportRefused("The workbook is empty")
    return sheets


def _add_row(sheet, number, cells):
    while cells and cells[-1].is_blank:
        cells.pop()
    if not cells:
        return
    if len(sheet.rows) >= MAX_ROWS:
        raise ImportRefused(
            f"The sheet “{sheet.name}” has more than {MAX_ROWS:,} rows. Split it "
            "into smaller files"
        )
    sheet.rows.append((number, cells))


def _workbook_cell(cell):
    value = getattr(cell, "value", None)
    colour = ""
    fill = getattr(cell, "fill", None)
    if fill is not None and getattr(fill, "fill_type", None) == "solid":
        colour = colour_rag(fill.fgColor)
    return Cell(value=_plain(value), colour=colour)


def _plain(value):
    """A workbook value as text or a date (None for an empty cell)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, float):
        text = repr(value)
    else:
        text = str(value)
    text = ILLEGAL_CHARACTERS_RE.sub("", text).strip()
    return text or None


def decode(data):
    """The text of CSV bytes: UTF-8 (with or without a byte-order mark), or
    Windows-1252 as older Excel saves “CSV (Comma delimited)”."""
    if b"\x00" in data:
        raise ImportRefused("The file must be a CSV file saved as text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRefused(
            "The file's characters could not be read. Save it from Excel as "
            "“CSV UTF-8”, then upload it again"
        ) from None


def _delimiter(text):
    """The character between cells: of comma, semicolon and tab, the one
    that most of the first lines hold (a comma when none does)."""
    lines = text.splitlines()[:50]
    counts = {d: sum(1 for line in lines if d in line) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_csv(data, name="CSV"):
    """A CSV file as one sheet. Commas, semicolons or tabs between cells."""
    text = decode(data)
    delimiter = _delimiter(text)
    sheet = Sheet(name=name)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, record in enumerate(reader, start=1):
            cells = [Cell(value=_plain(value)) for value in record[:MAX_COLUMNS]]
            _add_row(sheet, number, cells)
    except csv.Error:
        raise ImportRefused(
            "The file must be a CSV file: its quotation marks do not match"
        ) from None
    if not sheet.rows:
        raise ImportRefused("The file is empty")
    return sheet


# ---------------------------------------------------------------------------
# Colours
# ---------------------------------------------------------------------------


def colour_rag(color):
    """The RAG an openpyxl ``Color`` shows, by its hue; "" for none.

    Reds read as red, oranges and yellows as amber, greens as green and
    blues as blue (Blue: delivered). White, greys and theme colours read as
    no RAG.
    """
    if color is None:
        return ""
    rgb = None
    kind = getattr(color, "type", None)
    if kind == "rgb" and isinstance(color.rgb, str):
        rgb = color.rgb
    elif kind == "indexed" and isinstance(color.indexed, int):
        if 0 <= color.indexed < len(COLOR_INDEX):
            rgb = COLOR_INDEX[color.indexed]
    return hex_rag(rgb) if rgb else ""


def hex_rag(rgb):
    """The RAG of a hex colour such as ``"FFFF0000"`` or ``"00B050"``."""
    rgb = rgb[-6:]
    try:
        red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return ""
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    if saturation < 0.3 or lightness > 0.92 or lightness < 0.1:
        return ""
    degrees = hue * 360
    if degrees < 15 or degrees >= 330:
        return "red"
    if degrees < 70:
        return "amber"
    if degrees < 170:
        return "green"
    if degrees < 260:
        return "blue"
    return ""


# ---------------------------------------------------------------------------
# Headings and the fields they name
# ---------------------------------------------------------------------------

#: Our fields a column may hold: ``(key, label)``, in the order offered.
FIELDS = (
    ("reference", "Reference"),
    ("priority", "Priority or workstream"),
    ("title", "Action"),
    ("description", "Description"),
    ("success_measure", "What good looks like"),
    ("lead", "Lead officer"),
    ("supporting", "Supporting leads"),
    ("start_date", "Start date"),
    ("due_date", "Due date"),
    ("original_due_date", "Original due date"),
    ("status", "Delivery status"),
    ("rag", "RAG"),
    ("impact", "Impact"),
    ("progress", "Progress update"),
    ("progress_date", "Date of the progress update"),
    ("findings", "Findings answered (references)"),
    ("note", "Note"),
)
FIELD_LABELS = dict(FIELDS)
#: Fields only one column may hold (progress and note may come from several).
SINGLE_FIELDS = frozenset(key for key, _ in FIELDS) - {"progress", "note"}

#: Headings as councils write them, once normalised (``heading_key``).
_HEADINGS = {
    "reference": [
        "ref",
        "reference",
        "ref no",
        "no",
        "number",
        "action no",
        "action number",
        "action ref",
        "id",
    ],
    "priority": [
        "priority",
        "priority area",
        "workstream",
        "work stream",
        "theme",
        "strand",
        "objective",
        "improvement priority",
    ],
    "title": [
        "action",
        "actions",
        "title",
        "action title",
        "what we will do",
        "what will we do",
        "key action",
        "key actions",
    ],
    "description": ["description", "detail", "details", "action detail"],
    "success_measure": [
        "what good looks like",
        "success measure",
        "success measures",
        "success criteria",
        "measure of success",
        "measures of success",
        "outcome",
        "outcomes",
        "expected outcome",
        "how will we know",
    ],
    "lead": [
        "lead",
        "lead officer",
        "lead owner",
        "owner",
        "responsible officer",
        "accountable officer",
        "responsible",
        "action owner",
    ],
    "supporting": [
        "supporting leads",
        "supporting lead",
        "supporting owners",
        "supporting officers",
        "support",
        "partners",
        "contributors",
    ],
    "start_date": ["start", "start date", "date started"],
    "due_date": [
        "due",
        "due date",
        "current due date",
        "target date",
        "target",
        "deadline",
        "timescale",
        "timescales",
        "completion date",
        "revised date",
        "revised due date",
        "by when",
    ],
    "original_due_date": [
        "original due date",
        "original target date",
        "original deadline",
        "original date",
    ],
    "status": [
        "status",
        "delivery status",
        "progress status",
        "action status",
    ],
    "rag": ["rag", "brag", "rag rating", "rag status", "brag rating", "brag status"],
    "impact": ["impact", "impact assessment", "embedded"],
    "progress": [
        "progress",
        "update",
        "latest update",
        "progress update",
        "progress to date",
        "commentary",
        "comments",
        "narrative",
    ],
    "progress_date": [
        "update date",
        "date of update",
        "date updated",
        "last updated",
    ],
    "findings": [
        "findings",
        "findings answered",
        "finding",
        "recommendation",
        "recommendations",
        "ofsted recommendation",
        "finding ref",
        "finding reference",
        "recommendation ref",
    ],
    "note": ["note", "notes"],
}
_KNOWN = {heading: key for key, headings in _HEADINGS.items() for heading in headings}
#: Headings in the site's own actions register that are worked out, not stored.
IGNORED_HEADINGS = frozenset(
    {"plan", "days slipped", "overdue", "last progress update"}
)


def heading_key(text):
    """A heading as compared: lower case, words only (“Lead Officer:” →
    “lead officer”)."""
    return " ".join(re.sub(r"[^\w]+", " ", str(text).casefold()).split())


def suggest_field(heading):
    """The field a column with this heading probably holds, or ""."""
    key = heading_key(heading)
    if not key or key in IGNORED_HEADINGS:
        return ""
    if key in _KNOWN:
        return _KNOWN[key]
    words = key.split()
    if words[0] in ("update", "progress", "commentary") and heading_date(heading):
        return "progress"
    if "original" in words and ("due" in words or "target" in words):
        return "original_due_date"
    if "rag" in words or "brag" in words:
        return "rag"
    if "lead" in words and "supporting" not in words:
        return "lead"
    if "due" in words or "target" in words or "deadline" in words:
        return "due_date"
    if words[0] in ("update", "progress"):
        return "progress"
    return ""


def heading_date(heading):
    """The month a heading such as “Update Jan 23” names, as its last day;
    None when it names none."""
    words = heading_key(heading).split()
    for index, word in enumerate(words[:-1]):
        month = _MONTHS.get(word)
        if month and words[index + 1].isdigit():
            year = _year(words[index + 1])
            if year:
                return _month_end(year, month)
    return None


def find_header(sheet):
    """The position in ``sheet.rows`` of the heading row: of the first rows,
    the one naming the most fields (the first such row); else the first."""
    best, best_score = 0, 0
    for position, (_, cells) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        score = len(
            {suggest_field(c.text) for c in cells if isinstance(c.value, str)} - {""}
        )
        if score > best_score:
            best, best_score = position, score
    return best


def suggest_mapping(headings, remembered=None):
    """``[field, ...]``, one per heading: what the plan's last import said
    (``remembered``: ``{heading_key: field}``), else ``suggest_field``; each
    single field given to one column only, the first."""
    remembered = remembered or {}
    taken = set()
    mapping = []
    for heading in headings:
        key = heading_key(heading)
        choice = remembered.get(key) if key in remembered else suggest_field(heading)
        if choice in SINGLE_FIELDS:
            if choice in taken:
                choice = ""
            taken.add(choice)
        mapping.append(choice or "")
    return mapping


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------

_MONTHS = {
    **{name.lower(): n for n, name in enumerate(calendar.month_name) if name},
    **{name.lower(): n for n, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{2}|\d{4})")
_MONTH_YEAR = re.compile(r"([a-z]+)\.?[\s\-/]*(\d{2}|\d{4})")


def _year(text):
    year = int(text)
    if len(text) == 2:
        year += 2000
    return year if 1990 <= year <= 2100 else None


def _month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_date(value):
    """``(date, None)``, ``(None, None)`` for a blank, or ``(None, what is
    wrong)``.

    Reads Excel dates and text written the UK way: 31/03/2022, 31.03.22,
    31-03-2022, 2022-03-31, 31 March 2022, March 2022 and Mar-22. A month
    alone means its last day (“by March 2022”).
    """
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime.date):
        return value, None
    text = " ".join(str(value).split()).casefold()
    try:
        if match := _NUMERIC.fullmatch(text):
            day, month, year = int(match[1]), int(match[2]), _year(match[3])
        elif match := _ISO.fullmatch(text):
            year, month, day = int(match[1]), int(match[2]), int(match[3])
        elif match := _DAY_MONTH.fullmatch(text):
            day, month, year = int(match[1]), _MONTHS.get(match[2]), _year(match[3])
        elif match := _MONTH_YEAR.fullmatch(text):
            month, year = _MONTHS.get(match[1]), _year(match[2])
            if month and year:
                return _month_end(year, month), None
            day = None
        else:
            day = month = year = None
        if day and month and year:
            return datetime.date(year, month, day), None
    except ValueError:
        return None, f"“{value}” is not a real date"
    return None, f"“{value}” is not a date; write it like 31/03/2022 or March 2022"


_RAG_WORDS = {
    "red": "red",
    "r": "red",
    "amber": "amber",
    "a": "amber",
    "yellow": "amber",
    "green": "green",
    "g": "green",
    "blue": "blue",
    "b": "blue",
    "not assessed": "",
    "none": "",
}


def parse_rag(cell):
    """``(rag, None)`` from a cell's text, or its fill colour when it has no
    text; ``(None, what is wrong)`` for words that are no RAG. ``rag`` is
    "red", "amber", "green", "blue" or "" (not assessed)."""
    words = heading_key(cell.text)
    if not words:
        return cell.colour, None
    if words in _RAG_WORDS:
        return _RAG_WORDS[words], None
    first = words.split()[0]
    if first in ("red", "amber", "green", "blue"):
        return first, None
    return None, f"“{cell.text}” is not a RAG; use Red, Amber, Green or Blue"


_STATUS_WORDS = {
    "not started": "not_started",
    "not yet started": "not_started",
    "to start": "not_started",
    "planned": "not_started",
    "in progress": "in_progress",
    "started": "in_progress",
    "ongoing": "in_progress",
    "on going": "in_progress",
    "underway": "in_progress",
    "under way": "in_progress",
    "on track": "in_progress",
    "delivered": "delivered",
    "complete": "delivered",
    "completed": "delivered",
    "done": "delivered",
    "achieved": "delivered",
    "paused": "paused",
    "on hold": "paused",
    "withdrawn": "withdrawn",
    "cancelled": "withdrawn",
    "canceled": "withdrawn",
}


def parse_status(text):
    """``(status, None)``, ``("", None)`` for a blank, or ``(None, what is
    wrong)``; ``status`` is a value of ``Action.Status``."""
    words = heading_key(text)
    if not words:
        return "", None
    if words in _STATUS_WORDS:
        return _STATUS_WORDS[words], None
    return None, (
        f"“{text}” is not a delivery status; use Not started, In progress, "
        "Delivered, Paused or Withdrawn"
    )


_IMPACT_WORDS = {
    "not yet assessed": "not_assessed",
    "not assessed": "not_assessed",
    "emerging": "emerging",
    "evidenced": "evidenced",
    "embedded": "embedded",
}


def parse_impact(text):
    """``(impact, None)``, ``("", None)`` for a blank, or ``(None, what is
    wrong)``; ``impact`` is a value of ``Action.Impact``."""
    words = heading_key(text)
    if not words:
        return "", None
    if words in _IMPACT_WORDS:
        return _IMPACT_WORDS[words], None
    return None, (
        f"“{text}” is not an impact; use Not yet assessed, Emerging, Evidenced "
        "or Embedded"
    )


_SECTION = re.compile(
    r"(?:priority|workstream|work stream|theme|strand|objective)\s*(\d{1,3})\b"
    r"\s*[:.\-–—]?\s*(.*)",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"(\d{1,3})\s*[:.)\-–—]\s*(\S.*)")


def section_priority(text):
    """``(number, title)`` of a priority a heading names (“Priority 2:
    Leadership”, “2. Leadership”, “Priority 2 - Leadership” read as
    ``(2, "Leadership")``); ``(None, text)`` when it names no number."""
    text = " ".join(str(text).split())
    match = _SECTION.fullmatch(text) or _NUMBERED.fullmatch(text)
    if match:
        number = int(match[1])
        if number >= 1:
            return number, match[2].strip() or f"Priority {number}"
    return None, text


def split_list(text, *, commas=False):
    """Several values in one cell: “a; b” or one to a line, and with
    ``commas`` “R1, R4” too (owners' names may hold commas)."""
    pattern = r"[;\n,]" if commas else r"[;\n]"
    return [part.strip() for part in re.split(pattern, text or "") if part.strip()]
