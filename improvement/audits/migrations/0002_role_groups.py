"""Give the role groups their permissions on audits and practice weeks.

Board members read them; officers also record and edit (moderate) audits;
improvement managers also set up and edit practice weeks.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ALL = [("view", "audits", "audit"), ("view", "audits", "practiceweek")]
RECORD_AUDITS = [("add", "audits", "audit"), ("change", "audits", "audit")]

GROUPS = {
    "Board members": VIEW_ALL,
    "Officers": VIEW_ALL + RECORD_AUDITS,
    "Improvement managers": VIEW_ALL
    + RECORD_AUDITS
    + [("add", "audits", "practiceweek"), ("change", "audits", "practiceweek")],
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
    audit_permissions = Permission.objects.filter(content_type__app_label="audits")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*audit_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("improvement", "0002_role_groups"),
        ("audits", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
