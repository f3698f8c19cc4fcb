"""The board's charts, from ``improvement.board.figures``: delivery status and
RAG by priority (stacked bars) and month by month (lines).

The geometry is in ``improvement.kernel.charts`` (``bars``, ``lines``);
imports no app models.
"""

from improvement.board.chart_parts import RAG_SERIES, STATUS_SERIES
from improvement.kernel.charts.bars import BarInput, stacked_bar_chart
from improvement.kernel.charts.lines import LinePoint, line_chart


def priority_name(priority):
    """“1. Workforce”: a priority's number and title, as its bar is named.

    ``priority``: anything with ``number`` and ``title`` (None for actions
    with no priority).
    """
    if priority.number is None:
        return "No priority"
    return f"{priority.number}. {priority.title}"


def status_by_priority_chart(priorities, chart_id="status-by-priority"):
    """Stacked bars of delivery status for each priority.

    ``priorities``: ``figures.PriorityFigures`` (or anything with
    ``number``, ``title`` and ``status_counts``).
    """
    return stacked_bar_chart(
        chart_id,
        "Delivery status by priority",
        [BarInput(priority_name(p), p.status_counts) for p in priorities],
        STATUS_SERIES,
    )


def rag_by_priority_chart(priorities, chart_id="rag-by-priority"):
    """Stacked bars of RAG for each priority, Blue for delivered actions and
    actions nobody has assessed yet on their own.

    Withdrawn actions have no RAG, so a priority's bar can be shorter here
    than in the delivery status chart.
    """
    return stacked_bar_chart(
        chart_id,
        "RAG by priority",
        [BarInput(priority_name(p), p.rag_counts) for p in priorities],
        RAG_SERIES,
    )


def status_trend_chart(points, chart_id="status-trend"):
    """Lines of actions at each delivery status, month by month.

    ``points``: ``figures.TrendPoint`` (anything with ``day`` and
    ``status_counts``).
    """
    return line_chart(
        chart_id,
        "Actions by delivery status at the end of each month",
        [LinePoint(p.day, p.status_counts) for p in points],
        STATUS_SERIES,
    )


def rag_trend_chart(points, chart_id="rag-trend"):
    """Lines of actions at each RAG (Blue for delivered, and not assessed),
    month by month."""
    return line_chart(
        chart_id,
        "Actions by RAG at the end of each month",
        [LinePoint(p.day, p.rag_counts) for p in points],
        RAG_SERIES,
    )
