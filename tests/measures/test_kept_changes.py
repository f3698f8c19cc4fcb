"""A measure's latest changes are worked out once and kept until they change.

Every reader of a measure's page after the first is served the latest
changes as kept, for one query; a change to the measure, a value of it, or a
name they mention is on the next page served, as if built from nothing.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache

from improvement.kernel.history import acting_as
from improvement.measures.models import Measure, MeasureValue
from tests.factories import MeasureFactory, MeasureValueFactory, OwnerFactory
from tests.helpers import latest_changes_shown

pytestmark = pytest.mark.django_db

#: Queries the measure page saves when its latest changes are kept.
KEPT_TIMELINE_SAVES = 6


def test_a_measures_latest_changes_are_kept_until_something_in_them_changes(
    client_as_board, manager
):
    with acting_as(manager):
        measure = MeasureFactory(name="Average caseload")
        MeasureValueFactory(measure=measure, period=datetime.date(2026, 1, 1))
    built_text, built = latest_changes_shown(client_as_board, measure)
    kept_text, kept = latest_changes_shown(client_as_board, measure)
    assert kept_text == built_text
    assert kept == built - KEPT_TIMELINE_SAVES

    value = MeasureValue.objects.get(measure=measure)
    with acting_as(manager):
        value.value = Decimal("17")
        value._change_reason = "Recount of February's caseloads"
        value.save()
    text, _ = latest_changes_shown(client_as_board, measure)
    assert "Recount of February" in text

    with acting_as(manager):
        MeasureValueFactory(measure=measure, period=datetime.date(2026, 2, 1))
    text, _ = latest_changes_shown(client_as_board, measure)
    assert "Value for February 2026" in text

    # The measure's frequency names its values' periods.
    with acting_as(manager):
        measure.frequency = Measure.Frequency.QUARTERLY
        measure.save()
    text, _ = latest_changes_shown(client_as_board, measure)
    assert "Value for January to March 2026" in text
    assert "Value for February 2026" not in text

    owner = OwnerFactory(name="Head of Service, Fostering")
    with acting_as(manager):
        measure.owner = owner
        measure.save()
    text, _ = latest_changes_shown(client_as_board, measure)
    assert "Head of Service, Fostering" in text
    owner.name = "Service Manager, Fostering and Adoption"
    with acting_as(manager):
        owner.save()  # a name the latest changes mention
    text, _ = latest_changes_shown(client_as_board, measure)
    assert "Service Manager, Fostering and Adoption" in text

    cache.clear()
    assert latest_changes_shown(client_as_board, measure)[0] == text
