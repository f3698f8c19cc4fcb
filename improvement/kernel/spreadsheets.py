"""Spreadsheet downloads: a table of plain values as CSV or XLSX.

A download is a ``Table``: a sheet title, its columns and its rows of plain
Python values (text, numbers, dates, date-times and booleans). The two
writers turn a table into an HTTP response; the apps build the rows.

* CSV is UTF-8 with a byte-order mark, so Excel opens it with the right
  characters; dates are ISO (2026-11-23), booleans "Yes" or "No".
* XLSX is written with openpyxl in write-only mode (rows stream into the file
  rather than being held as a worksheet in memory): bold header row, frozen
  below the header, set column widths, real dates shown the UK way and
  numbers as numbers.

Text that a spreadsheet would run as a formula (“=…”) is kept as text in both.
Imports no app models.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: How dates and date-times read in the spreadsheet: 22 November 2026.
XLSX_DATE_FORMAT = "d mmmm yyyy"
XLSX_DATETIME_FORMAT = "d mmmm yyyy hh:mm"

#: Characters that make a spreadsheet treat a cell's text as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    """One column of a download: its heading and its width in the XLSX."""

    header: str
    width: int = 16


@dataclass
class Table:
    """What a download holds: a sheet title, columns, and rows of values."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]

    @property
    def headers(self):
        return [column.header for column in self.columns]


def yes_no(value):
    return "Yes" if value else "No"


def joined(values):
    """Several values in one cell: “R1; R4; R9”."""
    return LIST_SEPARATOR.join(str(v) for v in values if v is not None and v != "")


def local_time(value):
    """A date-time in the site's time zone, without the zone (for spreadsheets)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime.datetime):
        return local_time(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # Opened in a spreadsheet, this would run as a formula.
        return "'" + value
    return value


def csv_bytes(table):
    """The table as CSV bytes: UTF-8 with a byte-order mark, ISO dates."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def csv_response(table, filename):
    """The table as a CSV download: UTF-8 with a byte-order mark, ISO dates."""
    response = HttpResponse(csv_bytes(table), CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _xlsx_cell(sheet, value):
    if isinstance(value, str):
        # Control characters (a pasted escape, say) cannot be stored in a
        # workbook; openpyxl refuses the whole file for one. Drop them.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=local_time(value))
        cell.number_format = XLSX_DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    if isinstance(value, str) and value.startswith("="):
        # openpyxl would store this as a formula; keep it as the text it is.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_bytes(table):
    """The table as the bytes of an XLSX workbook with a single sheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.title[:31])
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    header = []
    for text in table.headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cell.alignment = wrap
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(table, filename):
    """The table as an XLSX download."""
    response = HttpResponse(xlsx_bytes(table), XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def table_bytes(table, extension):
    """The table as the bytes of a ``csv`` or ``xlsx`` file."""
    return xlsx_bytes(table) if extension == "xlsx" else csv_bytes(table)


def download(table, name, extension):
    """The table as ``<name>.<extension>``: ``csv`` or ``xlsx``."""
    filename = f"{name}.{extension}"
    if extension == "xlsx":
        return xlsx_response(table, filename)
    return csv_response(table, filename)
