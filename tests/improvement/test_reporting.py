"""The board's figures: states now and as they stood, summaries and charts."""

import datetime

import pytest

from findings.models import Finding
from improvement.board import chart_parts, periods
from improvement.board.figures import board_figures, by_priority, summarise, trend
from improvement.board.states import current_states, findings_to_answer, states_as_at
from improvement.kernel import dates
from improvement.kernel.charts import bars as bar_charts
from improvement.kernel.charts import lines as line_charts
from improvement.kernel.charts import parts
from improvement.plan.models import Action
from tests.factories import (
    FindingFactory,
    InspectionFactory,
    MonitoringVisitFactory,
    PlanFactory,
)
from tests.helpers import HandBuiltPlan, at, travel
from visits.models import MonitoringVisit

TODAY = datetime.date(2026, 6, 15)


# ---------------------------------------------------------------------------
# A small plan whose figures are worked out by hand
# ---------------------------------------------------------------------------


@pytest.fixture
def hand_built(db):
    return HandBuiltPlan()


def refs(states):
    return [s.reference for s in states]


def test_summary_matches_the_hand_worked_figures(hand_built):
    with travel(at(2026, 6, 15)):
        states = current_states(hand_built.plan)
        summary = summarise(
            states,
            TODAY,
            stale_days=30,
            findings=findings_to_answer(hand_built.plan),
        )
    assert refs(states) == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    assert summary.total == 6
    assert summary.status_counts == {
        "not_started": 1,
        "in_progress": 2,
        "paused": 1,
        "delivered": 1,
        "withdrawn": 1,
    }
    assert summary.delivered == 1
    assert summary.in_scope == 5
    assert summary.delivered_percent == 20
    # Blue replaces the delivered action's green; withdrawn 2.3 has no RAG.
    assert summary.rag_counts == {
        "red": 1,
        "amber": 2,
        "green": 1,
        "blue": 1,
        "not_assessed": 0,
    }
    assert refs(summary.overdue) == ["1.3", "2.1"]
    assert [s.days_overdue for s in summary.overdue] == [45, 15]
    assert refs(summary.stale) == ["2.2", "1.3"]
    assert refs(summary.slipped) == ["1.2"]
    assert summary.slipped[0].slipped_days == 61
    assert refs(summary.red) == ["1.2"]
    assert refs(summary.orphans) == ["2.1", "2.3"]
    assert refs(summary.due_soon) == ["1.2", "2.2"]
    assert [f.reference for f in summary.findings_to_answer] == [
        "F1",
        "F2",
        "F3",
        "F4",
    ]
    assert [f.reference for f in summary.unanswered_findings] == ["F3"]
    assert summary.status_phrase == (
        "1 not started, 2 in progress, 1 paused, 1 delivered and 1 withdrawn"
    )


def test_signals_agree_with_the_action_querysets(hand_built):
    with travel(at(2026, 6, 15)):
        summary = summarise(current_states(hand_built.plan))
        actions = Action.objects.filter(plan=hand_built.plan)
        assert {s.id for s in summary.overdue} == set(
            actions.overdue().values_list("pk", flat=True)
        )
        assert {s.id for s in summary.stale} == set(
            actions.stale().values_list("pk", flat=True)
        )
        assert {s.id for s in summary.slipped} == set(
            actions.slipped().values_list("pk", flat=True)
        )
        assert {s.id for s in summary.orphans} == set(
            actions.orphans().values_list("pk", flat=True)
        )
        # The action itself judges the same way (``DeliverySignals``).
        today = at(2026, 6, 15).date()
        assert {a.pk for a in actions if a.overdue_on(today)} == {
            s.id for s in summary.overdue
        }
        assert {a.pk for a in actions if a.is_slipped} == {
            s.id for s in summary.slipped
        }
        assert {a.pk for a in actions if a.is_open} == set(
            actions.open().values_list("pk", flat=True)
        )


def test_figures_by_priority(hand_built):
    with travel(at(2026, 6, 15)):
        figures = by_priority(current_states(hand_built.plan))
    assert [(p.label, p.title, p.total) for p in figures] == [
        ("Priority 1", "Leadership", 3),
        ("Priority 2", "Practice", 3),
    ]
    one, two = figures
    assert one.status_counts == {
        "not_started": 0,
        "in_progress": 1,
        "paused": 1,
        "delivered": 1,
        "withdrawn": 0,
    }
    assert one.rag_counts == {
        "red": 1,
        "amber": 1,
        "green": 0,
        "blue": 1,
        "not_assessed": 0,
    }
    assert two.status_counts == {
        "not_started": 1,
        "in_progress": 1,
        "paused": 0,
        "delivered": 0,
        "withdrawn": 1,
    }
    assert two.rag_counts == {
        "red": 0,
        "amber": 1,
        "green": 1,
        "blue": 0,
        "not_assessed": 0,
    }


def test_history_now_matches_the_current_state(hand_built):
    """Rebuilt from history at this moment, every action reads as it is."""
    with travel(at(2026, 6, 15)):
        now = current_states(hand_built.plan)
        rebuilt = states_as_at(hand_built.plan, at(2026, 6, 15))
    assert rebuilt == now


def test_states_as_at_a_past_date(hand_built):
    with travel(at(2026, 6, 15)):
        states = states_as_at(hand_built.plan, at(2026, 2, 15))
    by_ref = {s.reference: s for s in states}
    # 1.2 and 2.1 were not started yet; 1.2 was still due on 30 April.
    assert by_ref["1.2"].status == "not_started"
    assert by_ref["1.2"].due_date == datetime.date(2026, 4, 30)
    assert by_ref["1.2"].slipped_days == 0
    assert by_ref["2.1"].status == "not_started"
    assert by_ref["1.3"].last_update_date is None
    assert by_ref["1.1"].finding_ids == {hand_built.findings["F1"].pk}
    assert all(s.on == datetime.date(2026, 2, 15) for s in states)


def test_states_before_the_actions_existed_are_empty(hand_built):
    assert states_as_at(hand_built.plan, at(2026, 1, 9)) == []


def test_board_figures_bundle(hand_built):
    with travel(at(2026, 6, 15)):
        now = board_figures(hand_built.plan)
        then = board_figures(hand_built.plan, datetime.date(2026, 4, 1))
    assert now.on == TODAY and now.as_at is None
    assert [u.action.reference for u in now.updates] == ["2.1", "1.2", "1.3"]
    assert then.on == datetime.date(2026, 4, 1)
    assert [u.action.reference for u in then.updates] == ["1.3"]
    assert refs(then.summary.overdue) == []
    assert [p.number for p in then.priorities] == [1, 2]


def test_a_deleted_action_leaves_the_plan_from_that_moment(hand_built):
    with travel(at(2026, 6, 20)):
        hand_built.a23.delete()
        assert "2.3" not in refs(current_states(hand_built.plan))
    before = states_as_at(hand_built.plan, at(2026, 6, 19))
    after = states_as_at(hand_built.plan, at(2026, 6, 21))
    assert "2.3" in refs(before)
    assert "2.3" not in refs(after)


def test_findings_to_answer_as_they_stood(hand_built):
    with travel(at(2026, 2, 1)):
        FindingFactory(inspection=hand_built.inspection, reference="F6")
    earlier = findings_to_answer(hand_built.plan, at(2026, 1, 31))
    later = findings_to_answer(hand_built.plan, at(2026, 2, 2))
    assert [f.reference for f in earlier] == ["F1", "F2", "F3", "F4"]
    assert [f.reference for f in later] == ["F1", "F2", "F3", "F4", "F6"]


def test_a_plan_that_names_no_source_answers_no_finding(db):
    plan = PlanFactory()
    FindingFactory(reference="R1")
    visit = MonitoringVisitFactory()
    FindingFactory(reference="V1", inspection=None, monitoring_visit=visit)
    assert findings_to_answer(plan) == []
    assert findings_to_answer(plan, at(2030, 1, 1)) == []


def test_findings_to_answer_come_from_every_source_the_plan_names(db):
    """An inspection, and a peer review that follows no inspection."""
    inspection = InspectionFactory()
    review = MonitoringVisitFactory(
        inspection=None, kind=MonitoringVisit.Kind.PEER_REVIEW, sequence=1
    )
    plan = PlanFactory(inspections=[inspection], visits=[review])
    FindingFactory(reference="R1", inspection=inspection)
    FindingFactory(reference="R2", inspection=inspection, kind=Finding.Kind.STRENGTH)
    FindingFactory(reference="PR-1", inspection=None, monitoring_visit=review)
    FindingFactory(reference="X1")  # another inspection's
    FindingFactory(  # a visit that follows another inspection
        reference="MV1-1", inspection=None, monitoring_visit=MonitoringVisitFactory()
    )
    assert [f.reference for f in findings_to_answer(plan)] == [
        "PR-1",
        "R1",
    ]


# ---------------------------------------------------------------------------
# Trend
# ---------------------------------------------------------------------------


def test_trend_counts_each_month_end(hand_built):
    points = trend(hand_built.plan, datetime.date(2026, 3, 20))
    assert [p.day for p in points] == [
        datetime.date(2026, 1, 31),
        datetime.date(2026, 2, 28),
        datetime.date(2026, 3, 20),
    ]
    january, february, march = points
    assert january.total == 6
    assert january.status_counts["not_started"] == 3
    assert january.status_counts["in_progress"] == 0
    assert march.status_counts["not_started"] == 1
    assert march.status_counts["in_progress"] == 2
    assert february.rag_counts == {
        "red": 1,
        "amber": 2,
        "green": 1,
        "blue": 1,
        "not_assessed": 0,
    }


def test_trend_before_the_plan_starts_is_empty(hand_built):
    assert trend(hand_built.plan, datetime.date(2025, 12, 31)) == []


# ---------------------------------------------------------------------------
# Dates and ordering
# ---------------------------------------------------------------------------


def test_month_ends():
    d = datetime.date
    assert periods.month_ends(d(2025, 11, 20), d(2026, 2, 10)) == [
        d(2025, 11, 30),
        d(2025, 12, 31),
        d(2026, 1, 31),
        d(2026, 2, 10),
    ]
    assert periods.month_ends(d(2024, 2, 1), d(2024, 2, 29)) == [d(2024, 2, 29)]
    assert periods.month_ends(d(2026, 3, 1), d(2026, 2, 1)) == []


def test_end_of_day_is_london_midnight():
    end = dates.end_of_day(datetime.date(2026, 6, 30))
    assert end.astimezone(datetime.UTC) == datetime.datetime(
        2026, 6, 30, 22, 59, 59, 999999, tzinfo=datetime.UTC
    )


# ---------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------


def test_stacked_bar_geometry_and_words():
    chart = bar_charts.stacked_bar_chart(
        "c",
        "Delivery status by priority",
        [
            bar_charts.BarInput(
                "Priority 1", {"in_progress": 3, "delivered": 1}, "Lead"
            ),
            bar_charts.BarInput("Priority 2", {"not_started": 2}),
        ],
        chart_parts.STATUS_SERIES,
    )
    one, two = chart.bars
    assert [s.count for s in one.segments] == [3, 1]
    widths = [float(s.width) for s in one.segments]
    assert widths[0] == pytest.approx(3 * widths[1], rel=0.01)
    assert float(one.segments[1].x) == pytest.approx(
        float(one.segments[0].x) + widths[0], abs=0.1
    )
    assert one.total == 4 and two.total == 2
    assert chart.summary == (
        "6 actions across 2 priorities: 2 not started, 3 in progress, 1 delivered."
    )
    assert "Priority 1 (Lead): 4 actions, 3 in progress, 1 delivered." in (
        chart.description
    )
    assert chart.table.rows[0]["values"] == [0, 3, 0, 1, 0]
    assert chart.table.totals["values"] == [2, 3, 0, 1, 0]
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4]


def test_line_chart_labels_lines_and_leaves_out_empty_series():
    points = [
        line_charts.LinePoint(datetime.date(2026, 1, 31), {"red": 1, "green": 4}),
        line_charts.LinePoint(datetime.date(2026, 2, 28), {"red": 3, "green": 2}),
    ]
    chart = line_charts.line_chart("t", "RAG", points, chart_parts.RAG_SERIES)
    assert [line.series.key for line in chart.lines] == ["red", "green"]
    assert [line.end_label for line in chart.lines] == ["Red 3", "Green 2"]
    assert len(chart.table.rows) == 2
    assert chart.table.headings[-1] == "Total"
    assert chart.summary.startswith("From 31 January 2026 to 28 February 2026")


def test_nice_scale():
    assert parts.nice_scale(0) == (1, 1)
    assert parts.nice_scale(4) == (4, 1)
    assert parts.nice_scale(37) == (40, 10)
    assert parts.nice_scale(150) == (150, 50)
