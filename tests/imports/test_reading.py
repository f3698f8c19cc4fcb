"""Reading trackers: workbooks and CSV files built here in the shapes councils
send, and hostile files refused with a plain message."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from improvement.imports import cells, columns, reading
from improvement.imports.reading import Cell, ImportRefused


def workbook_bytes(build):
    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tracker(workbook):
    sheet = workbook.active
    sheet.title = "Action plan"
    sheet.append(["Children's services improvement plan"])
    sheet.append([])
    sheet.append(
        ["Ref", "Action", "Lead Officer", "Target date", "BRAG", "Update Jan 23"]
    )
    sheet.append(["Priority 1: Leadership and management"])
    sheet.merge_cells("A4:F4")
    sheet.append(
        [
            "1.1",
            "=SUM(1,2)",
            "Head of Service",
            datetime.datetime(2022, 3, 31),
            None,
            "Met",
        ]
    )
    sheet["E5"].fill = PatternFill("solid", fgColor="FF00B050")
    sheet.append([1.2, "Audit cases", "Principal Social Worker", "31.03.22", "Amber"])
    sheet.append([])
    sheet.append(["Priority 2 - Practice"])
    sheet.append(["2.1", "Supervision", "Team Manager", "March 2022", None])
    sheet["E9"].fill = PatternFill("solid", fgColor="FFFF0000")


def test_reads_a_tracker_with_its_header_below_a_title():
    (sheet,) = reading.read_file("tracker.xlsx", workbook_bytes(tracker))
    assert sheet.name == "Action plan"
    # Blank rows are left out; rows keep the spreadsheet's numbers.
    assert [number for number, _ in sheet.rows] == [1, 3, 4, 5, 6, 8, 9]
    header = columns.find_header(sheet)
    assert sheet.rows[header][0] == 3
    headings = [cell.text for cell in sheet.rows[header][1]]
    assert columns.suggest_mapping(headings) == [
        "reference",
        "title",
        "lead",
        "due_date",
        "rag",
        "progress",
    ]


def test_cells_keep_text_dates_and_fill_colours():
    (sheet,) = reading.read_file("tracker.xlsx", workbook_bytes(tracker))
    rows = dict(sheet.rows)
    # A formula is never evaluated: with no value stored, the cell is empty.
    assert rows[5][1].value is None
    assert rows[5][3].value == datetime.date(2022, 3, 31)
    assert rows[5][4] == Cell(value=None, colour="green")
    # A reference Excel stored as a number reads as it was typed.
    assert rows[6][0].value == "1.2"
    assert cells.parse_rag(rows[9][4]) == ("red", None)
    # A merged section row holds its text in its first cell only.
    assert [cell.text for cell in rows[4]] == ["Priority 1: Leadership and management"]
    assert cells.section_priority(rows[4][0].text) == (1, "Leadership and management")
    assert cells.section_priority(rows[8][0].text) == (2, "Practice")


def test_formulas_are_read_as_their_stored_values():
    def build(workbook):
        workbook.active.append(["Ref", "Action"])
        workbook.active.append(["1", '=WEBSERVICE("http://example.com")'])

    data = workbook_bytes(build)
    # Excel saves a formula's last value beside it; put one there.
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b'<c r="B2"><f>', b'<c r="B2" t="str"><f>'
                ).replace(b"<v />", b"<v>Stored value</v>")
            target.writestr(item, content)
    (sheet,) = reading.read_file("t.xlsx", buffer.getvalue())
    assert dict(sheet.rows)[2][1].value == "Stored value"


def csv_rows():
    return (
        "Ref,Action,Lead Officer,Target date,Status\r\n"
        "1.1,Café audits – weekly,Head of Service,31/03/2022,Complete\r\n"
    )


@pytest.mark.parametrize(
    "data",
    [
        csv_rows().encode("utf-8"),
        b"\xef\xbb\xbf" + csv_rows().encode("utf-8"),
        csv_rows().encode("cp1252"),
    ],
    ids=["utf-8", "utf-8 with BOM", "Windows-1252"],
)
def test_reads_csv_as_excel_saves_it(data):
    (sheet,) = reading.read_file("tracker.csv", data)
    header, row = sheet.rows
    assert header[1][0].text == "Ref"
    assert row[1][1].text == "Café audits – weekly"
    assert cells.parse_status(row[1][4].text) == ("delivered", None)


def test_csv_with_semicolons_and_a_title_row():
    data = b"Plan 2023\r\n\r\nRef;Action;Lead\r\n1;Do it;Head\r\n"
    (sheet,) = reading.read_file("t.csv", data)
    header = columns.find_header(sheet)
    assert sheet.rows[header][0] == 3
    assert [c.text for c in sheet.rows[header + 1][1]] == ["1", "Do it", "Head"]


def test_text_that_looks_like_a_formula_stays_text():
    (sheet,) = reading.read_file("t.csv", b"Ref,Action\r\n1,=cmd|'/c calc'!A1\r\n")
    assert sheet.rows[1][1][1].value == "=cmd|'/c calc'!A1"


def test_the_apostrophe_a_download_guards_a_formula_with_is_dropped():
    """The site's CSV downloads write “'=…” and “'- …” so that a spreadsheet
    shows the text; reading keeps the text, and any other apostrophe."""
    data = "Ref,Action,Note\r\n1,'=Refresh,'- a list\r\n2,'tis done,'\r\n"
    (sheet,) = reading.read_file("t.csv", data.encode())
    assert [c.value for c in sheet.rows[1][1]] == ["1", "=Refresh", "- a list"]
    assert [c.value for c in sheet.rows[2][1]] == ["2", "'tis done", "'"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/03/2022", datetime.date(2022, 3, 31)),
        ("31.03.22", datetime.date(2022, 3, 31)),
        ("1-4-2022", datetime.date(2022, 4, 1)),
        ("2022-03-31", datetime.date(2022, 3, 31)),
        ("31 March 2022", datetime.date(2022, 3, 31)),
        ("1st April 2022", datetime.date(2022, 4, 1)),
        ("March 2022", datetime.date(2022, 3, 31)),
        ("Feb 2024", datetime.date(2024, 2, 29)),
        ("Mar-22", datetime.date(2022, 3, 31)),
        (datetime.date(2022, 3, 31), datetime.date(2022, 3, 31)),
    ],
)
def test_dates_as_councils_write_them(text, expected):
    assert cells.parse_date(text) == (expected, None)


@pytest.mark.parametrize("text", ["ongoing", "31/02/2022", "Q5 2022", "Smarch 2022"])
def test_what_is_not_a_date_is_named(text):
    day, problem = cells.parse_date(text)
    assert day is None
    assert f"“{text}”" in problem


def test_a_blank_date_is_no_date_and_no_problem():
    assert cells.parse_date(None) == (None, None)


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Lead Officer", "lead"),
        ("Target date", "due_date"),
        ("BRAG", "rag"),
        ("RAG rating", "rag"),
        ("Update Jan 23", "progress"),
        ("Original target date", "original_due_date"),
        ("Supporting leads", "supporting"),
        ("What good looks like", "success_measure"),
        ("Ofsted recommendation", "findings"),
        ("Workstream", "priority"),
        ("Current due date", "due_date"),
        ("Last progress update", ""),
        ("Days slipped", ""),
        ("Colour of the sky", ""),
    ],
)
def test_suggests_a_field_from_the_councils_heading(heading, field):
    assert columns.suggest_field(heading) == field


def test_the_month_in_an_update_heading():
    assert cells.heading_date("Update Jan 23") == datetime.date(2023, 1, 31)
    assert cells.heading_date("Progress - March 2023") == datetime.date(2023, 3, 31)
    assert cells.heading_date("Progress") is None


def test_a_remembered_mapping_wins_and_each_field_has_one_column():
    mapping = columns.suggest_mapping(
        ["Ref", "Owner", "Lead", "Update Jan 23", "Update Feb 23", "Misc"],
        remembered={"misc": "note", "owner": ""},
    )
    assert mapping == ["reference", "", "lead", "progress", "progress", "note"]


@pytest.mark.parametrize(
    ("colour", "rag"),
    [
        ("FFFF0000", "red"),
        ("FFC00000", "red"),
        ("FFFFC000", "amber"),
        ("FFFFFF00", "amber"),
        ("FF00B050", "green"),
        ("FF92D050", "green"),
        ("FF00B0F0", "blue"),
        ("FF0070C0", "blue"),
        ("FFFFFFFF", ""),
        ("FFD9D9D9", ""),
    ],
)
def test_fill_colours_as_rag(colour, rag):
    assert reading.hex_rag(colour) == rag


def test_rag_words_and_unknown_rag():
    assert cells.parse_rag(Cell("Amber")) == ("amber", None)
    assert cells.parse_rag(Cell("G")) == ("green", None)
    assert cells.parse_rag(Cell("Not assessed")) == ("", None)
    rag, problem = cells.parse_rag(Cell("Purple"))
    assert rag is None and "“Purple” is not a RAG" in problem


def test_statuses_and_impacts():
    assert cells.parse_status("On hold") == ("paused", None)
    assert cells.parse_status("In Progress") == ("in_progress", None)
    assert cells.parse_status("")[0] == ""
    assert "not a delivery status" in cells.parse_status("Sort of")[1]
    assert cells.parse_impact("Embedded") == ("embedded", None)
    assert "not an impact" in cells.parse_impact("Huge")[1]


# Hostile and broken files ---------------------------------------------------


def refusal(name, data):
    with pytest.raises(ImportRefused) as raised:
        reading.read_file(name, data)
    return str(raised.value)


def test_too_big_a_file_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_BYTES", 100)
    assert "smaller than" in refusal("t.csv", b"a,b\r\n" * 50)


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 10)
    data = ("Ref,Action\r\n" + "1,x\r\n" * 20).encode()
    assert "more than 10 rows" in refusal("t.csv", data)


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < reading.MAX_BYTES
    assert "unpacks to more than 50 MB" in refusal("bomb.xlsx", data)


def test_a_macro_workbook_is_refused():
    assert "macros" in refusal("plan.xlsm", workbook_bytes(tracker))

    def with_macro(workbook):
        tracker(workbook)

    data = workbook_bytes(with_macro)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"Attribute VB_Name")
    assert "macros" in refusal("renamed.xlsx", buffer.getvalue())


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("plan.xlsx", b"PK\x03\x04 not really a zip", "may be damaged"),
        ("plan.xlsx", b"Ref,Action\r\n", "may be damaged"),
        ("plan.xls", b"\xd0\xcf\x11\xe0 old", "old Excel format"),
        ("plan.docx", b"anything", "must be an Excel workbook"),
        ("plan.csv", b"  \r\n", "empty"),
        ("plan.csv", b"a,b\x00c", "saved as text"),
    ],
)
def test_broken_files_are_refused_plainly(name, data, words):
    assert words in refusal(name, data)


def test_a_zip_that_is_no_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", b"hello")
    assert "may be damaged" in refusal("plan.xlsx", buffer.getvalue())
