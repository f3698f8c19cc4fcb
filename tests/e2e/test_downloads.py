"""A board member finds every download on the page that needs it, in a browser.

Each register's "Download CSV" and "Download Excel" give exactly the rows on
screen with the page's filters; the dashboard and the board pack page give the
PDF. The files are downloaded by clicking the links, as a person would.
"""

import csv
import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


def _download(page, name, timeout=10_000, *, link=None):
    link = link or page.locator(".app-downloads").get_by_role("link", name=name)
    with page.expect_download(timeout=timeout) as info:
        link.click()
    download = info.value
    with open(download.path(), "rb") as file:
        return download.suggested_filename, file.read()


def _csv(body):
    return list(csv.reader(io.StringIO(body.decode("utf-8").lstrip("\ufeff"))))


def _xlsx(body):
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _references(rows):
    return sorted(str(row[0]) for row in rows[1:] if row and row[0])


@pytest.fixture
def board_page(page, plan_data, board):
    sign_in(page, "board-member")
    return page


def test_actions_register_downloads_the_filtered_rows(board_page, plan_data):
    page = board_page
    page.goto(f"/actions/?plan={plan_data.plan.pk}&status=in_progress")
    on_screen = page.locator("main table tbody tr")
    expect(on_screen).to_have_count(1)
    expect(on_screen.first).to_contain_text("1.2")

    name, body = _download(page, "Download CSV")
    assert name.endswith(".csv")
    rows = _csv(body)
    assert [row for row in rows[1:] if row] and all(
        "1.2" in row for row in rows[1:] if row
    )
    assert len([row for row in rows[1:] if row]) == 1

    name, body = _download(page, "Download Excel")
    assert name.endswith(".xlsx")
    sheet = [row for row in _xlsx(body)[1:] if any(row)]
    assert len(sheet) == 1 and "1.2" in [str(cell) for cell in sheet[0]]


def test_findings_register_downloads_the_filtered_rows(board_page, plan_data):
    page = board_page
    page.goto("/findings/?q=oversight")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    for link, read in (("Download CSV", _csv), ("Download Excel", _xlsx)):
        _, body = _download(page, link)
        rows = [row for row in read(body)[1:] if any(row)]
        assert len(rows) == 1
        assert "R2" in [str(cell) for cell in rows[0]]


@pytest.mark.parametrize("path", ["/changes/", "/changes-since/"])
def test_change_pages_download_the_changes_listed(board_page, plan_data, path):
    page = board_page
    page.goto(f"{path}?plan={plan_data.plan.pk}")
    _, body = _download(page, "Download CSV")
    rows = [row for row in _csv(body)[1:] if row]
    assert rows, "the changes on the page are in the file"
    assert any("Audit team on leave in October" in cell for row in rows for cell in row)
    _, body = _download(page, "Download Excel")
    assert [row for row in _xlsx(body)[1:] if any(row)]


@pytest.mark.parametrize(
    ("path", "link"),
    [
        ("/dashboard/", "Download PDF"),
        ("/board-pack/", "Download the board pack as a PDF"),
    ],
)
def test_dashboard_and_board_pack_page_give_the_pdf(board_page, plan_data, path, link):
    page = board_page
    page.goto(f"{path}?plan={plan_data.plan.pk}")
    # Making the PDF takes seconds on a busy machine, and the click waits for it.
    page.set_default_timeout(60_000)
    name, body = _download(
        page, link, 60_000, link=page.get_by_role("link", name=re.compile(f"^{link}"))
    )
    assert name.endswith(".pdf")
    assert body.startswith(b"%PDF-")
