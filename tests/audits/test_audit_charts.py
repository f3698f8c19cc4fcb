"""The chart of audit grades by month, and a practice week's chart of its dip
sample's grades: built from the grade mix, and drawn on their pages."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse

from improvement.audits import charts, grade_mix
from improvement.kernel.charts import parts
from tests.factories import AuditFactory, PlanFactory, PracticeWeekFactory
from tests.kernel.test_charts import contrast
from visits.models import Grade

TOP, GOOD, RI, BAD = (
    Grade.OUTSTANDING,
    Grade.GOOD,
    Grade.REQUIRES_IMPROVEMENT,
    Grade.INADEQUATE,
)


def _mix(year, month, before=None, **after):
    """A month's mix: ``after`` counts by grade, ``before`` likewise (the
    same as after unless given)."""
    counts = dict.fromkeys(Grade.values, 0)
    after_counts = {**counts, **after}
    before_counts = {**counts, **(before or after)}
    day = datetime.date(year, month, 1)
    return grade_mix.GradeMix(
        label=grade_mix.month_label(day),
        total=sum(after_counts.values()),
        before=before_counts,
        after=after_counts,
        month=day,
    )


def _segments(bar):
    return [(s.series.key, s.count) for s in bar.segments]


def test_a_bar_a_month_split_by_the_grades_after_moderation():
    months = [
        _mix(2025, 11, before={GOOD: 2, RI: 1}, good=1, requires_improvement=2),
        _mix(2025, 12, outstanding=1, good=2, inadequate=1),
    ]
    chart = charts.grades_by_month_chart(months)
    assert chart.title == "Audit grades by month, after moderation"
    assert [bar.label for bar in chart.bars] == [
        "November 2025 – 33% Good or better",
        "December 2025 – 75% Good or better",
    ]
    assert _segments(chart.bars[0]) == [(GOOD, 1), (RI, 2)]
    assert _segments(chart.bars[1]) == [(TOP, 1), (GOOD, 2), (BAD, 1)]
    assert [bar.total for bar in chart.bars] == [3, 4]
    # Segment lengths are in proportion to the counts, on one scale.
    unit = float(chart.bars[1].segments[0].width)
    assert float(chart.bars[0].segments[1].width) == pytest.approx(2 * unit, abs=0.2)
    assert [item.series.label for item in chart.legend] == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    ]
    assert chart.table.headings == [
        "Month",
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
        "Total",
    ]
    assert [row["values"] for row in chart.table.rows] == [[0, 1, 2, 0], [1, 2, 0, 1]]
    assert chart.table.totals["values"] == [1, 3, 2, 1]
    assert chart.summary == (
        "Grades after moderation of 7 audits, November 2025 to December 2025: "
        "1 outstanding, 3 good, 2 requires improvement, 1 inadequate."
    )
    assert chart.description.startswith(
        "November 2025 – 33% Good or better: 3 audits, 1 good, "
        "2 requires improvement. December 2025"
    )


def test_a_month_without_audits_between_two_is_a_bar_of_none():
    chart = charts.grades_by_month_chart(
        [_mix(2025, 12, good=1), _mix(2026, 3, inadequate=2)]
    )
    assert [bar.label for bar in chart.bars] == [
        "December 2025 – 100% Good or better",
        "January 2026",
        "February 2026",
        "March 2026 – 0% Good or better",
    ]
    assert [bar.segments for bar in chart.bars[1:3]] == [[], []]
    assert "January 2026: no audits. February 2026: no audits." in chart.description


def test_no_months_draw_no_chart():
    chart = charts.grades_by_month_chart([])
    assert chart.empty and chart.bars == []
    assert chart.summary == "There are no audits to show."


def test_a_month_of_one_grade_is_one_segment_across_the_bar():
    chart = charts.grades_by_month_chart([_mix(2026, 1, inadequate=5)])
    (bar,) = chart.bars
    assert _segments(bar) == [(BAD, 5)]
    (segment,) = bar.segments
    assert float(segment.x) == float(chart.plot_left)
    assert float(segment.x) + float(segment.width) == pytest.approx(
        float(chart.plot_right), abs=0.2
    )
    assert segment.show_count
    assert chart.summary == (
        "Grades after moderation of 5 audits, January 2026: 5 inadequate."
    )
    assert chart.table.totals is None  # one month: no totals row


def test_only_the_latest_months_are_drawn():
    months = [_mix(2024 + n // 12, 1 + n % 12, good=1) for n in range(15)]
    chart = charts.grades_by_month_chart(months)
    assert len(chart.bars) == charts.MONTHS_DRAWN
    assert chart.bars[0].label.startswith("April 2024")
    assert chart.bars[-1].label.startswith("March 2025")


@pytest.mark.parametrize("series", charts.GRADE_SERIES, ids=str)
def test_grade_colours_stand_out_from_white_and_carry_their_counts(series):
    """WCAG 1.4.11: 3:1 against white, the line parting segments; counts on
    the colour at 4.5:1 (14px bold is not large text)."""
    assert contrast(series.colour, parts.WHITE) >= 3
    assert contrast(series.colour, series.text_colour) >= 4.5


def test_grades_differ_by_pattern_as_well_as_colour():
    assert len({s.pattern for s in charts.GRADE_SERIES}) == 4
    assert len({s.colour for s in charts.GRADE_SERIES}) == 4
    assert [s.key for s in charts.GRADE_SERIES] == list(Grade.values)


def test_the_dip_sample_chart_has_first_grades_and_after_moderation():
    mix = _mix(2026, 1, before={GOOD: 2}, good=1, requires_improvement=1)
    chart = charts.moderation_chart(mix)
    assert [bar.label for bar in chart.bars] == ["First grade", "After moderation"]
    assert _segments(chart.bars[0]) == [(GOOD, 2)]
    assert _segments(chart.bars[1]) == [(GOOD, 1), (RI, 1)]
    assert chart.table.totals is None
    assert chart.summary == (
        "2 audits: 2 graded Good or better at first, 1 after moderation."
    )


# The pages ------------------------------------------------------------------


@pytest.fixture
def _today():
    with time_machine.travel(datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)):
        yield


def _chart_svg(text, chart_id):
    """The SVG of chart ``chart_id`` on a page, and its accessible name and
    description (what ``aria-labelledby`` points at)."""
    (svg,) = re.findall(
        rf'<div class="app-chart" id="{chart_id}">.*?(<svg.*?</svg>)', text, re.S
    )
    labelledby = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    named = [
        html.unescape(re.search(rf'id="{i}">(.*?)</', svg, re.S).group(1))
        for i in labelledby
    ]
    return svg, named


@pytest.mark.django_db
@pytest.mark.usefixtures("_today")
def test_the_audits_page_draws_the_grades_by_month(client_as_board):
    plan = PlanFactory()
    for day, grade, moderated in [
        (datetime.date(2025, 11, 5), GOOD, RI),
        (datetime.date(2025, 11, 9), GOOD, ""),
        (datetime.date(2025, 11, 20), BAD, ""),
        (datetime.date(2026, 1, 7), TOP, ""),
    ]:
        AuditFactory(plan=plan, audit_date=day, grade=grade, moderated_grade=moderated)
    response = client_as_board.get(reverse("audits:audit_list"), {"plan": plan.pk})
    text = response.text
    svg, (name, description) = _chart_svg(text, "grades-by-month")
    assert 'role="img"' in svg
    assert name == "Audit grades by month, after moderation"
    assert description == (
        "November 2025 – 33% Good or better: 3 audits, 1 good, "
        "1 requires improvement, 1 inadequate. "
        "December 2025: no audits. "
        "January 2026 – 100% Good or better: 1 audit, 1 outstanding."
    )
    # The bars' names, and the count on each segment and at each bar's end.
    assert ">November 2025 – 33% Good or better</tspan>" in svg
    assert ">December 2025</tspan>" in svg
    counts = re.findall(r'font-weight="bold" fill="#[0-9a-f]+">(\d+)</text>', svg)
    assert counts == ["1", "1", "1", "1"]
    totals = re.findall(
        rf'<text x="[^"]+" y="[^"]+" fill="{parts.TEXT_COLOUR}">(\d+)<', svg
    )
    assert totals == ["3", "0", "1"]
    assert svg.count('fill="none" stroke=') == 1  # Good, the one light grade
    # The grade mix table stays, as the chart's alternative, and the chart
    # adds no second table of its own.
    assert "Show the numbers as a table" not in text
    assert text.count('aria-labelledby="by-month"') == 1
    assert text.index('id="grades-by-month"') < text.index('aria-labelledby="by-month"')


@pytest.mark.django_db
@pytest.mark.usefixtures("_today")
def test_the_audits_page_without_audits_draws_no_chart(client_as_board):
    response = client_as_board.get(reverse("audits:audit_list"))
    assert response.status_code == 200
    assert "<svg" not in response.text.split("<main", 1)[1]


@pytest.mark.django_db
@pytest.mark.usefixtures("_today")
def test_a_practice_week_draws_its_dip_sample_before_and_after(client_as_board):
    week = PracticeWeekFactory()
    AuditFactory(plan=week.plan, practice_week=week, grade=GOOD, moderated_grade=RI)
    AuditFactory(plan=week.plan, practice_week=week, grade=BAD)
    text = client_as_board.get(week.get_absolute_url()).text
    svg, (name, description) = _chart_svg(text, "dip-sample-grades")
    assert name == "Dip sample: grades first given and after moderation"
    assert description == (
        "First grade: 2 audits, 1 good, 1 inadequate. "
        "After moderation: 2 audits, 1 requires improvement, 1 inadequate."
    )
    assert "Show the numbers as a table" in text
