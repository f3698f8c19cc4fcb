"""Every download is linked from the page where it is needed, for exactly the
rows on screen with the page's filters."""

import csv
import io

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from improvement.kernel.history import acting_as
from tests.factories import ActionFactory, FindingFactory, PlanFactory, PriorityFactory
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db


def _links(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        " ".join(a.get_text(" ", strip=True).split()): a["href"]
        for a in soup.select(".app-downloads a")
    }


def _link(response, starts):
    found = [href for text, href in _links(response).items() if text.startswith(starts)]
    assert found, f"no “{starts}” link on the page: {_links(response)}"
    return found[0]


def _csv_rows(response):
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return list(csv.reader(io.StringIO(body.decode("utf-8").lstrip("\ufeff"))))[1:]


def _xlsx_rows(response):
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    return list(sheet.iter_rows(min_row=2, values_only=True))


@pytest.fixture
def plan_with_actions(officer):
    plan = PlanFactory(name="Children's plan")
    priority = PriorityFactory(plan=plan)
    with acting_as(officer):
        for number in range(1, 6):
            ActionFactory(
                plan=plan,
                priority=priority,
                reference=f"1.{number}",
                title=f"Action {number}",
                status="in_progress" if number % 2 else "not_started",
            )
    return plan


@pytest.mark.parametrize("role", ["board", "officer", "manager"])
def test_actions_register_downloads_what_the_filters_show(
    client, request, role, plan_with_actions
):
    sign_in_as(client, request.getfixturevalue(role))
    page = client.get(reverse("improvement:action_list"), {"status": "in_progress"})
    shown = page.context["page_obj"].paginator.count
    assert shown == 3
    csv_response = client.get(_link(page, "Download CSV"))
    assert csv_response.status_code == 200
    rows = _csv_rows(csv_response)
    assert len(rows) == shown
    assert sorted(r[2] for r in rows) == ["1.1", "1.3", "1.5"]
    xlsx_response = client.get(_link(page, "Download Excel"))
    assert len(_xlsx_rows(xlsx_response)) == shown


def test_findings_register_downloads_what_the_filters_show(client, board):
    FindingFactory(title="About supervision", kind="recommendation")
    FindingFactory(title="A strength", kind="strength")
    sign_in_as(client, board)
    page = client.get(reverse("findings:finding_list"), {"kind": "strength"})
    assert page.context["page_obj"].paginator.count == 1
    rows = _csv_rows(client.get(_link(page, "Download CSV")))
    assert [r[5] for r in rows] == ["A strength"]
    assert len(_xlsx_rows(client.get(_link(page, "Download Excel")))) == 1


def test_recent_changes_downloads_the_changes_listed(client, board, plan_with_actions):
    sign_in_as(client, board)
    page = client.get(
        reverse("improvement:change_list"),
        {"plan": plan_with_actions.pk, "kind": "action"},
    )
    listed = page.context["page_obj"].paginator.count
    assert listed == 5
    rows = _csv_rows(client.get(_link(page, "Download CSV")))
    subjects = {r[2] for r in rows}
    assert len(subjects) == listed
    assert all(any(f"Action {n}" in s for s in subjects) for n in range(1, 6))
    assert {r[3] for r in rows} == {"created"}
    assert len(_xlsx_rows(client.get(_link(page, "Download Excel")))) == len(rows)


def test_what_changed_links_its_downloads(client, board, plan_with_actions):
    sign_in_as(client, board)
    page = client.get(
        reverse("improvement:changes_since"), {"plan": plan_with_actions.pk}
    )
    assert page.status_code == 200
    response = client.get(_link(page, "Download CSV"))
    assert response.status_code == 200
    assert any("Action 3" in " ".join(row) for row in _csv_rows(response))
    assert client.get(_link(page, "Download Excel")).status_code == 200


def test_dashboard_and_board_pack_page_link_the_pdf(client, board, plan_with_actions):
    sign_in_as(client, board)
    dashboard = client.get(
        reverse("improvement:dashboard"), {"plan": plan_with_actions.pk}
    )
    pdf_url = _link(dashboard, "Download PDF")
    assert f"plan={plan_with_actions.pk}" in pdf_url
    response = client.get(pdf_url, follow=True)
    assert response.status_code == 200
    pack = client.get(reverse("improvement:board_pack"), {"plan": plan_with_actions.pk})
    assert "Download the board pack as a PDF" in pack.text
