"""Horizontal stacked bars, drawn by ``components/chart_stacked_bars.html``.

See ``improvement.kernel.charts.parts`` for what every chart shares.
"""

from dataclasses import dataclass

from improvement.kernel.charts.parts import (
    CHART_WIDTH,
    LABEL_SIZE,
    SMALL_SIZE,
    Chart,
    Series,
    Table,
    Tick,
    describe_counts,
    fmt,
    lay_out_legend,
    nice_scale,
    plural,
    text_width,
    wrap_text,
)


@dataclass(frozen=True)
class BarWords:
    """How a chart names what it counts and its bars.

    ``unit`` is what is counted ("action"); ``row_heading`` heads the
    table's first column; ``row_noun`` and ``row_noun_plural`` name the bars
    in the summary; ``all_rows_label`` names the table's totals row.
    """

    unit: str = "action"
    row_heading: str = "Priority"
    row_noun: str = "priority"
    row_noun_plural: str = "priorities"
    all_rows_label: str = "All priorities"

    def rows(self, count):
        return self.row_noun if count == 1 else self.row_noun_plural


#: Actions by priority: the board's charts.
ACTIONS_BY_PRIORITY = BarWords()


@dataclass
class BarInput:
    """One bar to draw: its label, a longer name for the table, and its counts."""

    label: str
    counts: dict
    detail: str = ""


@dataclass
class Segment:
    series: Series
    count: int
    x: str
    y: str
    width: str
    height: str
    text_x: str
    text_y: str
    show_count: bool
    badge_x: str = ""
    badge_y: str = ""
    badge_width: str = ""
    #: A thin outline just inside the segment, for light colours (drawn when
    #: ``series.is_light``) so they stand out from white and their neighbours.
    outline_x: str = ""
    outline_y: str = ""
    outline_width: str = ""
    outline_height: str = ""


@dataclass
class LabelLine:
    """One line of a bar's name, drawn above the bar."""

    text: str
    y: str


@dataclass
class Bar:
    label: str
    detail: str
    total: int
    label_x: str
    label_lines: list
    y: str
    bottom: str
    total_x: str
    total_y: str
    segments: list


@dataclass(kw_only=True)
class BarChart(Chart):
    """Everything ``components/chart_stacked_bars.html`` draws."""

    axis_y: str
    tick_label_y: str
    bars: list
    ticks: list


#: Heights in chart units: a line of a bar's name, a bar, the gap below it.
LINE_HEIGHT = 20
BAR_HEIGHT = 28
GAP = 16
#: Room above the first bar.
TOP = 4


@dataclass(frozen=True)
class _Plot:
    """Where the bars go: from ``left`` across ``width``, up to ``scale_max``."""

    left: float
    width: float
    scale_max: int
    step: int

    @property
    def right(self):
        return self.left + self.width

    def length(self, count):
        return count / self.scale_max * self.width


@dataclass(frozen=True)
class _Axis:
    """The axis under the bars, its label and the legend under that."""

    y: float
    ticks: list
    label_y: float
    legend: list
    bottom: float


def stacked_bar_chart(
    chart_id,
    title,
    bars,
    series,
    *,
    words=ACTIONS_BY_PRIORITY,
    summary=None,
    width=CHART_WIDTH,
):
    """Horizontal stacked bars, one per ``BarInput``, split by ``series``.

    Each bar's name is written above it, across the chart's whole width (in
    up to two lines), so a name such as "3. Children in care and care
    leavers" fits a phone. ``words`` (``BarWords``) names what is counted
    and the bars. ``summary`` replaces the generated one-line summary.
    """
    series = tuple(series)
    totals = [_total(bar, series) for bar in bars]
    plot = _plot(totals, width)
    drawn, y = _bars(bars, totals, series, plot, width)
    axis = _axis(plot, y, series, width)
    if summary is None:
        summary = _summary(bars, series, words)
    return BarChart(
        id=chart_id,
        title=title,
        description=_description(bars, totals, series, words.unit),
        summary=summary,
        width=width,
        height=int(axis.bottom + 8),
        plot_left=fmt(plot.left),
        plot_right=fmt(plot.right),
        plot_top=fmt(TOP),
        axis_y=fmt(axis.y),
        tick_label_y=fmt(axis.y + 16),
        axis_label=f"Number of {words.unit}s",
        axis_label_x=fmt(plot.left + plot.width / 2),
        axis_label_y=fmt(axis.label_y),
        bars=drawn,
        ticks=axis.ticks,
        legend=axis.legend,
        series=series,
        table=_table(title, bars, totals, series, words),
        empty=not bars,
    )


def _total(bar, series):
    return sum(bar.counts.get(s.key, 0) for s in series)


def _plot(totals, width):
    """Room for the axis's "0" on the left and the largest total on the right."""
    left = 6
    right = width - (text_width(max(totals, default=0), LABEL_SIZE) + 12)
    scale_max, step = nice_scale(max(totals, default=0))
    return _Plot(left=left, width=right - left, scale_max=scale_max, step=step)


def _bars(bars, totals, series, plot, width):
    """Each ``Bar``, top down from ``TOP``; returns ``(bars, next y)``."""
    drawn = []
    y = TOP
    for bar, total in zip(bars, totals, strict=True):
        drawn_bar, y = _bar(bar, total, series, plot, y, width)
        drawn.append(drawn_bar)
    return drawn, y


def _axis(plot, y, series, width):
    """The axis just under the last bar (``y`` is below its gap), the ticks,
    the axis's label and the legend."""
    axis_y = y - GAP + 4
    ticks = [
        Tick(
            value=value,
            position=fmt(plot.left + plot.length(value)),
            label_position=fmt(axis_y + 16),
        )
        for value in range(0, plot.scale_max + 1, plot.step)
    ]
    label_y = axis_y + 38
    legend, bottom = lay_out_legend(series, label_y + 14, width)
    return _Axis(y=axis_y, ticks=ticks, label_y=label_y, legend=legend, bottom=bottom)


def _bar(bar, total, series, plot, y, width):
    """One bar, its name drawn from ``y`` down; returns ``(Bar, next y)``."""
    lines = wrap_text(bar.label, width, size=LABEL_SIZE, bold=True)
    label_lines = [
        LabelLine(text=line, y=fmt(y + 15 + i * LINE_HEIGHT))
        for i, line in enumerate(lines)
    ]
    y += len(lines) * LINE_HEIGHT + 4
    segments, end = _segments(bar, series, plot, y)
    drawn = Bar(
        label=bar.label,
        detail=bar.detail,
        total=total,
        label_x="0",
        label_lines=label_lines,
        y=fmt(y),
        bottom=fmt(y + BAR_HEIGHT),
        total_x=fmt(end + 6),
        total_y=fmt(y + BAR_HEIGHT / 2 + 6),
        segments=segments,
    )
    return drawn, y + BAR_HEIGHT + GAP


def _segments(bar, series, plot, y):
    """A ``Segment`` per series counted in ``bar``, left to right from the
    plot's left; returns ``(segments, where the last ends)``."""
    x = plot.left
    segments = []
    for s in series:
        count = bar.counts.get(s.key, 0)
        if not count:
            continue
        length = plot.length(count)
        segments.append(_segment(s, count, x, y, length))
        x += length
    return segments, x


def _segment(series, count, x, y, length):
    badge = text_width(count, SMALL_SIZE, bold=True) + 8
    return Segment(
        series=series,
        count=count,
        x=fmt(x),
        y=fmt(y),
        width=fmt(length),
        height=fmt(BAR_HEIGHT),
        text_x=fmt(x + length / 2),
        text_y=fmt(y + BAR_HEIGHT / 2 + 5),
        show_count=length >= badge + 4,
        badge_x=fmt(x + (length - badge) / 2),
        badge_y=fmt(y + BAR_HEIGHT / 2 - 10),
        badge_width=fmt(badge),
        # Inside the 2-unit white line that parts segments (1 unit of it
        # falls inside), half the outline's 1-unit width in again.
        outline_x=fmt(x + 1.5),
        outline_y=fmt(y + 1.5),
        outline_width=fmt(max(length - 3, 0)),
        outline_height=fmt(BAR_HEIGHT - 3),
    )


def _column_totals(bars, series):
    return [sum(b.counts.get(s.key, 0) for b in bars) for s in series]


def _summary(bars, series, words):
    """The one-line summary: the whole count, and how it splits by series."""
    if not bars:
        return f"There are no {words.unit}s to show."
    column_totals = _column_totals(bars, series)
    by_series = {s.key: n for s, n in zip(series, column_totals, strict=True)}
    return (
        f"{plural(sum(column_totals), words.unit)} across {len(bars)} "
        f"{words.rows(len(bars))}: {describe_counts(by_series, series)}."
    )


def _description(bars, totals, series, unit):
    """Every bar in words, for screen readers."""
    return (
        " ".join(
            f"{bar.label}{' (' + bar.detail + ')' if bar.detail else ''}: "
            + (
                f"{plural(total, unit)}, {describe_counts(bar.counts, series)}."
                if total
                else f"no {unit}s."
            )
            for bar, total in zip(bars, totals, strict=True)
        )
        or f"No {unit}s."
    )


def _table(title, bars, totals, series, words):
    """The chart's numbers as a table, with a totals row for two or more bars."""
    column_totals = _column_totals(bars, series)
    return Table(
        caption=title,
        headings=[words.row_heading, *[s.label for s in series], "Total"],
        rows=[
            {
                "label": bar.label,
                "detail": bar.detail,
                "values": [bar.counts.get(s.key, 0) for s in series],
                "total": total,
            }
            for bar, total in zip(bars, totals, strict=True)
        ],
        totals=(
            {
                "label": words.all_rows_label,
                "values": column_totals,
                "total": sum(totals),
            }
            if len(bars) > 1
            else None
        ),
    )
