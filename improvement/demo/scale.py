"""The reference large dataset for performance work (``manage.py seed_scale``).

At full size (the default) it builds what DESIGN.md asks us to plan for: 20
improvement plans of 250 actions each under six priorities (5,000 actions),
1,500 findings from 20 inspections and the visits that followed them, 300
owners, 50,000 progress updates and about 500,000 history rows, spread over
the last two years.

The shapes are those of a real council's plans: most actions are imported
when a plan is agreed and the rest added after each monitoring visit; each
answers one to three findings (a few answer none, and a few findings are left
unanswered); progress is recorded roughly monthly with the status and RAG
reported; older actions are mostly delivered, some slip (their due date moved,
always with a reason), some are paused or withdrawn (with a reason), and
delivered ones are assessed for impact. Each action's RAG is reviewed ahead
of the boards between updates.

For speed the rows are written with ``bulk_create``, and so are their
history rows, built here rather than by django-simple-history's signals. The
history is the one the application would have written: every change has its
row, dated when it happened, with the person who made it (a named user, or the
system account for imports) and the reason where one was given; link changes
carry the snapshot of the links at that moment; and the latest history row of
every object holds its current values. ``created_at`` and ``updated_at`` match
each object's first and last history rows.

Scale data is marked: plan and inspection names end “(scale data NN)”, owners
and sign-ins use the ``scale.example`` e-mail domain and ``scale-`` user names.
Running the command again first removes the previous scale data (with its
history) and builds it afresh. It refuses to run on a database holding other
plans or inspections than the demo's (``seed_demo``) and its own, unless
given ``--force``. Everything happens in one transaction.

``--plans`` sets how many plans to build and ``--scale`` shrinks (or grows)
each plan and the owner pool, keeping the proportions: ``--plans 2 --scale
0.04`` builds two plans of ten actions for tests.
"""

import datetime
import random
import time
from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max, Q
from django.utils import timezone

from findings.models import Finding, Theme
from improvement.audits.models import Audit, PracticeWeek
from improvement.demo import data as demo_data
from improvement.kernel.dates import months_after
from improvement.kernel.history import acting_as, system_user
from improvement.kernel.ordering import sort_keys_for
from improvement.kernel.permissions import IMPROVEMENT_MANAGERS, OFFICERS
from improvement.measures.models import Measure, MeasureValue
from improvement.plan.models import Action, Owner, Plan, Priority, ProgressUpdate
from visits.models import Grade, Inspection, Judgement, MonitoringVisit

# ---------------------------------------------------------------------------
# Proportions of the reference dataset (per plan, at --scale 1)
# ---------------------------------------------------------------------------

ACTIONS_PER_PLAN = 250
PRIORITIES_PER_PLAN = 6
FINDINGS_PER_PLAN = 75
OWNERS_PER_PLAN = 15
UPDATES_PER_ACTION = 10
#: History rows per action, counting every history table (records and the
#: link snapshots that go with them): 500,000 for 5,000 actions.
HISTORY_ROWS_PER_ACTION = 100
#: Plans start between about two years and five months ago.
#: Each plan's measures of impact, each with a value for each of the last
#: three years (200 measures and 7,200 values over 20 plans); its case-file
#: audits (5,000 in all), some in practice weeks' dip samples.
MEASURES_PER_PLAN = 10
MEASURE_MONTHS = 36
AUDITS_PER_PLAN = 250
PRACTICE_WEEKS_PER_PLAN = 4
OLDEST_PLAN_DAYS = 730
NEWEST_PLAN_DAYS = 150

MARK = "scale data"
EMAIL_DOMAIN = "scale.example"
USERNAME_PREFIX = "scale-"
IMPORT_REASON = "Imported from the plan spreadsheet"
BATCH_SIZE = 2000

# ---------------------------------------------------------------------------
# Words the data is made of (fictional; roles, never real people)
# ---------------------------------------------------------------------------

PLAN_KINDS = (
    ("Children's services improvement plan", Inspection.Framework.ILACS),
    ("SEND written statement of action", Inspection.Framework.SEND),
    ("Youth justice improvement plan", Inspection.Framework.OTHER),
    ("Front door service plan", Inspection.Framework.JTAI),
    ("Fostering service improvement plan", Inspection.Framework.FOCUSED_VISIT),
    ("Care leavers improvement plan", Inspection.Framework.FOCUSED_VISIT),
    ("Early help improvement plan", Inspection.Framework.JTAI),
)
PRIORITY_TITLES = (
    "Leadership, management and governance",
    "Quality of practice and management oversight",
    "Workforce: recruitment, retention and caseloads",
    "Partnerships and the front door",
    "The voice and experience of children",
    "Performance management and quality assurance",
    "Children in care and permanence",
    "Care leavers and the local offer",
)
ROLES = (
    "Service Manager",
    "Team Manager",
    "Head of Service",
    "Principal Social Worker",
    "Practice Lead",
    "Quality Assurance Manager",
    "Workforce Development Lead",
    "Performance Manager",
    "Commissioning Manager",
    "Independent Reviewing Officer Manager",
    "Partnership Lead",
    "Designated Nurse",
    "Detective Inspector",
    "Education Lead",
    "Business Support Manager",
)
AREAS = (
    "Front Door",
    "Locality North",
    "Locality South",
    "Locality East",
    "Locality West",
    "Children in Care",
    "Care Leavers",
    "Fostering",
    "Adoption",
    "Disabled Children",
    "Youth Justice",
    "Early Help",
    "SEND",
    "Safeguarding",
    "Workforce",
    "Commissioning",
    "Performance",
    "Court Team",
    "Virtual School",
    "Edge of Care",
)
PARTNERS = (
    "Northmoor Integrated Care Board",
    "Northmoor Police",
    "Northmoor Community Health Trust",
    "Northmoor Schools Forum",
)
FIRST_NAMES = (
    "Amira Ben Carys Dev Ellen Femi Grace Harun Isla Jonah Kiran Leah Maya "
    "Nadia Owen Priya Quinn Rhys Sana Tom Uma Vic Will Yasmin Zac"
).split()
LAST_NAMES = (
    "Ahmed Bennett Clarke Davies Evans Foster Green Hughes Iqbal Jones Khan "
    "Lewis Morgan Nowak Okafor Patel Reid Shah Taylor Usman Walsh Young"
).split()
TOPICS = (
    "supervision",
    "management oversight",
    "social worker caseloads",
    "strategy discussions",
    "child protection plans",
    "pre-proceedings work",
    "permanence planning",
    "pathway plans",
    "return home interviews",
    "direct work with children",
    "assessments",
    "the front door",
    "early help assessments",
    "placement sufficiency",
    "health assessments",
    "personal education plans",
    "moderation of case audits",
    "performance reporting",
    "agency staffing",
    "private fostering",
    "disabled children's plans",
    "contextual safeguarding",
    "advocacy for children",
    "care leavers' accommodation",
)
FINDING_OPENINGS = (
    "The quality and consistency of",
    "The timeliness of",
    "Leaders' understanding of",
    "The impact of",
    "Management oversight of",
    "Recording of",
)
ACTION_VERBS = (
    "Embed",
    "Review",
    "Introduce",
    "Strengthen",
    "Audit the quality of",
    "Improve",
    "Implement",
    "Refresh",
    "Develop",
    "Train managers in",
)
MEASURES = (
    "{n}% of children's records show {topic} within timescale.",
    "Audits rate {topic} good or better in {n}% of cases.",
    "Monthly performance report shows {topic} improving for three months.",
    "Children and families tell us {topic} has improved ({n}% positive).",
)
NARRATIVES = (
    "Audit of {topic} completed; {n}% within timescale this month.",
    "Workshops on {topic} delivered to {m} managers; attendance tracked.",
    "Task and finish group met; revised guidance on {topic} drafted.",
    "Performance on {topic} reviewed at the practice board; {n}% compliant.",
    "Dip sample of {m} cases shows {topic} improving but not yet consistent.",
    "Recruitment update: {m} posts filled; caseloads reducing.",
)
MOVE_REASONS = (
    "Recruitment to the team took longer than planned",
    "Waiting for the case management system release",
    "Partner sign-off moved to the next Improvement Board",
    "Staff redeployed to the front door during the winter peak",
    "Scope widened after the monitoring visit",
    "Audit cycle aligned with quarterly reporting",
)
PAUSE_REASONS = (
    "Paused while the service restructure is consulted on",
    "Paused until the new practice model is agreed",
)
WITHDRAW_REASONS = (
    "Withdrawn: superseded by a wider action after the monitoring visit",
    "Withdrawn: merged into the workforce strategy",
)
EVIDENCE = (
    "Audit results for three consecutive months and feedback from families.",
    "Practice week findings and the quarterly performance report.",
)
LEAD_CHANGE_REASON = "Lead officer changed after a service restructure"
EDIT_REASON = "Success measure sharpened after the monitoring visit"

INSPECTION_LABELS = {
    Inspection.Framework.ILACS: "ILACS inspection",
    Inspection.Framework.SEND: "Area SEND inspection",
    Inspection.Framework.JTAI: "Joint targeted area inspection",
    Inspection.Framework.FOCUSED_VISIT: "Focused visit",
    Inspection.Framework.OTHER: "Youth justice inspection",
}

ONE_DAY = datetime.timedelta(days=1)


def _scaled(base, factor, minimum):
    return max(minimum, round(base * factor))


# ---------------------------------------------------------------------------
# Writing rows in bulk, with the history the application would have written
# ---------------------------------------------------------------------------


class Ids:
    """Primary keys handed out in advance, above any already in the table.

    Knowing ids before inserting lets history rows and link snapshots point
    at the rows they belong to. Sequences are reset afterwards.
    """

    def __init__(self):
        self._next = {}

    def take(self, model):
        """The next free id of ``model`` (one query the first time per model)."""
        if model not in self._next:
            pk = model._meta.pk.attname
            highest = model._base_manager.aggregate(top=Max(pk))["top"]
            self._next[model] = (highest or 0) + 1
        value = self._next[model]
        self._next[model] += 1
        return value

    @property
    def models(self):
        return list(self._next)


class Tracked:
    """A tracked model, its history model, and the link tables of both."""

    def __init__(self, model):
        self.model = model
        self.history_model = model.history.model
        self.fields = [
            f.attname
            for f in self.history_model._meta.fields
            if not f.attname.startswith("history_")
        ]
        self.defaults = {
            f.attname: f.get_default()
            for f in model._meta.concrete_fields
            if f.attname in self.fields
        }
        self.links = {}
        for m2m in getattr(self.history_model, "_history_m2m_fields", ()):
            name = m2m.name
            label = f"{self.history_model.__name__}_{name}"
            self.links[name] = (
                m2m.remote_field.through,
                apps.get_model(model._meta.app_label, label),
                m2m.m2m_field_name(),
                m2m.m2m_reverse_field_name(),
            )


class Table:
    """How rows of one model are inserted: one INSERT run for many rows.

    Values are adapted the way the ORM would (dates and date-times for the
    database in use) and sent with ``executemany`` (``COPY`` on PostgreSQL),
    which is far quicker than building a model instance for each of half a
    million rows.
    """

    def __init__(self, model):
        ops = connection.ops
        fields = model._meta.concrete_fields
        self.names = [f.attname for f in fields]
        self.adapters = []
        for f in fields:
            if isinstance(f, models.DateTimeField):
                self.adapters.append(ops.adapt_datetimefield_value)
            elif isinstance(f, models.DateField):
                self.adapters.append(ops.adapt_datefield_value)
            else:
                self.adapters.append(None)
        columns = ", ".join(ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        table = ops.quote_name(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"

    def values(self, row):
        """The row's values in column order, adapted for the database."""
        return [
            adapt(row[name]) if adapt and row[name] is not None else row[name]
            for name, adapt in zip(self.names, self.adapters, strict=True)
        ]

    def insert(self, rows):
        """Insert ``rows`` (dictionaries by attribute name)."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY is PostgreSQL's bulk-load path: many times quicker still.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row([row[name] for name in self.names])
                return
            for start in range(0, len(rows), BATCH_SIZE):
                batch = rows[start : start + BATCH_SIZE]
                cursor.executemany(self.sql, [self.values(row) for row in batch])


class Writer:
    """Collects rows, their history and their link snapshots; inserts in bulk.

    Rows are dictionaries of values by attribute name (``plan_id``), kept per
    model until ``flush``.
    """

    def __init__(self, ids):
        self.ids = ids
        self.rows = defaultdict(list)
        self.tracked = {}
        self.tables = {}
        self.counts = defaultdict(int)

    def info(self, model):
        if model not in self.tracked:
            self.tracked[model] = Tracked(model)
        return self.tracked[model]

    def new_id(self, model):
        return self.ids.take(model)

    def add(self, model, row):
        self.rows[model].append(row)
        return row

    def history(self, model, state, kind, when, user_id, reason=None, links=None):
        """One history row for ``state`` (field values by attname).

        ``links`` maps a link field name to the current ``{through id: target
        id}``; each link becomes a row of the history's link snapshot.
        """
        info = self.info(model)
        history_id = self.new_id(info.history_model)
        row = {name: state[name] for name in info.fields}
        row.update(
            history_id=history_id,
            history_date=when,
            history_type=kind,
            history_user_id=user_id,
            history_change_reason=reason,
        )
        self.add(info.history_model, row)
        for name, (_, snapshot, own, other) in info.links.items():
            for through_id, target in (links or {}).get(name, {}).items():
                self.add(
                    snapshot,
                    {
                        "m2m_history_id": self.new_id(snapshot),
                        "history_id": history_id,
                        "id": through_id,
                        f"{own}_id": state["id"],
                        f"{other}_id": target,
                    },
                )
        return history_id

    def link(self, model, name, owner_id, target_id):
        """A new link row (``action.findings`` and the like); returns its id."""
        through, _, own, other = self.info(model).links[name]
        through_id = self.new_id(through)
        self.add(
            through, {"id": through_id, f"{own}_id": owner_id, f"{other}_id": target_id}
        )
        return through_id

    def unlink(self, model, name, through_id):
        """Forget a link row added earlier in this batch (it was removed later)."""
        through = self.info(model).links[name][0]
        self.rows[through] = [r for r in self.rows[through] if r["id"] != through_id]

    def flush(self):
        """Insert everything collected so far, main rows first."""
        for model in sorted(self.rows, key=_insert_order):
            rows = self.rows.pop(model)
            if rows:
                if model not in self.tables:
                    self.tables[model] = Table(model)
                self.tables[model].insert(rows)
                self.counts[model] += len(rows)


_MAIN_ORDER = (
    Inspection,
    Judgement,
    MonitoringVisit,
    Theme,
    Finding,
    Owner,
    Plan,
    Priority,
    Action,
    ProgressUpdate,
    Measure,
    MeasureValue,
    PracticeWeek,
    Audit,
)


def _insert_order(model):
    if model in _MAIN_ORDER:
        return (0, _MAIN_ORDER.index(model), "")
    if model._meta.auto_created:
        return (1, 0, model.__name__)
    return (2, 0, model.__name__)


class Clock:
    """Working-hours times, strictly increasing for each object."""

    def __init__(self, rng):
        self.rng = rng
        self.last = {}

    def at(self, key, day, after=None):
        """A time on ``day`` later than the last for ``key`` (and than ``after``)."""
        minutes = 9 * 60 + self.rng.randrange(8 * 60)
        when = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time()),
            timezone.get_default_timezone(),
        ) + datetime.timedelta(minutes=minutes)
        floor = self.last.get(key)
        for bound in (floor, after):
            if bound is not None and when <= bound:
                when = bound + datetime.timedelta(minutes=2)
        self.last[key] = when
        return when


# ---------------------------------------------------------------------------
# One tracked object's life: a state and the history rows of its changes
# ---------------------------------------------------------------------------


class Life:
    """The current values of one object and the history written as they change."""

    def __init__(self, writer, model, state, clock):
        self.writer = writer
        self.model = model
        self.state = state
        self.clock = clock
        self.links = {name: {} for name in writer.info(model).links}
        self.first = None
        self.last = None
        self.key = (model, state["id"])

    def _row(self, kind, day, user_id, reason=None, after=None):
        when = self.clock.at(self.key, day, after=after)
        self.first = self.first or when
        self.last = when
        self.writer.history(
            self.model, self.state, kind, when, user_id, reason, self.links
        )
        return when

    def create(self, day, user_id, reason=None):
        return self._row("+", day, user_id, reason)

    def change(self, day, user_id, reason=None, after=None, **values):
        """Apply the values that differ; write a row if any did."""
        changed = {k: v for k, v in values.items() if self.state[k] != v}
        if not changed:
            return None
        self.state.update(changed)
        self.state["version"] += 1
        return self._row("~", day, user_id, reason, after)

    def relink(self, name, day, user_id, add=(), remove=()):
        """Add and remove links (a link change writes a row; no version bump)."""
        current = self.links[name]
        added = [t for t in add if t not in current.values()]
        removed = [tid for tid, t in current.items() if t in set(remove)]
        if not added and not removed:
            return None
        for target in added:
            through_id = self.writer.link(self.model, name, self.state["id"], target)
            current[through_id] = target
        for through_id in removed:
            self.writer.unlink(self.model, name, through_id)
            del current[through_id]
        return self._row("~", day, user_id)

    def save(self):
        """Add the object itself, as it stands after its last change."""
        row = dict(self.state, created_at=self.first, updated_at=self.last)
        return self.writer.add(self.model, row)


# ---------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------


class ScaleBuilder:
    """Builds the scale dataset plan by plan, inserting each plan in bulk."""

    def __init__(self, *, plans, scale, seed, today, stdout):
        self.plan_count = plans
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = today
        self.yesterday = today - ONE_DAY
        self.stdout = stdout
        self.ids = Ids()
        self.history_debt = 0
        self.writer = Writer(self.ids)
        self.clock = Clock(self.rng)
        self.actions_per_plan = _scaled(ACTIONS_PER_PLAN, scale, PRIORITIES_PER_PLAN)
        self.findings_per_plan = _scaled(FINDINGS_PER_PLAN, scale, 4)
        self.owner_count = _scaled(OWNERS_PER_PLAN * plans, scale, 8)
        self.measures_per_plan = _scaled(MEASURES_PER_PLAN, scale, 2)
        self.audits_per_plan = _scaled(AUDITS_PER_PLAN, scale, 10)
        #: ``(plan id, start, owners, manager, priority ids)`` of each plan
        #: built, for its measures and audits.
        self.built = []

    # Helpers ---------------------------------------------------------------

    def day(self, offset):
        """The date ``offset`` days from today (negative is in the past)."""
        return self.today + datetime.timedelta(days=offset)

    def life(self, model, day, by, reason=None, **values):
        """A new object of ``model`` created on ``day`` by the user ``by`` (an id)."""
        state = dict(self.writer.info(model).defaults)
        state.update(values)
        state.update(sort_keys_for(model, state))
        state["id"] = self.writer.new_id(model)
        state["version"] = 1
        life = Life(self.writer, model, state, self.clock)
        life.create(day, by, reason)
        return life

    def text(self, template, topic):
        """Fill a sentence template with the topic and plausible figures."""
        return template.format(
            topic=topic, n=self.rng.randint(55, 95), m=self.rng.randint(3, 40)
        )

    # Everything --------------------------------------------------------------

    def build(self):
        """Build everything; return the rows written, by model."""
        started = time.perf_counter()
        self.system = system_user()
        self.themes = self.ensure_themes()
        self.managers = self.make_users(
            "manager", self.plan_count, IMPROVEMENT_MANAGERS
        )
        owners = self.make_owners()
        self.writer.flush()
        self.owners = owners
        self.report("users, themes and owners", started)
        span = OLDEST_PLAN_DAYS - NEWEST_PLAN_DAYS
        for index in range(self.plan_count):
            step = span * index // max(self.plan_count - 1, 1)
            plan_started = time.perf_counter()
            # Each plan makes up what the plans before it fell short of (or
            # exceeded), so the total comes out at the reference proportion.
            target = HISTORY_ROWS_PER_ACTION * self.actions_per_plan * index
            self.history_debt = target - self.history_rows()
            self.build_plan(index, -OLDEST_PLAN_DAYS + step)
            self.writer.flush()
            self.report(f"plan {index + 1} of {self.plan_count}", plan_started)
        evidence_started = time.perf_counter()
        for plan in self.built:
            self.build_measures(*plan)
            self.build_audits(*plan)
        self.writer.flush()
        self.report("measures and audits", evidence_started)
        self.reset_sequences()
        return self.writer.counts

    def history_rows(self):
        """History rows written so far, link snapshots included."""
        return sum(n for model, n in self.writer.counts.items() if is_history(model))

    def report(self, what, since):
        """Print how long a step took."""
        self.stdout.write(f"  {what}: {time.perf_counter() - since:.1f} s")

    # Users, themes, owners ------------------------------------------------

    def ensure_themes(self):
        """The demo's themes, created by the system account if missing."""
        themes = []
        with acting_as(self.system):
            for name, description in demo_data.THEMES:
                theme = Theme.objects.filter(name=name).first()
                if theme is None:
                    theme = Theme(name=name, description=description)
                    theme.save()
                themes.append(theme.pk)
        return themes

    def make_users(self, role, count, group_name):
        """Named sign-ins that cannot sign in (no usable password)."""
        user_model = get_user_model()
        group = Group.objects.get(name=group_name)
        users = []
        for number in range(1, count + 1):
            first = FIRST_NAMES[(number * 7 + len(role)) % len(FIRST_NAMES)]
            last = LAST_NAMES[(number * 5 + len(role) * 3) % len(LAST_NAMES)]
            username = f"{USERNAME_PREFIX}{role}-{number:03d}"
            user, created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@{EMAIL_DOMAIN}",
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.add(group)
            users.append(user.pk)
        return users

    def make_owners(self):
        """The owner pool: council roles and partner leads; a quarter sign in."""
        officers = self.make_users("officer", max(1, self.owner_count // 4), OFFICERS)
        owners = []
        day = self.day(-OLDEST_PLAN_DAYS - 30)
        combinations = [(role, area) for area in AREAS for role in ROLES]
        self.rng.shuffle(combinations)
        # Names already held (the demo's owners, say) are not used again.
        taken = set(Owner.objects.values_list("name", "organisation"))
        for number in range(self.owner_count):
            role, area = combinations[number % len(combinations)]
            name = f"{role}, {area}"
            if number >= len(combinations):
                name = f"{name} ({number // len(combinations) + 1})"
            partner = role in ("Designated Nurse", "Detective Inspector")
            organisation = self.rng.choice(PARTNERS) if partner else ""
            if (name, organisation) in taken:
                name = f"{name} ({MARK})"
            user_id = officers[number] if number < len(officers) else None
            life = self.life(
                Owner,
                day,
                self.system.pk,
                IMPORT_REASON,
                name=name,
                job_title=role,
                team=area,
                organisation=organisation,
                email=f"owner{number + 1:03d}@{EMAIL_DOMAIN}",
                user_id=user_id,
                is_active=True,
            )
            life.save()
            owners.append((life.state["id"], user_id))
        return owners

    # One plan ---------------------------------------------------------------

    def build_plan(self, index, start_offset):
        """One plan: its sources and findings, priorities and actions."""
        rng = self.rng
        number = index + 1
        kind, framework = PLAN_KINDS[index % len(PLAN_KINDS)]
        manager = self.managers[index % len(self.managers)]
        start = self.day(start_offset)
        # Owners of this plan: a slice of the pool, so leads span plans.
        pool = self.owners[:]
        rng.shuffle(pool)
        plan_owners = pool[: max(8, min(len(pool), 40))]

        inspection_id, source_days = self.build_sources(
            index, framework, start, manager
        )
        findings = self.build_findings(source_days, manager)

        plan = self.life(
            Plan,
            start - 14 * ONE_DAY,
            manager,
            name=f"{kind} {start:%Y} ({MARK} {number:02d})",
            description=f"The council's {kind.lower()}, agreed by the Improvement "
            "Board after the inspection.",
            status=Plan.Status.DRAFT,
            start_date=start,
            end_date=start + datetime.timedelta(days=900),
        )
        plan.relink("inspections", start - 14 * ONE_DAY, manager, add=[inspection_id])
        priorities = []
        titles = rng.sample(PRIORITY_TITLES, PRIORITIES_PER_PLAN)
        for position, title in enumerate(titles, start=1):
            priority = self.life(
                Priority,
                start - 12 * ONE_DAY,
                manager,
                plan_id=plan.state["id"],
                number=position,
                title=title,
                description="",
                lead_owner_id=rng.choice(plan_owners)[0],
            )
            priority.save()
            priorities.append(priority.state["id"])
        plan.change(
            start, manager, "Plan agreed by the Improvement Board", status="active"
        )
        # Each visit joins the plan when it is recorded, as it does on the site.
        for kind, source_id, recorded, _ in sorted(source_days, key=lambda s: s[2]):
            if kind == "visit":
                plan.relink("visits", recorded, manager, add=[source_id])
        plan.save()

        self.build_actions(
            plan.state["id"], index, start, priorities, plan_owners, findings, manager
        )
        self.built.append((plan.state["id"], start, plan_owners, manager, priorities))

    # Measures and audits ----------------------------------------------------

    def build_measures(self, plan_id, start, owners, manager, priorities):
        """The plan's measures, defined when it starts, each with a value for
        each of the last ``MEASURE_MONTHS`` months."""
        specs = demo_data.MEASURES
        for number in range(self.measures_per_plan):
            spec = specs[number % len(specs)]
            name = spec.name
            if number >= len(specs):
                name = f"{name} ({number // len(specs) + 1})"
            owner_id, user_id = self.rng.choice(owners)
            measure_id = self.define_measure(
                plan_id, spec, name, owner_id, start, manager, priorities
            )
            self.record_measure_values(measure_id, spec, start, user_id or manager)

    def define_measure(self, plan_id, spec, name, owner_id, start, manager, priorities):
        """A measure of the plan, linked to one of its priorities; returns its id."""
        measure = self.life(
            Measure,
            start,
            manager,
            plan_id=plan_id,
            name=name,
            definition=spec.definition,
            unit=spec.unit,
            direction=spec.direction,
            frequency=Measure.Frequency.MONTHLY,
            target=Decimal(spec.target),
            amber_tolerance=Decimal(spec.amber_tolerance),
            red_tolerance=Decimal(spec.red_tolerance),
            data_source=spec.data_source,
            owner_id=owner_id,
        )
        measure.relink("priorities", start, manager, add=[self.rng.choice(priorities)])
        measure.save()
        return measure.state["id"]

    def record_measure_values(self, measure_id, spec, start, recorder):
        """A value for each of the last ``MEASURE_MONTHS`` months, moving from
        the spec's first figure to its last: those before the plan imported
        from the council's performance report when it started, the rest
        recorded on the tenth of the next month by ``recorder`` (the owner, or
        the manager); a few corrected the next day."""
        rng = self.rng
        this_month = self.today.replace(day=1)
        first, last = Decimal(spec.values[0]), Decimal(spec.values[-1])
        for months_ago in range(MEASURE_MONTHS, 0, -1):
            period = months_after(this_month, -months_ago)
            recorded = min(months_after(period, 1).replace(day=10), self.yesterday)
            by, reason = recorder, None
            if recorded < start:
                recorded, by, reason = start, self.system.pk, IMPORT_REASON
            share = Decimal(MEASURE_MONTHS - months_ago) / MEASURE_MONTHS
            noise = Decimal(rng.randint(-5, 5)) / 100 * abs(first - last + 1)
            value = (first + (last - first) * share + noise).quantize(Decimal("0.01"))
            life = self.life(
                MeasureValue,
                recorded,
                by,
                reason,
                measure_id=measure_id,
                period=period,
                value=value,
            )
            if rng.random() < 0.03 and recorded < self.yesterday - ONE_DAY:
                life.change(
                    recorded + ONE_DAY,
                    by,
                    "Figure corrected after the data was cleansed",
                    value=value + 1,
                )
            life.save()

    def build_audits(self, plan_id, start, owners, manager, priorities):
        """The plan's case-file audits from its start to yesterday, getting
        better over time, a third moderated a week later; and its practice
        weeks, each with some of the audits as its dip sample."""
        days = max((self.yesterday - start).days, 1)
        weeks = self.build_practice_weeks(plan_id, start, days, manager)
        for number in range(self.audits_per_plan):
            audit_date = start + ONE_DAY * (number * days // self.audits_per_plan)
            progress = (audit_date - start).days / days
            week = _week_sampling(weeks, audit_date)
            self.build_audit(
                plan_id, number, audit_date, progress, week, owners, manager
            )

    def build_practice_weeks(self, plan_id, start, days, manager):
        """Practice weeks spread evenly over the plan's ``days`` so far, each
        set up three weeks ahead; returns their states."""
        weeks = []
        for number in range(PRACTICE_WEEKS_PER_PLAN):
            spec = demo_data.PRACTICE_WEEKS[number % len(demo_data.PRACTICE_WEEKS)]
            offset = (number + 1) * days // (PRACTICE_WEEKS_PER_PLAN + 1)
            week_start = start + offset * ONE_DAY
            week = self.life(
                PracticeWeek,
                week_start - 21 * ONE_DAY,
                manager,
                plan_id=plan_id,
                practice_issue=spec.practice_issue,
                start_date=week_start,
                end_date=week_start + 11 * ONE_DAY,
                principles=spec.principles,
                practice_leads=spec.practice_leads,
                guidance=spec.guidance,
                outcome=spec.outcome,
            )
            week.save()
            weeks.append(week.state)
        return weeks

    def build_audit(self, plan_id, number, audit_date, progress, week, owners, manager):
        """One audit, its grade better the further into the plan (``progress``
        from 0 to 1); every third moderated a week later by the manager."""
        rng = self.rng
        grades = list(Grade.values)  # best first
        grade = grades[min(3, max(0, int(rng.gauss(2.6 - 1.6 * progress, 0.8))))]
        owner_id, user_id = rng.choice(owners)
        audit = self.life(
            Audit,
            audit_date,
            user_id or manager,
            plan_id=plan_id,
            practice_week_id=week["id"] if week else None,
            audit_date=audit_date,
            team=demo_data.AUDIT_TEAMS[number % len(demo_data.AUDIT_TEAMS)],
            case_reference=f"CF-{200000 + plan_id * 1000 + number}",
            auditor_id=owner_id,
            grade=grade,
            strengths=demo_data.AUDIT_NOTES[grade][0],
            learning_points=demo_data.AUDIT_NOTES[grade][1],
        )
        moderated = audit_date + 7 * ONE_DAY
        if number % 3 == 0 and moderated < self.yesterday:
            step = rng.choice((-1, 1))
            audit.change(
                moderated,
                manager,
                moderated_grade=grades[min(3, max(0, grades.index(grade) + step))],
            )
        audit.save()

    def build_sources(self, index, framework, start, manager):
        """The inspection a plan answers and the visits that followed.

        Returns the inspection's id and ``[(kind, id, recorded day, visit
        number)]`` of every source of findings.
        """
        inspection_id, recorded = self.build_inspection(
            index, framework, start, manager
        )
        sources = [("inspection", inspection_id, recorded, 0)]
        sources.extend(self.build_visits(inspection_id, start, manager))
        return inspection_id, sources

    def build_inspection(self, index, framework, start, manager):
        """The inspection, reported two months before the plan starts, and its
        judgements; returns its id and the day it was recorded."""
        rng = self.rng
        number = index + 1
        ended = start - 60 * ONE_DAY
        published = ended + 30 * ONE_DAY
        recorded = published + ONE_DAY
        label = INSPECTION_LABELS[framework]
        inspection = self.life(
            Inspection,
            recorded,
            manager,
            framework=framework,
            title=f"{label} {ended:%Y} ({MARK} {number:02d})",
            inspectorate="Ofsted"
            if framework != Inspection.Framework.OTHER
            else "HMIP",
            start_date=ended - 11 * ONE_DAY,
            end_date=ended,
            published_date=published,
            report_url="",
            overall_judgement=rng.choice(
                [Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT]
            ),
            summary="Leaders have not had a clear enough understanding of the "
            "quality of frontline practice.",
        )
        inspection.save()
        inspection_id = inspection.state["id"]
        for position, (area, _) in enumerate(demo_data.JUDGEMENTS[:4], start=1):
            judgement = self.life(
                Judgement,
                recorded,
                manager,
                inspection_id=inspection_id,
                area=area,
                grade=rng.choice(list(Grade.values)),
                position=position,
            )
            judgement.save()
        return inspection_id, recorded

    def build_visits(self, inspection_id, start, manager):
        """Monitoring visits every four months from 100 days into the plan (at
        most four, each recorded the day after its letter); returns them as
        sources of findings."""
        sources = []
        visit_start = start + 100 * ONE_DAY
        sequence = 0
        while (
            visit_start + 23 * ONE_DAY < self.yesterday - 20 * ONE_DAY and sequence < 4
        ):
            sequence += 1
            letter = visit_start + 21 * ONE_DAY
            visit = self.life(
                MonitoringVisit,
                letter + ONE_DAY,
                manager,
                kind=MonitoringVisit.Kind.OFSTED_MONITORING,
                sequence=sequence,
                inspection_id=inspection_id,
                start_date=visit_start,
                end_date=visit_start + ONE_DAY,
                inspectors="Two of His Majesty's Inspectors",
                areas_covered="Help and protection; the front door.",
                letter_date=letter,
                letter_url="",
                summary="Some progress; practice remains inconsistent.",
            )
            visit.save()
            sources.append(("visit", visit.state["id"], letter + ONE_DAY, sequence))
            visit_start += 120 * ONE_DAY
        return sources

    def build_findings(self, sources, manager):
        """The plan's findings: [(id, recorded day, is strength)]."""
        rng = self.rng
        total = self.findings_per_plan
        from_inspection = max(1, round(total * 0.4))
        shares = [from_inspection]
        visits = len(sources) - 1
        rest = total - from_inspection
        for position in range(visits):
            shares.append(rest // visits + (1 if position < rest % visits else 0))
        findings = []
        for (kind, source_id, recorded, sequence), count in zip(
            sources, shares, strict=True
        ):
            for position in range(1, count + 1):
                if kind == "inspection":
                    reference = f"R{position}"
                    finding_kind = rng.choices(
                        [Finding.Kind.RECOMMENDATION, Finding.Kind.STRENGTH],
                        [85, 15],
                    )[0]
                    source = {"inspection_id": source_id, "monitoring_visit_id": None}
                else:
                    reference = f"MV{sequence}.{position}"
                    finding_kind = rng.choices(
                        [
                            Finding.Kind.AREA_FOR_IMPROVEMENT,
                            Finding.Kind.AREA_FOR_DEVELOPMENT,
                            Finding.Kind.STRENGTH,
                        ],
                        [55, 25, 20],
                    )[0]
                    source = {"inspection_id": None, "monitoring_visit_id": source_id}
                topic = rng.choice(TOPICS)
                life = self.life(
                    Finding,
                    recorded,
                    manager,
                    kind=finding_kind,
                    reference=reference,
                    title=f"{rng.choice(FINDING_OPENINGS)} {topic}",
                    text=f"Inspectors found that {topic} is not yet consistently "
                    "good enough across teams.",
                    priority=rng.choices(["high", "medium", "low"], [30, 50, 20])[0],
                    **source,
                )
                themes = rng.sample(self.themes, rng.choice([1, 1, 2]))
                life.relink("themes", recorded, manager, add=themes)
                life.save()
                findings.append(
                    (life.state["id"], recorded, finding_kind == Finding.Kind.STRENGTH)
                )
        return findings

    # Actions -------------------------------------------------------------------

    def build_actions(
        self, plan_id, index, start, priorities, owners, findings, manager
    ):
        """A plan's actions: most imported when it starts, the rest after visits.

        Every finding that needs answering (bar a few) gets an action; then
        progress updates are shared out, RAG reviews added to reach the plan's
        share of history, and each action's life is played out.
        """
        importer = self.system.pk if index % 2 else manager
        answerable = self.findings_to_answer(findings)
        visit_days = sorted({day for _, day, _ in answerable if day > start})
        slots = self.action_slots(start, importer, manager, visit_days)
        references = _action_references(slots)
        first_links = _first_links(slots, answerable)
        specs = []
        for position, priority_index, added, reason, by in slots:
            specs.append(
                self.plan_action(
                    plan_id,
                    priorities[priority_index],
                    references[position],
                    added,
                    reason,
                    by,
                    owners,
                    answerable,
                    first_links.get(position),
                    manager,
                )
            )
        self.allocate_updates(specs)
        self.top_up_reviews(specs, findings)
        for spec in specs:
            self.apply(spec)

    def findings_to_answer(self, findings):
        """The findings that need an action (not strengths), in a random
        order, less a few left with nothing answering them."""
        answerable = [f for f in findings if not f[2]]
        self.rng.shuffle(answerable)
        left_unanswered = max(1, len(answerable) // 20) if len(answerable) > 4 else 0
        return answerable[left_unanswered:]

    def action_slots(self, start, importer, manager, visit_days):
        """Each action's ``(position, priority index, day added, reason, added
        by)``: imported when the plan starts, or two in five added by the
        manager after a visit (unless that would be in the last ten days)."""
        rng = self.rng
        count = self.actions_per_plan
        slots = []
        for position in range(count):
            priority_index = position * PRIORITIES_PER_PLAN // count
            added = start
            reason = IMPORT_REASON
            by = importer
            if position % 5 in (1, 3) and visit_days:
                added = rng.choice(visit_days) + rng.randint(7, 40) * ONE_DAY
                reason, by = None, manager
                if added > self.yesterday - 10 * ONE_DAY:
                    added, reason, by = start, IMPORT_REASON, importer
            slots.append((position, priority_index, added, reason, by))
        return slots

    def plan_action(
        self,
        plan_id,
        priority_id,
        reference,
        added,
        reason,
        by,
        owners,
        pool,
        first,
        manager,
    ):
        """Decide an action's whole life: its dates, outcome and events."""
        rng = self.rng
        lead_id, lead_user = rng.choice(owners)
        start, due, final, started, end = self._outcome(added)
        spec = {
            "plan_id": plan_id,
            "priority_id": priority_id,
            "reference": reference,
            "added": added,
            "reason": reason,
            "by": by,
            "actor": lead_user or manager,
            "manager": manager,
            "lead_id": lead_id,
            "start": start,
            "due": due,
            "final": final,
            "started": started,
            "end": end,
            "topic": rng.choice(TOPICS),
            "events": [],
            "updates": 0,
        }
        spec["links"] = links = self._answered(first, pool, added)
        others = [o[0] for o in owners if o[0] != lead_id]
        spec["supporting"] = rng.sample(
            others, min(len(others), rng.choices([0, 1, 2, 3], [30, 30, 25, 15])[0])
        )
        if started:
            self.plan_moves(spec, rng)
            self._plan_events(spec, pool, links, others, owners)
        return spec

    def _outcome(self, added):
        """When the action starts and is due, how it ends, and when."""
        rng = self.rng
        start = added + rng.randint(0, 45) * ONE_DAY
        due = start + rng.randint(75, 540) * ONE_DAY
        if start > self.yesterday - 7 * ONE_DAY:
            final = Action.Status.NOT_STARTED
        elif due < self.today:
            final = rng.choices(
                ["delivered", "in_progress", "paused", "withdrawn", "not_started"],
                [68, 20, 4, 4, 4],
            )[0]
        else:
            final = rng.choices(
                ["in_progress", "delivered", "not_started", "paused", "withdrawn"],
                [70, 12, 10, 5, 3],
            )[0]
        started = start <= self.yesterday - 7 * ONE_DAY
        end = self.yesterday
        if final in ("delivered", "withdrawn") and started:
            earliest = min(start + 21 * ONE_DAY, self.yesterday)
            target = due + rng.randint(-60, 45) * ONE_DAY
            end = min(max(target, earliest), self.yesterday)
        return start, due, final, started, end

    def _answered(self, first, pool, added):
        """Findings answered: one to three (a few answer none)."""
        rng = self.rng
        links = []
        if first is not None or rng.random() >= 0.03:
            ready = [f[0] for f in pool if f[1] <= added]
            wanted = rng.choices([1, 2, 3], [35, 40, 25])[0]
            if first is not None:
                links.append(first)
            for finding_id in rng.sample(ready, min(len(ready), wanted)):
                if len(links) < wanted and finding_id not in links:
                    links.append(finding_id)
        return links

    def _plan_events(self, spec, pool, links, others, owners):
        """A started action's impact, links, owners and edits over its life."""
        rng, events = self.rng, spec["events"]
        start, end, final = spec["start"], spec["end"], spec["final"]
        window = max((end - start).days, 1)
        if final == "delivered":
            for after, impact, chance in (
                ((14, 60), "emerging", 0.8),
                ((60, 150), "evidenced", 0.5),
                ((150, 300), "embedded", 0.25),
            ):
                day = end + rng.randint(*after) * ONE_DAY
                if day <= self.yesterday and rng.random() < chance:
                    events.append((day, 5, "impact", impact))
                else:
                    break
        elif final == "in_progress" and rng.random() < 0.25:
            day = start + rng.randint(window // 2, window) * ONE_DAY
            events.append((day, 5, "impact", "emerging"))
        if rng.random() < 0.15:
            day = start + rng.randint(0, window) * ONE_DAY
            ready = [f[0] for f in pool if f[1] <= day and f[0] not in links]
            if ready:
                events.append((day, 1, "link", rng.choice(ready)))
        if len(links) > 1 and rng.random() < 0.03:
            day = start + rng.randint(0, window) * ONE_DAY
            events.append((day, 1, "unlink", links[-1]))
        if rng.random() < 0.06 and others:
            day = start + rng.randint(0, window) * ONE_DAY
            events.append((day, 2, "support", rng.choice(others)))
        if rng.random() < 0.05:
            day = start + rng.randint(0, window) * ONE_DAY
            events.append((day, 3, "lead", rng.choice(owners)))
        if rng.random() < 0.08:
            day = start + rng.randint(0, window) * ONE_DAY
            events.append((day, 3, "edit", None))

    def plan_moves(self, spec, rng):
        """Due-date moves, each with a reason, near the due date of the time."""
        final = spec["final"]
        overdue = spec["due"] < self.today
        chance = {
            ("in_progress", True): 0.65,
            ("not_started", True): 0.5,
            ("delivered", True): 0.3,
            ("delivered", False): 0.15,
            ("in_progress", False): 0.2,
        }.get((final, overdue), 0.1)
        if rng.random() >= chance:
            return
        due = spec["due"]
        last_day = spec["start"]
        for _ in range(rng.choices([1, 2, 3], [55, 30, 15])[0]):
            day = min(due - rng.randint(0, 20) * ONE_DAY, spec["end"])
            day = max(day, last_day + ONE_DAY)
            if day > spec["end"] or day > self.yesterday:
                break
            due = max(due, day) + rng.randint(30, 150) * ONE_DAY
            spec["events"].append((day, 4, "move", due))
            last_day = day

    def allocate_updates(self, specs):
        """Share out exactly ten progress updates per action, by active time."""
        total = UPDATES_PER_ACTION * len(specs)
        active = [spec for spec in specs if spec["started"]]
        if not active:
            return
        weights = [max((spec["end"] - spec["start"]).days, 1) for spec in active]
        for spec in active:
            spec["updates"] = 1
        spare = total - len(active)
        if spare < 0:
            for spec in active[total:]:
                spec["updates"] = 0
            spare = 0
        whole = sum(weights)
        shares = [spare * w / whole for w in weights]
        for spec, share in zip(active, shares, strict=True):
            spec["updates"] += int(share)
        left = total - sum(spec["updates"] for spec in specs)
        by_remainder = sorted(
            range(len(active)), key=lambda i: shares[i] - int(shares[i]), reverse=True
        )
        for i in by_remainder[:left]:
            active[i]["updates"] += 1
        for spec in active:
            window = max((spec["end"] - spec["start"]).days, 1)
            first = min(3, window)
            for _ in range(spec["updates"]):
                day = spec["start"] + self.rng.randint(first, window) * ONE_DAY
                spec["events"].append((min(day, spec["end"]), 6, "update", None))

    def estimate_rows(self, spec):
        """History rows an action will write, counting link snapshots."""
        links = len(spec["links"]) + len(spec["supporting"])
        changes = sum(1 for e in spec["events"] if e[2] != "update")
        updates = spec["updates"]
        rows = 1  # created, with no links yet
        rows += (1 + len(spec["links"])) if spec["links"] else 0
        rows += (1 + links) if spec["supporting"] else 0
        rows += (changes + int(updates * 0.6)) * (1 + links)
        return rows + updates

    def top_up_reviews(self, specs, findings):
        """RAG reviews between updates, until the plan has its share of history."""
        rng = self.rng
        budget = HISTORY_ROWS_PER_ACTION * len(specs) + self.history_debt
        used = sum(self.estimate_rows(spec) for spec in specs)
        used += len(findings) * 3  # created, themes linked, one or two themes
        candidates = [
            spec for spec in specs if spec["started"] and spec["end"] > spec["start"]
        ]
        if not candidates:
            return
        weights = [(spec["end"] - spec["start"]).days for spec in candidates]
        while used < budget:
            spec = rng.choices(candidates, weights)[0]
            window = (spec["end"] - spec["start"]).days
            day = spec["start"] + rng.randint(1, window) * ONE_DAY
            spec["events"].append((day, 7, "review", None))
            used += 1 + len(spec["links"]) + len(spec["supporting"])

    def apply(self, spec):
        """Play an action's events in order, writing its rows and history."""
        life = self.start_action(spec)
        events = sorted(spec["events"], key=lambda e: (e[0], e[1]))
        updates = [e for e in events if e[2] == "update"]
        last_update = updates[-1] if updates else None
        closed = False
        for event in events:
            day, _, kind, value = event
            if closed and kind in ("review", "move", "lead", "edit", "support"):
                continue
            if kind == "update":
                closed = self.play_update(spec, life, day, event is last_update)
            elif kind in ("review", "move", "impact"):
                self.play_lead_change(spec, life, day, kind, value)
            else:
                self.play_manager_change(spec, life, day, kind, value)
        life.save()

    def start_action(self, spec):
        """The action as added, with the findings it answers and its supporting
        owners linked the same day."""
        rng = self.rng
        life = self.life(
            Action,
            spec["added"],
            spec["by"],
            spec["reason"],
            plan_id=spec["plan_id"],
            priority_id=spec["priority_id"],
            reference=spec["reference"],
            title=f"{rng.choice(ACTION_VERBS)} {spec['topic']}",
            description=f"Work with teams to make {spec['topic']} consistently good.",
            success_measure=self.text(rng.choice(MEASURES), spec["topic"]),
            lead_owner_id=spec["lead_id"],
            start_date=spec["start"],
            original_due_date=spec["due"],
            due_date=spec["due"],
            status=Action.Status.NOT_STARTED,
            status_reason="",
            rag=Action.Rag.GREEN,
            impact=Action.Impact.NOT_ASSESSED,
            impact_evidence="",
        )
        if spec["links"]:
            life.relink("findings", spec["added"], spec["by"], add=spec["links"])
        if spec["supporting"]:
            life.relink(
                "supporting_owners", spec["added"], spec["by"], add=spec["supporting"]
            )
        return life

    def play_update(self, spec, life, day, is_last):
        """A progress update and the status and RAG it reports; returns whether
        the action is now closed."""
        actor = spec["actor"]
        status, rag, reason_text = self.reported(spec, life, is_last)
        author_time = self.progress(spec, life, day, actor, status, rag)
        values = {"status": status, "rag": rag}
        if reason_text:
            values["status_reason"] = reason_text
        life.change(day, actor, after=author_time, **values)
        return status in Action.CLOSED_STATUSES

    def play_lead_change(self, spec, life, day, kind, value):
        """A change the action's lead records: a RAG review, a due-date move
        (with its reason) or an impact assessment."""
        rng = self.rng
        actor = spec["actor"]
        if kind == "review":
            choices = [
                r
                for r in Action.Rag.values
                if r not in (life.state["rag"], Action.Rag.NOT_ASSESSED)
            ]
            life.change(day, actor, rag=rng.choice(choices))
        elif kind == "move":
            life.change(day, actor, rng.choice(MOVE_REASONS), due_date=value)
        elif kind == "impact":
            values = {"impact": value}
            if value in Action.IMPACTS_NEEDING_EVIDENCE:
                values["impact_evidence"] = rng.choice(EVIDENCE)
            life.change(day, actor, **values)

    def play_manager_change(self, spec, life, day, kind, value):
        """A change the plan's manager makes: findings linked or unlinked, a
        supporting owner added, a new lead or a sharper success measure."""
        manager = spec["manager"]
        if kind == "link":
            life.relink("findings", day, manager, add=[value])
        elif kind == "unlink":
            life.relink("findings", day, manager, remove=[value])
        elif kind == "support":
            life.relink("supporting_owners", day, manager, add=[value])
        elif kind == "lead":
            owner_id, user_id = value
            life.change(day, manager, LEAD_CHANGE_REASON, lead_owner_id=owner_id)
            # The new lead records progress from now on.
            spec["actor"] = user_id or manager
        elif kind == "edit":
            life.change(
                day,
                manager,
                EDIT_REASON,
                success_measure=self.text(MEASURES[0], spec["topic"]),
            )

    def reported(self, spec, life, is_last):
        """The status and RAG a progress update reports, and any reason needed."""
        rng = self.rng
        final = spec["final"]
        if final == "not_started":
            return "not_started", rng.choice(["green", "amber"]), ""
        if is_last and final == "delivered":
            return "delivered", "green", ""
        if is_last and final == "withdrawn":
            return "withdrawn", life.state["rag"], rng.choice(WITHDRAW_REASONS)
        if is_last and final == "paused":
            return "paused", "amber", rng.choice(PAUSE_REASONS)
        rag = life.state["rag"]
        if rng.random() < 0.6:
            slipping = spec["due"] < self.today and final != "delivered"
            rag = rng.choices(
                ["green", "amber", "red"], [20, 45, 35] if slipping else [50, 35, 15]
            )[0]
        return "in_progress", rag, ""

    def progress(self, spec, life, day, author, status, rag):
        """A progress update row and its history row; returns when it was made."""
        writer = self.writer
        update_id = writer.new_id(ProgressUpdate)
        key = (ProgressUpdate, update_id)
        # Recorded just before the action's own change that goes with it.
        when = self.clock.at(key, day, after=self.clock.last.get(life.key))
        state = {
            "id": update_id,
            "version": 1,
            "action_id": life.state["id"],
            "author_id": author,
            "update_date": day,
            "narrative": self.text(self.rng.choice(NARRATIVES), spec["topic"]),
            "status": status,
            "rag": rag,
            "evidence_url": "",
        }
        writer.history(ProgressUpdate, state, "+", when, author)
        writer.add(ProgressUpdate, dict(state, created_at=when, updated_at=when))
        return when

    # Afterwards -----------------------------------------------------------------

    def reset_sequences(self):
        """Move each table's id sequence past the ids handed out (PostgreSQL)."""
        statements = connection.ops.sequence_reset_sql(no_style(), self.ids.models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _week_sampling(weeks, audit_date):
    """The practice week whose dip sample takes in an audit on ``audit_date``
    (one in the fortnight after the week ended), or None."""
    return next(
        (
            w
            for w in weeks
            if w["end_date"] < audit_date <= w["end_date"] + 14 * ONE_DAY
        ),
        None,
    )


def _action_references(slots):
    """Each action's reference by position, numbered within each priority in
    the order added: 2.1, 2.2, ..."""
    counters = defaultdict(int)
    references = {}
    for position, priority_index, *_ in sorted(
        slots, key=lambda slot: (slot[1], slot[2], slot[0])
    ):
        counters[priority_index] += 1
        references[position] = f"{priority_index + 1}.{counters[priority_index]}"
    return references


def _first_links(slots, answerable):
    """The finding each action answers first, by position: every answerable
    finding at least once, in order of recording, by the actions added
    after it."""
    first_links = {}
    queue = sorted(answerable, key=lambda f: f[1])
    for position, _, added, _, _ in sorted(slots, key=lambda slot: slot[2]):
        ready = [f for f in queue if f[1] <= added]
        if ready:
            first_links[position] = ready[0][0]
            queue.remove(ready[0])
    return first_links


# ---------------------------------------------------------------------------
# Finding, guarding and clearing scale data
# ---------------------------------------------------------------------------


def scale_plans():
    return Plan.objects.filter(name__contains=f"({MARK} ")


def scale_inspections():
    return Inspection.objects.filter(title__contains=f"({MARK} ")


def foreign_data():
    """Describe data that is neither the demo's nor ours, or return ''."""
    plans = Plan.objects.exclude(pk__in=scale_plans()).exclude(
        name=demo_data.PLAN["name"]
    )
    inspections = Inspection.objects.exclude(pk__in=scale_inspections()).exclude(
        plans__name=demo_data.PLAN["name"]
    )
    visits = MonitoringVisit.objects.filter(inspection__isnull=True)
    found = []
    for one, many, queryset in (
        ("plan", "plans", plans),
        ("inspection", "inspections", inspections),
        ("visit with no inspection", "visits with no inspection", visits),
    ):
        count = queryset.count()
        if count:
            found.append(f"{count} {one if count == 1 else many}")
    return ", ".join(found)


def _raw_delete(queryset):
    """Delete the rows at once, without loading them or writing deletion history.

    The scale data's own history is deleted with it, so no “deleted” rows are
    wanted; ``_raw_delete`` issues one DELETE statement.
    """
    return queryset._raw_delete(queryset.db)


def _links_and_history(model, records):
    """What must go before ``records`` of ``model``: the link snapshots of
    their history, their history, and their links."""
    history = model.history.model.objects.filter(id__in=records.values("pk"))
    steps = []
    for m2m in getattr(model.history.model, "_history_m2m_fields", ()):
        snapshot = apps.get_model(
            model._meta.app_label, f"{model.history.model.__name__}_{m2m.name}"
        )
        steps.append(
            snapshot.objects.filter(history_id__in=history.values("history_id"))
        )
    steps.append(history)
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        steps.append(through.objects.filter(**{f"{m2m.m2m_field_name()}__in": records}))
    return steps


def clear_scale_data():
    """Remove earlier scale data and its history. Returns the rows removed."""
    plans = scale_plans()
    inspections = scale_inspections()
    # Read before anything is deleted: which owners lead or support only
    # scale data depends on the actions and priorities still there.
    owner_ids = list(_scale_owners(plans).values_list("pk", flat=True))
    steps = [
        *_evidence_steps(plans),
        *_plan_steps(plans),
        *_source_steps(inspections),
        Owner.history.model.objects.filter(id__in=owner_ids),
        Owner.objects.filter(pk__in=owner_ids),
    ]
    return sum(_raw_delete(step) or 0 for step in steps)


def _scale_owners(plans):
    """Scale owners that lead or support nothing outside the scale ``plans``."""
    return (
        Owner.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
        .exclude(led_actions__in=Action.objects.exclude(plan__in=plans))
        .exclude(supported_actions__in=Action.objects.exclude(plan__in=plans))
        .exclude(led_priorities__in=Priority.objects.exclude(plan__in=plans))
    )


def _evidence_steps(plans):
    """Deletions of the plans' measures with their values, and their audits
    and practice weeks, each after its links and history."""
    measures = Measure.objects.filter(plan__in=plans)
    values = MeasureValue.objects.filter(measure__in=measures)
    audits = Audit.objects.filter(plan__in=plans)
    weeks = PracticeWeek.objects.filter(plan__in=plans)
    return [
        *_links_and_history(MeasureValue, values),
        values,
        *_links_and_history(Measure, measures),
        measures,
        *_links_and_history(Audit, audits),
        audits,
        *_links_and_history(PracticeWeek, weeks),
        weeks,
    ]


def _plan_steps(plans):
    """Deletions of the plans with their actions, progress updates and
    priorities, each after its links and history."""
    actions = Action.objects.filter(plan__in=plans)
    action_ids = actions.values("pk")
    plan_ids = plans.values("pk")
    af = apps.get_model("improvement", "HistoricalAction_findings")
    aso = apps.get_model("improvement", "HistoricalAction_supporting_owners")
    pi = apps.get_model("improvement", "HistoricalPlan_inspections")
    pv = apps.get_model("improvement", "HistoricalPlan_visits")
    return [
        af.objects.filter(action_id__in=action_ids),
        aso.objects.filter(action_id__in=action_ids),
        Action.history.model.objects.filter(id__in=action_ids),
        ProgressUpdate.history.model.objects.filter(action_id__in=action_ids),
        ProgressUpdate.objects.filter(action__in=actions),
        Action.findings.through.objects.filter(action__in=actions),
        Action.supporting_owners.through.objects.filter(action__in=actions),
        actions,
        Priority.history.model.objects.filter(plan_id__in=plan_ids),
        Priority.objects.filter(plan__in=plans),
        pi.objects.filter(plan_id__in=plan_ids),
        pv.objects.filter(plan_id__in=plan_ids),
        Plan.history.model.objects.filter(id__in=plan_ids),
        Plan.inspections.through.objects.filter(plan__in=plans),
        Plan.visits.through.objects.filter(plan__in=plans),
        plans,
    ]


def _source_steps(inspections):
    """Deletions of the inspections with their judgements, the visits that
    followed and the findings of both, each after its links and history."""
    visits = MonitoringVisit.objects.filter(inspection__in=inspections)
    findings = Finding.objects.filter(
        Q(inspection__in=inspections) | Q(monitoring_visit__in=visits)
    )
    inspection_ids = inspections.values("pk")
    ft = apps.get_model("findings", "HistoricalFinding_themes")
    return [
        ft.objects.filter(finding_id__in=findings.values("pk")),
        Finding.history.model.objects.filter(id__in=findings.values("pk")),
        Finding.themes.through.objects.filter(finding__in=findings),
        findings,
        MonitoringVisit.history.model.objects.filter(id__in=visits.values("pk")),
        visits,
        Judgement.history.model.objects.filter(inspection_id__in=inspection_ids),
        Judgement.objects.filter(inspection__in=inspections),
        Inspection.history.model.objects.filter(id__in=inspection_ids),
        inspections,
    ]


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------


def is_history(model):
    """Is ``model`` a history table (simple-history's, or a link snapshot)?"""
    return model.__name__.startswith("Historical")
