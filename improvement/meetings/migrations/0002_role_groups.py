"""Give the role groups their permissions on meetings and their record.

Board members read them; officers also update the actions arising they own
and choose their reminders; improvement managers record and edit meetings,
decisions, questions and answers, and actions arising.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECORD = ("body", "meeting", "agendaitem", "decision", "question", "actionarising")
VIEW_ALL = [("view", "meetings", model) for model in (*RECORD, "reminder")]
UPDATE_OWN = [
    ("change", "meetings", "actionarising"),
    ("add", "meetings", "reminderchoice"),
    ("change", "meetings", "reminderchoice"),
]

GROUPS = {
    "Board members": VIEW_ALL,
    "Officers": VIEW_ALL + UPDATE_OWN,
    "Improvement managers": VIEW_ALL
    + UPDATE_OWN
    + [(verb, "meetings", model) for model in RECORD for verb in ("add", "change")
       if (verb, model) != ("change", "actionarising")],
}


def grant(apps, schema_editor):
    # Permissions are normally made after migrations finish; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *[
                Permission.objects.get(
                    content_type__app_label=app, codename=f"{verb}_{model}"
                )
                for verb, app, model in perms
            ]
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    meeting_permissions = Permission.objects.filter(content_type__app_label="meetings")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*meeting_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("improvement", "0002_role_groups"),
        ("meetings", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
