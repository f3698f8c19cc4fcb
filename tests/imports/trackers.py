"""Trackers built for the tests, in the shapes councils send them."""

import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from improvement.imports import columns, reading
from improvement.imports.models import ImportFile

HEADINGS = [
    "Ref",
    "Action",
    "Lead Officer",
    "Supporting leads",
    "Start date",
    "Target date",
    "Status",
    "BRAG",
    "Ofsted recommendation",
    "Update Jan 26",
]


def workbook_bytes(rows, *, fills=None, title="Action plan"):
    """An .xlsx with a title row, a blank row, then ``rows`` (headings first).

    ``fills`` colours cells: ``{"H5": "FFFF0000"}``.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(["Children's services improvement plan: tracker"])
    sheet.append([])
    for row in rows:
        sheet.append(row)
    for coordinate, colour in (fills or {}).items():
        sheet[coordinate].fill = PatternFill("solid", fgColor=colour)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8"):
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def tracker_rows(count=3, *, lead="Head of Service, Children in Need", finding="R1"):
    """Headings, a section row, then ``count`` actions."""
    rows = [list(HEADINGS), ["Priority 1: Leadership and management"]]
    for n in range(1, count + 1):
        rows.append(
            [
                f"1.{n}",
                f"Action number {n}",
                lead,
                "Principal Social Worker",
                datetime.datetime(2025, 12, 1),
                "31/03/2026",
                "In progress",
                "Amber",
                finding,
                f"Progress on action {n}",
            ]
        )
    return rows


def upload(plan, user, data, *, name="tracker.xlsx", create_owners=False):
    """An uploaded file with the suggested mapping chosen."""
    record = ImportFile.objects.create(
        plan=plan, uploaded_by=user, name=name, data=data, create_owners=create_owners
    )
    sheets = reading.read_file(name, data)
    sheet = sheets[0]
    header = columns.find_header(sheet)
    headings = [cell.text for cell in sheet.rows[header][1]]
    record.mapping = columns.suggest_mapping(headings)
    record.save()
    return record
