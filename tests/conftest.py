"""Shared fixtures: personas in the real role groups, and fast test settings."""

from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import override_settings

from improvement.board.documents.models import Document
from improvement.board.documents.service import request_document
from improvement.kernel.permissions import BOARD_MEMBERS, IMPROVEMENT_MANAGERS, OFFICERS
from tests import factories
from tests.helpers import DATABASE_QUEUE, sign_in_as

IN_MEMORY_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _cache_in_memory():
    """Each test process keeps board pages in its own memory, whatever
    ``REDIS_URL`` says: the Redis tests (``test_page_cache``) use their own."""
    with override_settings(CACHES=IN_MEMORY_CACHE):
        yield


@pytest.fixture(autouse=True)
def _nothing_kept(_cache_in_memory):
    """Each test starts with no board page kept from another test's data
    (their history ids can repeat once the database is rolled back)."""
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _documents_in_tmp(tmp_path_factory):
    """Prepared documents (board packs, large downloads) go to a folder of the
    test run's own, from before the first fixture that may make one."""
    documents = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path_factory.mktemp("documents"))},
    }
    with override_settings(
        STORAGES={**django_settings.STORAGES, "documents": documents}
    ):
        yield


# The role groups' permissions, from the data migrations that give them.
_GIVEN_BY = (
    "improvement.plan.migrations.0002_role_groups",
    "improvement.measures.migrations.0002_role_groups",
    "findings.migrations.0005_judgement_role_groups",
    "improvement.audits.migrations.0002_role_groups",
    "improvement.meetings.migrations.0002_role_groups",
)
ROLE_GROUP_PERMISSIONS = {}
for _migration in _GIVEN_BY:
    for _name, _perms in import_module(_migration).GROUPS.items():
        ROLE_GROUP_PERMISSIONS.setdefault(_name, []).extend(_perms)


def ensure_role_groups():
    """The role groups and their permissions, as the data migration makes them.

    Tests that empty the database between them (transactional and browser
    tests) remove the migration's rows; permissions come back by themselves,
    the groups do not. Returns the groups by name. The one set-up of the
    roles for every test, in-process and in the browser.
    """
    groups = {g.name: g for g in Group.objects.filter(name__in=ROLE_GROUP_PERMISSIONS)}
    if len(groups) == len(ROLE_GROUP_PERMISSIONS):
        return groups
    wanted = {
        (app, f"{verb}_{model}")
        for perms in ROLE_GROUP_PERMISSIONS.values()
        for verb, app, model in perms
    }
    permissions = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type")
    }
    missing = wanted - permissions.keys()
    assert not missing, f"Permissions missing from the test database: {missing}"
    for name, perms in ROLE_GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [permissions[(app, f"{verb}_{model}")] for verb, app, model in perms]
        )
        groups[name] = group
    return groups


def _user_in(group_name, username):
    user = factories.UserFactory(username=username)
    user.groups.add(ensure_role_groups()[group_name])
    return user


@pytest.fixture
def board(db):
    """A board member: reads everything, changes nothing."""
    return _user_in(BOARD_MEMBERS, "board-member")


@pytest.fixture
def officer(db):
    """An officer who is the owner ``officer.owner`` of some actions."""
    user = _user_in(OFFICERS, "officer")
    factories.OwnerFactory(user=user, name="Head of Service, Safeguarding")
    return user


@pytest.fixture
def manager(db):
    """An improvement manager: builds and maintains the plan."""
    return _user_in(IMPROVEMENT_MANAGERS, "manager")


@pytest.fixture
def second_manager(db):
    """Another improvement manager, for two people editing the same record."""
    user = _user_in(IMPROVEMENT_MANAGERS, "second-manager")
    user.first_name, user.last_name = "Second", "Manager"
    user.save()
    return user


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(
        username="administrator", is_staff=True, is_superuser=True
    )


@pytest.fixture
def no_group_user(db):
    return factories.UserFactory(username="no-group")


def _client_for(client, user):
    sign_in_as(client, user)
    return client


@pytest.fixture
def client_as_board(client, board):
    return _client_for(client, board)


@pytest.fixture
def client_as_officer(client, officer):
    return _client_for(client, officer)


@pytest.fixture
def client_as_manager(client, manager):
    return _client_for(client, manager)


@pytest.fixture
def client_as_admin(client, admin_user):
    return _client_for(client, admin_user)


@pytest.fixture
def objects(officer, manager):
    """One record of each kind a URL names, by kind; the action is ``officer``'s
    and the uploaded tracker ``manager``'s (superusers may use it too)."""
    own = factories.ActionFactory(lead_owner=officer.owner)
    own.findings.add(factories.FindingFactory())
    visit = factories.MonitoringVisitFactory()
    finding = factories.FindingFactory(inspection=visit.inspection)
    finding.themes.add(factories.ThemeFactory())
    # The visit's judgement of the finding its inspection raised.
    judgement = factories.FindingJudgementFactory(
        finding=finding, monitoring_visit=visit
    )
    # A changes download, prepared (at once, in the tests) and kept.
    document = request_document(
        officer,
        kind=Document.Kind.CHANGES,
        file_type=Document.FileType.CSV,
        plan=own.plan,
        parameters={"since": "2026-01-01", "until": "2026-01-31"},
        title="What changed",
        filename="changes.csv",
    )
    # A measure ``officer`` owns, with a value recorded and a target trajectory.
    value = factories.MeasureValueFactory(
        measure=factories.MeasureFactory(plan=own.plan, owner=officer.owner)
    )
    target = factories.MeasureTargetFactory(measure=value.measure)
    # A practice week of the plan, with an audit of its dip sample.
    audit = factories.AuditFactory(
        plan=own.plan,
        practice_week=factories.PracticeWeekFactory(plan=own.plan),
        auditor=officer.owner,
    )
    audit.actions.add(own)
    # A tracker uploaded for import into the plan, waiting to be checked.
    tracker = factories.ImportFileFactory(plan=own.plan, uploaded_by=manager)
    # A meeting with a question and an action arising ``officer`` owns.
    arising = factories.ActionArisingFactory(
        owner=officer.owner, agenda_item__meeting__plans=[own.plan]
    )
    question = factories.QuestionFactory(agenda_item=arising.agenda_item)
    return {
        "meeting": arising.agenda_item.meeting,
        "question": question,
        "actionarising": arising,
        "audit": audit,
        "practiceweek": audit.practice_week,
        "measure": value.measure,
        "measurevalue": value,
        "measuretarget": target,
        "document": document,
        "action": own,
        "plan": own.plan,
        "priority": own.priority,
        "owner": factories.OwnerFactory(),
        "finding": finding,
        "inspection": visit.inspection,
        "monitoringvisit": visit,
        "theme": finding.themes.get(),
        "findingjudgement": judgement,
        "importfile": tracker,
    }


@pytest.fixture
def database_queue(settings):
    """Jobs wait in the database until a worker runs them."""
    settings.TASKS = DATABASE_QUEUE
