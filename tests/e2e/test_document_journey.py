"""A board member asks for the board pack PDF and waits for the background job.

Jobs wait in the database queue and the worker (``manage.py db_worker``) is
run by the test when it chooses, so each state of the page that follows the
job is seen in a real browser, without JavaScript doing the waiting: being
prepared, failed (the storage could not be written) with a way to try again,
and ready with the download. Every state passes axe's WCAG 2.2 AA rules.
"""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from improvement.board.documents.models import Document
from tests.e2e.conftest import assert_accessible, sign_in, tab_to
from tests.helpers import run_worker


def heading(page):
    return page.get_by_role("heading", level=1)


def test_the_pack_is_prepared_in_the_background_then_downloaded(
    page, plan_data, board, database_queue, settings, tmp_path
):
    working = settings.STORAGES["documents"]
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {**working, "OPTIONS": {"location": str(blocked)}},
    }

    sign_in(page, board.username)
    page.goto(f"/board-pack/?plan={plan_data.plan.pk}")
    page.get_by_role(
        "link", name=re.compile(r"^Download the board pack as a PDF")
    ).click()

    # Being prepared: says so, reloads itself, and may be refreshed by hand.
    expect(page).to_have_url(re.compile(r"/documents/[0-9a-f-]+/$"))
    expect(heading(page)).to_have_text("Your document is being prepared")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "This page updates itself every 5 seconds"
    )
    expect(page.get_by_role("link", name="Refresh this page")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Stop this page updating itself").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "This page does not update itself"
    )
    assert_accessible(page)

    # The job fails: the page says so plainly and offers to try again.
    run_worker()
    assert Document.objects.get().status == Document.Status.FAILED
    page.get_by_role("link", name="Refresh this page").click()
    expect(heading(page)).to_have_text("Your document could not be prepared")
    assert_accessible(page)

    settings.STORAGES = {**settings.STORAGES, "documents": working}
    try_again = page.get_by_role("button", name="Try again")
    tab_to(page, try_again)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Your document is being prepared")

    # The worker prepares it; the page, reloading itself, offers the download.
    run_worker()
    expect(heading(page)).to_have_text("Your document is ready", timeout=15_000)
    assert_accessible(page)
    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("link", name=re.compile(r"^Download board-pack-")).click()
    download = download_info.value
    assert download.failure() is None, download.failure()
    reader = PdfReader(io.BytesIO(download.path().read_bytes()))
    text = " ".join(p.extract_text() or "" for p in reader.pages)
    assert plan_data.plan.name in " ".join(text.split())

    # Asked for again, the kept pack downloads at once.
    page.get_by_role("link", name="Back").click()
    with page.expect_download(timeout=30_000) as again:
        page.get_by_role(
            "link", name=re.compile(r"^Download the board pack as a PDF")
        ).click()
    assert again.value.failure() is None
    assert Document.objects.count() == 1
