"""What a person may do, read in one query (``accounts.backends.RoleBackend``)."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from improvement.accounts.backends import RoleBackend
from improvement.kernel.permissions import BOARD_MEMBERS, IMPROVEMENT_MANAGERS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("kind", ["role", "direct", "both", "superuser", "nobody"])
def test_a_person_may_do_what_django_would_let_them(kind):
    user = UserFactory(is_superuser=kind == "superuser")
    if kind in ("role", "both"):
        user.groups.add(Group.objects.get(name=BOARD_MEMBERS))
        user.groups.add(Group.objects.get(name=IMPROVEMENT_MANAGERS))
    if kind in ("direct", "both"):
        user.user_permissions.add(Permission.objects.get(codename="delete_plan"))
    expected = ModelBackend().get_all_permissions(_fresh(user))
    user = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        given = RoleBackend().get_all_permissions(user)
    assert given == expected
    assert len(queries) == 1
    if kind == "direct":
        assert given == {"improvement.delete_plan"}
    if kind == "nobody":
        assert given == set()


def test_an_inactive_person_may_do_nothing_and_it_costs_no_query():
    user = UserFactory(is_active=False)
    user.groups.add(Group.objects.get(name=IMPROVEMENT_MANAGERS))
    user = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        assert RoleBackend().get_all_permissions(user) == set()
        assert not RoleBackend().has_perm(user, "improvement.view_action")
    assert len(queries) == 0


def test_the_site_signs_in_with_the_one_query_backend(settings):
    assert "improvement.accounts.backends.RoleBackend" in (
        settings.AUTHENTICATION_BACKENDS
    )
    assert "django.contrib.auth.backends.ModelBackend" not in (
        settings.AUTHENTICATION_BACKENDS
    )
