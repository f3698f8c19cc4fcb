"""``python manage.py seed_demo``: a demo council with a year of plan history.

Loads a fictional council's ILACS inspection, the visits and reviews that
followed, their findings, and a children's services improvement plan about
twelve months into delivery: owners (roles, never people), priorities,
actions, progress updates, status and RAG changes, impact assessments and
due-date moves with their reasons. Every change is saved one by one with a
backdated history date and a named user, so the history, dashboards and
"as at" views show a real year.

It also creates four sign-ins, ``admin``, ``manager``, ``officer`` and
``board``, and sets their password on every run (``DEMO_PASSWORD``, or a
random one that it prints). ``admin`` and ``manager`` must use two-factor
sign-in: each run gives them a new authenticator key (one key for both, to
add to an app) and new recovery codes, and prints both.

Running it again leaves the same data: when the demo plan or inspection is
already there, the domain data is left alone and only the sign-ins are
refreshed. All of it happens in one transaction.
"""

import datetime
import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from improvement.accounts import two_factor
from improvement.demo import data
from improvement.demo.builder import EMAIL_DOMAIN, DemoBuilder, inspection_title
from improvement.kernel.history import acting_as
from improvement.kernel.permissions import BOARD_MEMBERS, IMPROVEMENT_MANAGERS, OFFICERS
from improvement.plan.models import Owner, Plan
from visits.models import Inspection

# username, first name, last name, group, administrator?
DEMO_USERS = (
    ("admin", "Site", "Administrator", None, True),
    ("manager", "Improvement", "Manager", IMPROVEMENT_MANAGERS, False),
    ("officer", "Head of Service", "(Safeguarding)", OFFICERS, False),
    ("board", "Board", "Member", BOARD_MEMBERS, False),
)


class Command(BaseCommand):
    help = (
        "Load a fictional council's inspection, findings and improvement plan "
        "with a year of history, and create the demo sign-ins. Safe to run again."
    )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD", "")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(
                "DEMO_PASSWORD is not a good enough password: "
                + " ".join(error.messages)
            ) from error
        today = timezone.localdate()

        with transaction.atomic():
            users = self.ensure_users(password)
            second_factor = self.ensure_second_factor(users)
            existing = self.existing_demo(today)
            if existing:
                self.stdout.write(
                    f"Demo data already present ({existing}); left unchanged."
                )
                self.ensure_officer_link(users)
            else:
                counts = DemoBuilder(users, today).build()
                summary = ", ".join(f"{n} {label}" for label, n in counts.items())
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Built the demo for {settings.COUNCIL_NAME}: 1 inspection, "
                        f"1 plan, {summary}."
                    )
                )

        self.stdout.write("")
        self.stdout.write("Demo sign-ins:")
        for username, first, last, group, is_admin in DEMO_USERS:
            role = "administrator (Django admin)" if is_admin else group
            self.stdout.write(f"  {username:<8} {first} {last}: {role}")
        if generated:
            self.stdout.write(f"Password for all four: {password}")
        else:
            self.stdout.write("Password for all four: the value of DEMO_PASSWORD")
        self.stdout.write("")
        self.stdout.write(
            "admin and manager also give a code (two-factor sign-in). Add this key "
            "to an authenticator app (time-based):"
        )
        self.stdout.write(f"  {second_factor['key']}")
        self.stdout.write("or enter one of these recovery codes (each works once):")
        for username, codes in second_factor["codes"].items():
            self.stdout.write(f"  {username:<8} {' '.join(codes)}")

    def existing_demo(self, today):
        """Name the demo plan or inspection if either is already recorded."""
        if Plan.objects.filter(name=data.PLAN["name"]).exists():
            return data.PLAN["name"]
        start = today + datetime.timedelta(days=data.INSPECTION["start"])
        title = inspection_title(start)
        if Inspection.objects.filter(title=title).exists():
            return title
        return None

    def ensure_users(self, password):
        """Create or refresh the four demo sign-ins; return them by username."""
        user_model = get_user_model()
        users = {}
        for username, first, last, group_name, is_admin in DEMO_USERS:
            user, _ = user_model.objects.get_or_create(username=username)
            user.first_name = first
            user.last_name = last
            user.email = user.email or f"{username}@{EMAIL_DOMAIN}"
            user.is_active = True
            user.is_staff = is_admin
            user.is_superuser = is_admin
            user.set_password(password)
            user.save()
            groups = []
            if group_name:
                try:
                    groups = [Group.objects.get(name=group_name)]
                except Group.DoesNotExist as error:
                    raise CommandError(
                        f"The group “{group_name}” is missing: run migrate first."
                    ) from error
            user.groups.set(groups)
            users[username] = user
        return users

    def ensure_second_factor(self, users):
        """Give the demo sign-ins whose role needs two-factor sign-in a new
        authenticator (one key for all of them) and new recovery codes."""
        key = secrets.token_hex(20)
        codes = {}
        for username, *_ in DEMO_USERS:
            user = users[username]
            if not two_factor.required_for(user):
                continue
            two_factor.remove(user)
            TOTPDevice.objects.create(
                user=user, name="Authenticator app", key=key, confirmed=True
            )
            codes[username] = two_factor.new_recovery_codes(user)
        return {"key": two_factor.secret_key(TOTPDevice(key=key)), "codes": codes}

    def ensure_officer_link(self, users):
        """Link the officer to their owner record if neither is linked yet."""
        officer = users["officer"]
        if Owner.objects.filter(user=officer).exists():
            return
        spec = next(o for o in data.OWNERS if o.key == data.OFFICER_OWNER)
        owner = Owner.objects.filter(
            name=spec.name, organisation=spec.organisation, user__isnull=True
        ).first()
        if owner is not None:
            with acting_as(users["manager"]):
                owner.user = officer
                owner.save()
            self.stdout.write(f"Linked the officer sign-in to “{owner.name}”.")
