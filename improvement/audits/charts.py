"""The audits' charts: the mix of grades month by month, and a practice
week's dip sample as first graded and after moderation. Stacked bars, drawn
by ``components/chart_stacked_bars.html``; no queries of their own.

Each month has one bar, of the grades after moderation: the grades the page
leads with and the board reads. A second bar a month for the first grades
would double the chart's length on a phone and put two kinds of bar in
turn, so the months are harder to compare; the first grades are in the
table beside the chart (and in the words for screen readers).
"""

from improvement.audits import grade_mix
from improvement.kernel.charts.bars import BarInput, BarWords, stacked_bar_chart
from improvement.kernel.charts.parts import (
    BLACK,
    DARK_GREEN,
    DARK_ORANGE,
    DARK_RED,
    LIGHT_GREEN,
    WHITE,
    Series,
    describe_counts,
    plural,
)
from visits.models import Grade

#: The four grades, best first. Every colour has at least 3:1 contrast with
#: white (8.0, 3.3, 4.7 and 7.9) and segments are parted by white lines
#: (WCAG 1.4.11); the count on each is in white or black with at least 4.5:1.
#: Patterns tell the grades apart without colour; Good, the lightest, is
#: also outlined in black. "Requires improvement to be good" is shortened
#: to fit the legend on a phone.
GRADE_SERIES = (
    Series(
        Grade.OUTSTANDING.value,
        "Outstanding",
        DARK_GREEN,
        WHITE,
        "solid",
        "",
        "diamond",
    ),
    Series(Grade.GOOD.value, "Good", LIGHT_GREEN, BLACK, "diagonal", "8 4", "circle"),
    Series(
        Grade.REQUIRES_IMPROVEMENT.value,
        "Requires improvement",
        DARK_ORANGE,
        WHITE,
        "dots",
        "10 4 2 4",
        "square",
    ),
    Series(
        Grade.INADEQUATE.value,
        "Inadequate",
        DARK_RED,
        WHITE,
        "cross",
        "2 4",
        "triangle",
    ),
)

#: The most recent months drawn; the table beside the chart has every month.
MONTHS_DRAWN = 12

MONTH_WORDS = BarWords(
    unit="audit",
    row_heading="Month",
    row_noun="month",
    row_noun_plural="months",
    all_rows_label="All months",
)


def _next_month(day):
    return day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1)


def every_month(mixes):
    """``mixes`` (``grade_mix.by_month``, oldest first) with a mix of no
    audits for each month between two audited months, so that the bars are
    a month apart."""
    filled = []
    for mix in mixes:
        if filled and filled[-1].month and mix.month:
            month = _next_month(filled[-1].month)
            while month < mix.month:
                filled.append(grade_mix.no_audits(grade_mix.month_label(month), month))
                month = _next_month(month)
        filled.append(mix)
    return filled


def _bar_name(mix):
    """“November 2025 – 67% Good or better”, or just the month without audits."""
    if not mix.total:
        return mix.label
    return f"{mix.label} – {mix.share_after}% Good or better"


def _months_summary(months):
    """One line: how many audits over which months, and their grades."""
    audited = [mix for mix in months if mix.total]
    if not audited:
        return "There are no audits to show."
    after = {s.key: sum(mix.after[s.key] for mix in audited) for s in GRADE_SERIES}
    span = (
        audited[0].label
        if len(months) == 1
        else f"{months[0].label} to {months[-1].label}"
    )
    return (
        f"Grades after moderation of {plural(sum(after.values()), 'audit')}, "
        f"{span}: {describe_counts(after, GRADE_SERIES)}."
    )


def grades_by_month_chart(mixes, chart_id="grades-by-month"):
    """Stacked bars of grades after moderation, a bar a month, oldest first,
    for the most recent ``MONTHS_DRAWN`` months (months with no audits
    between audited ones included, as bars of none).

    ``mixes``: ``grade_mix.GradeMix`` of each month, from
    ``grade_mix.by_month``.
    """
    months = every_month(mixes)[-MONTHS_DRAWN:]
    return stacked_bar_chart(
        chart_id,
        "Audit grades by month, after moderation",
        [BarInput(_bar_name(mix), mix.after) for mix in months],
        GRADE_SERIES,
        words=MONTH_WORDS,
        summary=_months_summary(months),
    )


MODERATION_WORDS = BarWords(
    unit="audit",
    row_heading="Grades",
    row_noun="set of grades",
    row_noun_plural="sets of grades",
    all_rows_label="",
)


def moderation_chart(mix, chart_id="dip-sample-grades"):
    """Two stacked bars of one group's grades (a practice week's dip sample):
    as first graded, and after moderation."""
    chart = stacked_bar_chart(
        chart_id,
        f"{mix.label}: grades first given and after moderation",
        [
            BarInput("First grade", mix.before),
            BarInput("After moderation", mix.after),
        ],
        GRADE_SERIES,
        words=MODERATION_WORDS,
        summary=_moderation_summary(mix),
    )
    chart.table.totals = None  # the same audits twice: no total of the two
    return chart


def _moderation_summary(mix):
    if not mix.total:
        return "There are no audits to show."
    if mix.before == mix.after:
        return (
            f"Moderation left the mix of grades of the "
            f"{plural(mix.total, 'audit')} as it was."
        )
    return (
        f"{plural(mix.total, 'audit')}: {mix.good_before} graded Good or better "
        f"at first, {mix.good_after} after moderation."
    )
