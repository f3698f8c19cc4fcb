"""Long text, tables and charts fit any screen (issue 8, points 2 to 4).

Links typed into progress and other free text become links, safely; tables
scroll inside their own labelled region or reflow; charts name their bars
and are drawn for a phone's width. The widths themselves are measured in a
real browser (tests/e2e/test_reflow.py) and in the PDF (test_board_pack_pdf
below).
"""

import datetime
import io
import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from improvement.board import chart_parts, charts
from improvement.board.pack import pack_content, pack_pdf
from improvement.kernel.charts import bars as bar_charts
from improvement.kernel.charts import lines as line_charts
from improvement.kernel.charts import parts
from improvement.kernel.history import acting_as
from improvement.kernel.templatetags.govuk import linked_text
from tests.factories import (
    ActionFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
)
from tests.helpers import LONG_LINK


def test_the_long_link_is_long():
    assert len(LONG_LINK) == 300 and " " not in LONG_LINK


# ---------------------------------------------------------------------------
# Links in typed text
# ---------------------------------------------------------------------------


def test_web_addresses_become_links_that_tell_nothing_about_the_site():
    html = linked_text(f"Audit notes: {LONG_LINK}. Shared with the board.")
    assert html.startswith("Audit notes: <a ")
    assert f'href="{LONG_LINK}"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert "app-free-text" in html  # the link's text may wrap anywhere
    # The full stop after the address is text, not part of the link.
    assert html.endswith("</a>. Shared with the board.")


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "www.example.com",
        "example.org/phishing",
        "someone@example.org",
        "ftp://files.example.org/plan.docx",
    ],
)
def test_only_http_and_https_addresses_become_links(text):
    html = linked_text(f"See {text} now")
    assert "<a" not in html
    assert "href" not in html


def test_html_in_typed_text_stays_text():
    html = linked_text(
        '<script>alert(1)</script><a href="javascript:alert(2)">x</a> '
        '<img src=x onerror="alert(3)"> & more'
    )
    assert "<script" not in html and "<img" not in html and "<a" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp; more" in html


def test_an_address_cannot_break_out_of_its_link():
    html = linked_text('https://example.org/"onmouseover="alert(1) and <b>bold</b>')
    assert html.count("<a ") == 1
    assert "onmouseover=" not in re.sub(r"&quot;", "", html.split(">")[0])
    assert '"onmouseover' not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_a_limit_shortens_the_links_text_not_its_address():
    html = linked_text(LONG_LINK, 60)
    assert f'href="{LONG_LINK}"' in html
    text = re.search(r">([^<]*)</a>", html).group(1)
    assert len(text) == 60 and text.endswith("…")


def test_empty_text_stays_empty():
    assert linked_text("") == ""
    assert linked_text(None) == ""


@pytest.mark.django_db
def test_the_action_page_links_progress_and_keeps_html_inert(client_as_officer):
    action = ActionFactory()
    ProgressUpdateFactory(
        action=action,
        narrative=(
            f'Notes at {LONG_LINK} <script>alert("x")</script> javascript:alert(1)'
        ),
    )
    response = client_as_officer.get(action.get_absolute_url())
    text = response.content.decode()
    assert (
        f'<a class="govuk-link app-free-text app-link--address" href="{LONG_LINK}"'
        in (text)
    )
    assert '<script>alert("x")' not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert 'href="javascript' not in text


# ---------------------------------------------------------------------------
# Table regions
# ---------------------------------------------------------------------------


def render(source, **context):
    return Template("{% load govuk %}" + source).render(Context(context))


def test_a_table_region_is_labelled_and_focusable():
    html = render(
        '{% table_region label=name %}<table class="govuk-table"></table>'
        "{% endtable_region %}",
        name="Actions & findings",
    )
    assert 'class="app-table-region"' in html
    assert 'role="region"' in html
    assert 'aria-label="Actions &amp; findings"' in html
    assert 'tabindex="0"' in html
    assert '<table class="govuk-table"></table></div>' in html


def test_a_table_region_can_be_named_by_its_heading():
    html = render(
        '{% table_region labelledby="history" %}<table></table>{% endtable_region %}'
    )
    assert 'aria-labelledby="history"' in html
    assert "aria-label=" not in html


def test_a_table_region_needs_a_name():
    with pytest.raises(TemplateSyntaxError):
        render("{% table_region %}<table></table>{% endtable_region %}")
    with pytest.raises(TemplateSyntaxError):
        render('{% table_region title="x" %}<table></table>{% endtable_region %}')


# ---------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------


class _Priority:
    def __init__(self, number, title, counts):
        self.number, self.title = number, title
        self.status_counts = self.rag_counts = counts


def test_bars_are_named_by_their_priorities():
    chart = charts.status_by_priority_chart(
        [
            _Priority(1, "Workforce", {"in_progress": 2}),
            _Priority(2, "Children in care and care leavers", {"delivered": 1}),
            _Priority(None, "", {"not_started": 1}),
        ]
    )
    assert [bar.label for bar in chart.bars] == [
        "1. Workforce",
        "2. Children in care and care leavers",
        "No priority",
    ]
    assert chart.description.startswith("1. Workforce: 2 actions, 2 in progress.")
    assert [row["label"] for row in chart.table.rows][0] == "1. Workforce"
    assert "Priority 1" not in chart.description


def test_long_priority_names_wrap_above_their_bars():
    title = "Leadership, governance and management oversight of practice " * 3
    chart = bar_charts.stacked_bar_chart(
        "c",
        "Status",
        [bar_charts.BarInput(f"1. {title}", {"delivered": 2})],
        chart_parts.STATUS_SERIES,
    )
    (bar,) = chart.bars
    lines = [line.text for line in bar.label_lines]
    assert len(lines) == 2 and lines[-1].endswith("…")
    for line in lines:
        assert parts.text_width(line, parts.LABEL_SIZE, bold=True) <= chart.width
    # The name is above the bar, and the bar below it.
    assert float(bar.label_lines[-1].y) < float(bar.y)


def test_chart_text_is_readable_on_a_phone():
    """Drawn at CHART_WIDTH and scaled into a 375 px phone's column (345 px)."""
    scale = (375 - 30) / parts.CHART_WIDTH
    assert parts.SMALL_SIZE * scale >= 12
    assert parts.LABEL_SIZE * scale >= 13.5


def test_line_charts_fit_a_phone_and_end_in_their_counts():
    points = [
        line_charts.LinePoint(
            datetime.date(2026, month, 28), {"red": month, "green": 1}
        )
        for month in range(1, 13)
    ]
    chart = line_charts.line_chart("t", "RAG", points, chart_parts.RAG_SERIES)
    assert chart.width == parts.CHART_WIDTH
    assert [line.end_text for line in chart.lines] == ["12", "1"]
    assert [line.end_label for line in chart.lines] == ["Red 12", "Green 1"]
    # Month names at least about 40 units apart, so they do not collide.
    xs = [float(label.x) for label in chart.x_labels]
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= 40


@pytest.mark.django_db
def test_the_dashboard_draws_named_bars(client_as_board):
    plan = PlanFactory()
    priority = PriorityFactory(plan=plan, number=1, title="Workforce")
    ActionFactory(plan=plan, priority=priority)
    response = client_as_board.get(reverse("improvement:dashboard"))
    svgs = re.findall(r"<svg.*?</svg>", response.content.decode(), flags=re.S)
    charts_drawn = [svg for svg in svgs if 'role="img"' in svg]
    assert len(charts_drawn) == 2
    for svg in charts_drawn:
        assert ">1. Workforce</tspan>" in svg
        assert "Priority 1" not in svg


# ---------------------------------------------------------------------------
# The board pack PDF keeps long links on the page
# ---------------------------------------------------------------------------


def _text_runs(page):
    """The page's text, and (start, end, text) of each run of text on it.

    ``end`` is estimated from the run's length and font size (Arial's
    characters average about half an em), in points like the page's width.
    """
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            runs.append((x, x + len(text.rstrip()) * size * cm[0] * 0.45, text))

    text = page.extract_text(visitor_text=visit)
    return text, runs


@pytest.mark.django_db
def test_board_pack_pdf_keeps_a_long_link_within_the_page(manager, officer):
    today = timezone.localdate()
    plan = PlanFactory(start_date=today - datetime.timedelta(days=200))
    priority = PriorityFactory(plan=plan, number=1, title="Workforce")
    with acting_as(manager):
        action = ActionFactory(
            plan=plan,
            priority=priority,
            lead_owner=officer.owner,
            original_due_date=today + datetime.timedelta(days=20),
        )
    with acting_as(officer):
        ProgressUpdateFactory(
            action=action,
            author=officer,
            update_date=today,
            narrative=f"Audit notes: {LONG_LINK}",
        )
        action.refresh_from_db()
        action.due_date = today + datetime.timedelta(days=60)
        action._change_reason = f"Waiting for the audit at {LONG_LINK}"
        action.save()

    pack = pack_content(plan, today, today - datetime.timedelta(days=30), today)
    reader = PdfReader(io.BytesIO(pack_pdf(pack, "http://testserver/")))

    pages_with_changes = 0
    for number, page in enumerate(reader.pages, start=1):
        width = float(page.mediabox.width)
        text, runs = _text_runs(page)
        off_page = [(round(end), run[:40]) for _, end, run in runs if end > width]
        assert off_page == [], f"Text runs off page {number}: {off_page}"
        words = text.split()
        if "What changed" in text and "Reason" in words:
            pages_with_changes += 1
            assert "By" in words and "When" in words, f"page {number}"
    assert pages_with_changes, "The pack has no table of changes"
    # The long link is in the pack, wrapped: its pieces are on the page.
    all_text = "".join(page.extract_text() for page in reader.pages)
    assert "northmoor.sharepoint.com" in all_text
