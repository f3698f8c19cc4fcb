"""Horizontal stacked bars, drawn by ``components/chart_stacked_bars.html``.

See ``improvement.board.chart_parts`` for what every chart shares.
"""

from dataclasses import dataclass

from improvement.board.chart_parts import (
    CHART_WIDTH,
    FONT_FAMILY,
    GRID_COLOUR,
    LABEL_SIZE,
    SMALL_SIZE,
    TEXT_COLOUR,
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


@dataclass
class BarChart:
    """Everything ``components/chart_stacked_bars.html`` draws."""

    id: str
    title: str
    description: str
    summary: str
    width: int
    height: int
    plot_left: str
    plot_right: str
    plot_top: str
    axis_y: str
    tick_label_y: str
    axis_label: str
    axis_label_x: str
    axis_label_y: str
    bars: list
    ticks: list
    legend: list
    series: tuple
    table: Table
    font_family: str = FONT_FAMILY
    text_colour: str = TEXT_COLOUR
    grid_colour: str = GRID_COLOUR
    empty: bool = False


#: Heights in chart units: a line of a bar's name, a bar, the gap below it.
LINE_HEIGHT = 20
BAR_HEIGHT = 28
GAP = 16


@dataclass(frozen=True)
class _Plot:
    """Where the bars go: from ``left`` across ``width``, up to ``scale_max``."""

    left: float
    width: float
    scale_max: int

    def length(self, count):
        return count / self.scale_max * self.width


def stacked_bar_chart(
    chart_id,
    title,
    bars,
    series,
    *,
    unit="action",
    row_heading="Priority",
    row_noun="priority",
    row_noun_plural="priorities",
    all_rows_label="All priorities",
    summary=None,
    width=CHART_WIDTH,
):
    """Horizontal stacked bars, one per ``BarInput``, split by ``series``.

    Each bar's name is written above it, across the chart's whole width (in
    up to two lines), so a name such as "3. Children in care and care
    leavers" fits a phone. ``unit`` names what is counted ("action");
    ``row_noun`` and ``row_noun_plural`` name the bars in the summary.
    ``summary`` replaces the generated one-line summary.
    """
    series = tuple(series)
    totals = [sum(b.counts.get(s.key, 0) for s in series) for b in bars]
    total_width = text_width(max(totals, default=0), LABEL_SIZE) + 12
    left = 6  # room for the axis's "0" under it
    right = width - total_width
    top = 4
    scale_max, step = nice_scale(max(totals, default=0))
    plot = _Plot(left=left, width=right - left, scale_max=scale_max)

    drawn = []
    y = top
    for bar, total in zip(bars, totals, strict=True):
        drawn_bar, y = _bar(bar, total, series, plot, y, width)
        drawn.append(drawn_bar)

    axis_y = y - GAP + 4
    ticks = [
        Tick(
            value=value,
            position=fmt(left + plot.length(value)),
            label_position=fmt(axis_y + 16),
        )
        for value in range(0, scale_max + 1, step)
    ]
    axis_label_y = axis_y + 38
    legend, bottom = lay_out_legend(series, axis_label_y + 14, width)

    column_totals = [sum(b.counts.get(s.key, 0) for b in bars) for s in series]
    if summary is None:
        rows_named = row_noun if len(bars) == 1 else row_noun_plural
        summary = _summary(bars, series, column_totals, unit, rows_named)
    return BarChart(
        id=chart_id,
        title=title,
        description=_description(bars, totals, series, unit),
        summary=summary,
        width=width,
        height=int(bottom + 8),
        plot_left=fmt(left),
        plot_right=fmt(right),
        plot_top=fmt(top),
        axis_y=fmt(axis_y),
        tick_label_y=fmt(axis_y + 16),
        axis_label=f"Number of {unit}s",
        axis_label_x=fmt(left + plot.width / 2),
        axis_label_y=fmt(axis_label_y),
        bars=drawn,
        ticks=ticks,
        legend=legend,
        series=series,
        table=_table(title, bars, totals, series, row_heading, all_rows_label),
        empty=not bars,
    )


def _bar(bar, total, series, plot, y, width):
    """One bar, its name drawn from ``y`` down; returns ``(Bar, next y)``."""
    lines = wrap_text(bar.label, width, size=LABEL_SIZE, bold=True)
    label_lines = [
        LabelLine(text=line, y=fmt(y + 15 + i * LINE_HEIGHT))
        for i, line in enumerate(lines)
    ]
    y += len(lines) * LINE_HEIGHT + 4
    x = plot.left
    segments = []
    for s in series:
        count = bar.counts.get(s.key, 0)
        if not count:
            continue
        length = plot.length(count)
        badge = text_width(count, SMALL_SIZE, bold=True) + 8
        segments.append(
            Segment(
                series=s,
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
            )
        )
        x += length
    drawn = Bar(
        label=bar.label,
        detail=bar.detail,
        total=total,
        label_x="0",
        label_lines=label_lines,
        y=fmt(y),
        bottom=fmt(y + BAR_HEIGHT),
        total_x=fmt(x + 6),
        total_y=fmt(y + BAR_HEIGHT / 2 + 6),
        segments=segments,
    )
    return drawn, y + BAR_HEIGHT + GAP


def _summary(bars, series, column_totals, unit, rows_named):
    """The one-line summary: the whole count, and how it splits by series."""
    if not bars:
        return f"There are no {unit}s to show."
    by_series = {s.key: n for s, n in zip(series, column_totals, strict=True)}
    return (
        f"{plural(sum(column_totals), unit)} across {len(bars)} {rows_named}: "
        f"{describe_counts(by_series, series)}."
    )


def _description(bars, totals, series, unit):
    """Every bar in words, for screen readers."""
    return (
        " ".join(
            f"{bar.label}{' (' + bar.detail + ')' if bar.detail else ''}: "
            f"{plural(total, unit)}, {describe_counts(bar.counts, series)}."
            for bar, total in zip(bars, totals, strict=True)
        )
        or f"No {unit}s."
    )


def _table(title, bars, totals, series, row_heading, all_rows_label):
    """The chart's numbers as a table, with a totals row for two or more bars."""
    column_totals = [sum(b.counts.get(s.key, 0) for b in bars) for s in series]
    return Table(
        caption=title,
        headings=[row_heading, *[s.label for s in series], "Total"],
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
                "label": all_rows_label,
                "values": column_totals,
                "total": sum(totals),
            }
            if len(bars) > 1
            else None
        ),
    )
