"""Reading a council's tracker file: an Excel workbook (.xlsx) or a CSV file.

Pure functions, no database. ``read_file`` turns the uploaded bytes into
``Sheet``s of ``Cell``s (text or a date, and the RAG a cell's fill colour
shows: ``colour_rag`` and ``hex_rag``), refusing hostile or broken files with
``ImportRefused`` and a plain message. What the cells say is read in
``cells``; which field each column holds is suggested in ``columns``.

Workbooks are opened read-only with stored values (``data_only``): formulas
are never evaluated, macros never run and external links never followed.
Text stays text.
"""

import colorsys
import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles.colors import COLOR_INDEX

from improvement.kernel.spreadsheets import FORMULA_STARTS

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


def _unguarded(text):
    """A CSV cell's text without the apostrophe a download puts before text
    a spreadsheet would run as a formula (“'=…”, “'- …”): the text it keeps."""
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def read_csv(data, name="CSV"):
    """A CSV file as one sheet. Commas, semicolons or tabs between cells."""
    text = decode(data)
    delimiter = _delimiter(text)
    sheet = Sheet(name=name)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, record in enumerate(reader, start=1):
            cells = [
                Cell(value=_plain(_unguarded(value))) for value in record[:MAX_COLUMNS]
            ]
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
