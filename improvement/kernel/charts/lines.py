"""Lines over time, drawn by ``components/chart_lines.html``.

See ``improvement.kernel.charts.parts`` for what every chart shares.
"""

import math
from dataclasses import dataclass, field

from django.utils import dateformat

from improvement.kernel.charts.parts import (
    CHART_WIDTH,
    SMALL_SIZE,
    Chart,
    Series,
    Table,
    Tick,
    describe_counts,
    fmt,
    lay_out_legend,
    marker,
    nice_scale,
    text_width,
)
from improvement.kernel.dates import govuk_date


@dataclass
class Line:
    series: Series
    points: str
    markers: list
    end_label: str  # "Red 3", in words
    end_x: str
    end_y: str
    end_text: str = ""  # what is drawn at the line's end: its latest count


@dataclass
class XLabel:
    x: str
    text: str
    subtext: str = ""


@dataclass(kw_only=True)
class LineChart(Chart):
    """Everything ``components/chart_lines.html`` draws."""

    plot_bottom: str
    x_label_y: str
    x_sublabel_y: str
    lines: list
    y_ticks: list
    x_labels: list


@dataclass
class LinePoint:
    """One date on a line chart and the counts of each series on it."""

    day: object
    counts: dict = field(default_factory=dict)


def _spread(positions, minimum_gap, low, high):
    """Move label positions apart by at least ``minimum_gap``, within bounds."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = list(positions)
    previous = None
    for i in order:
        y = max(placed[i], low)
        if previous is not None and y < previous + minimum_gap:
            y = previous + minimum_gap
        placed[i] = y
        previous = y
    overflow = (placed[order[-1]] - high) if order else 0
    if overflow > 0:
        for i in order:
            placed[i] -= overflow
    return placed


#: The height of the plot, in chart units.
PLOT_HEIGHT = 200


@dataclass(frozen=True)
class _Plot:
    """Where the lines go: ``count`` points across, up to ``scale_max``."""

    left: float
    top: float
    width: float
    count: int
    scale_max: int

    @property
    def bottom(self):
        return self.top + PLOT_HEIGHT

    def x_at(self, index):
        if self.count == 1:
            return self.left + self.width / 2
        return self.left + index * self.width / (self.count - 1)

    def y_at(self, value):
        return self.bottom - value / self.scale_max * PLOT_HEIGHT


def line_chart(chart_id, title, points, series, *, unit="action", width=CHART_WIDTH):
    """One line per series across ``points`` (``LinePoint``, oldest first).

    Series that are zero throughout are left off the drawing (they would lie
    on the axis) but kept in the table. Each line ends in its latest count;
    the legend names each line by its colour, dash pattern and marker.
    """
    series = tuple(series)
    drawn_series = [s for s in series if any(p.counts.get(s.key, 0) for p in points)]
    scale_max, step = nice_scale(
        max((p.counts.get(s.key, 0) for p in points for s in series), default=0)
    )
    left = text_width(scale_max, SMALL_SIZE) + 14
    right = width - (text_width(scale_max, SMALL_SIZE, bold=True) + 20)
    plot = _Plot(
        left=left, top=12, width=right - left, count=len(points), scale_max=scale_max
    )
    bottom = plot.bottom
    x_label_y = bottom + 20
    axis_label_y = bottom + 60
    legend, legend_bottom = lay_out_legend(series, axis_label_y + 14, width, line=True)
    summary, description = _words(points, series)
    return LineChart(
        id=chart_id,
        title=title,
        description=description,
        summary=summary,
        width=width,
        height=int(legend_bottom + 8),
        plot_left=fmt(left),
        plot_right=fmt(right),
        plot_top=fmt(plot.top),
        plot_bottom=fmt(bottom),
        x_label_y=fmt(x_label_y),
        x_sublabel_y=fmt(x_label_y + 18),
        axis_label=f"Number of {unit}s",
        axis_label_x=fmt(left),
        axis_label_y=fmt(axis_label_y),
        lines=_lines(plot, points, drawn_series),
        y_ticks=_y_ticks(plot, step),
        x_labels=_x_labels(plot, points),
        legend=legend,
        series=series,
        table=_table(title, points, series),
        empty=not points,
    )


def _y_ticks(plot, step):
    """A tick every ``step`` up the left of the plot, numbered."""
    return [
        Tick(
            value=value,
            position=fmt(plot.y_at(value)),
            label_position=fmt(plot.left - 8),
        )
        for value in range(0, plot.scale_max + 1, step)
    ]


def _lines(plot, points, drawn_series):
    """A ``Line`` per series drawn, its end labels moved apart to be read."""
    lines = []
    for s in drawn_series:
        coordinates = [
            (plot.x_at(i), plot.y_at(p.counts.get(s.key, 0)))
            for i, p in enumerate(points)
        ]
        lines.append(
            Line(
                series=s,
                points=" ".join(f"{fmt(x)},{fmt(y)}" for x, y in coordinates),
                markers=[marker(s.marker, x, y) for x, y in coordinates],
                end_label=f"{s.label} {points[-1].counts.get(s.key, 0)}",
                end_x=fmt(coordinates[-1][0] + 10),
                end_y="",
                end_text=str(points[-1].counts.get(s.key, 0)),
            )
        )
    if lines:
        wanted = [
            plot.y_at(points[-1].counts.get(line.series.key, 0)) + 5 for line in lines
        ]
        spread = _spread(wanted, 18, plot.top + 10, plot.bottom + 5)
        for line, y in zip(lines, spread, strict=True):
            line.end_y = fmt(y)
    return lines


def _x_labels(plot, points):
    """As many month names as fit (each about 44 units apart), the last always;
    the year under the first month of each year shown."""
    every = max(1, math.ceil(len(points) / max(2, int(plot.width // 44))))
    indices = list(range(0, len(points), every))
    if indices and indices[-1] != len(points) - 1:
        if len(points) - 1 - indices[-1] < every and len(indices) > 1:
            indices.pop()  # too close to the last point, which is always labelled
        indices.append(len(points) - 1)
    x_labels = []
    previous_year = None
    for i in indices:
        day = points[i].day
        x_labels.append(
            XLabel(
                x=fmt(plot.x_at(i)),
                text=dateformat.format(day, "M"),
                subtext=str(day.year) if day.year != previous_year else "",
            )
        )
        previous_year = day.year
    return x_labels


def _words(points, series):
    """``(summary, description)``: the change from first to last date in one
    line, and every date's counts for screen readers."""
    if not points:
        return "There is nothing to show yet.", "No data."
    column = {s.key: [p.counts.get(s.key, 0) for p in points] for s in series}
    first, last = points[0], points[-1]
    summary = (
        f"From {govuk_date(first.day)} to "
        f"{govuk_date(last.day)}: "
        + "; ".join(
            f"{s.label.lower()} {column[s.key][0]} to {column[s.key][-1]}"
            for s in series
            if any(column[s.key])
        )
        + "."
    )
    description = " ".join(
        f"{govuk_date(p.day)}: {describe_counts(p.counts, series)}." for p in points
    )
    return summary, description


def _table(title, points, series):
    """The chart's numbers as a table: a row per date."""
    return Table(
        caption=title,
        headings=["Date", *[s.label for s in series], "Total"],
        rows=[
            {
                "label": govuk_date(p.day),
                "detail": "",
                "values": [p.counts.get(s.key, 0) for s in series],
                "total": sum(p.counts.get(s.key, 0) for s in series),
            }
            for p in points
        ],
    )
